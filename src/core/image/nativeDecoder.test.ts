/** The decoder addon: what CI requires of it, and that its switch leaves the kernels addon alone. */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { nativeKernelsInfo } from '../kernels/kernels.js';
import { NATIVE_FORMATS, nativeDecoderInfo } from './nativeDecoder.js';

// CI installs every library's headers and sets this, so a build that lost a format fails there.
const required = process.env.MEDIA_DEDUPE_REQUIRE_NATIVE === '1';
const info = nativeDecoderInfo();

/** Which addons a fresh process with `env` added would use. */
function availableWith(env: Record<string, string>): { decoder: boolean; kernels: boolean } {
  const [decoder, kernels] = [join(__dirname, 'nativeDecoder.ts'), join(__dirname, '..', 'kernels', 'kernels.ts')].map((m) => JSON.stringify(m));
  const code = `console.log(JSON.stringify({ decoder: require(${decoder}).nativeDecoderInfo().available, kernels: require(${kernels}).nativeKernelsInfo().available }))`;
  return JSON.parse(execFileSync(process.execPath, ['--import', 'tsx', '-e', code], { env: { ...process.env, ...env }, encoding: 'utf8' }));
}

describe('decoder addon', () => {
  const missing = NATIVE_FORMATS.filter((f) => !info.formats?.includes(f));
  const skip = info.available
    ? missing.length > 0 && `the decoder addon was built without ${missing.join(', ')}`
    : `the decoder addon is not available (${info.reason})`;

  test('is built with every format and loads (required in CI)', { skip: !required && skip }, () => {
    assert.ok(info.available, `not available: ${info.reason}`);
    assert.match(info.version ?? '', /^\d+\.\d+\.\d+$/);
    assert.deepEqual([...(info.formats ?? [])].sort(), [...NATIVE_FORMATS].sort());
  });

  const kernels = nativeKernelsInfo();
  const both = info.available && kernels.available ? false : `needs both addons (decoder: ${info.reason ?? 'built'}; kernels: ${kernels.reason ?? 'built'})`;
  test('MEDIA_DEDUPE_DECODER=sharp switches it off and leaves the kernels addon on; MEDIA_DEDUPE_KERNELS leaves it on', { skip: !required && both }, () => {
    assert.deepEqual(availableWith({ MEDIA_DEDUPE_DECODER: 'sharp' }), { decoder: false, kernels: true });
    assert.deepEqual(availableWith({ MEDIA_DEDUPE_KERNELS: 'js' }), { decoder: true, kernels: true });
  });
});
