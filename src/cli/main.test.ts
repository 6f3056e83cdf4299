import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { runCli } from '../../test/helpers/runInProcess.js';
import { nativeDecoderInfo } from '../core/image/nativeDecoder.js';
import { kernelLevel, nativeKernelsInfo } from '../core/kernels/kernels.js';

describe('media-dedupe --version', () => {
  test('prints the version, then which decoder and kernels this install uses', async () => {
    const r = await runCli(['--version']);
    assert.equal(r.code, 0);
    const [version, decoder, kernels] = r.stdout.trim().split('\n');
    assert.match(version, /^\d+\.\d+\.\d+/);
    const info = nativeDecoderInfo();
    assert.equal(
      decoder,
      info.available
        ? `decoder: native addon for ${info.formats!.join(', ')} (libjpeg-turbo ${info.version}), sharp for the rest`
        : `decoder: sharp only (${info.reason})`,
    );
    const k = nativeKernelsInfo();
    assert.equal(
      kernels,
      kernelLevel() !== 'native'
        ? `kernels: up to ${kernelLevel()} (MEDIA_DEDUPE_KERNELS=${kernelLevel()})`
        : k.available
          ? 'kernels: native addon'
          : `kernels: WebAssembly and JavaScript (${k.reason})`,
    );
  });
});
