/** Loading the native addons: what CI requires of them, and that each one's switch leaves the other alone. */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { NATIVE_FORMATS, nativeDecoderInfo, nativeKernelsInfo } from './addons.js';

// CI installs every library's headers and sets this, so a build that lost a format fails there.
const required = process.env.MEDIA_DEDUPE_REQUIRE_NATIVE === '1';
const decoder = nativeDecoderInfo();
const kernels = nativeKernelsInfo();

/** nativeDecoderInfo() and nativeKernelsInfo() in a fresh process with `env` added. */
function infoWith(env: Record<string, string>): { decoder: { available: boolean; reason?: string }; kernels: { available: boolean } } {
  const code = `const a = require(${JSON.stringify(join(__dirname, 'addons.ts'))}); console.log(JSON.stringify({ decoder: a.nativeDecoderInfo(), kernels: a.nativeKernelsInfo() }));`;
  return JSON.parse(execFileSync(process.execPath, ['--import', 'tsx', '-e', code], { env: { ...process.env, ...env }, encoding: 'utf8' }));
}

describe('native addons', () => {
  const missing = NATIVE_FORMATS.filter((f) => !decoder.formats?.includes(f));
  test(
    'the decoder addon is built with every format and loads (required in CI)',
    {
      skip:
        !required &&
        (decoder.available
          ? missing.length > 0 && `the decoder addon was built without ${missing.join(', ')}`
          : `the decoder addon is not available (${decoder.reason})`),
    },
    () => {
      assert.ok(decoder.available, `not available: ${decoder.reason}`);
      assert.match(decoder.version ?? '', /^\d+\.\d+\.\d+$/);
      assert.deepEqual([...(decoder.formats ?? [])].sort(), [...NATIVE_FORMATS].sort());
    },
  );

  test(
    'MEDIA_DEDUPE_DECODER=sharp switches off the decoder only; MEDIA_DEDUPE_KERNELS does not touch it',
    { skip: !required && !(decoder.available && kernels.available) && 'needs both addons' },
    () => {
      const sharpOnly = infoWith({ MEDIA_DEDUPE_DECODER: 'sharp' });
      assert.deepEqual(sharpOnly.decoder, { available: false, reason: 'MEDIA_DEDUPE_DECODER=sharp' });
      assert.equal(sharpOnly.kernels.available, true);
      assert.equal(infoWith({ MEDIA_DEDUPE_KERNELS: 'js' }).decoder.available, true);
    },
  );
});
