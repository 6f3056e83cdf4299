import { test } from 'node:test';
import assert from 'node:assert/strict';
import { filter2DViaDft } from './dftFilter.js';
import { reflect101 as r101 } from './rounding.js';

test('filter2D through the float32 DFT tiles equals direct correlation (reflect-101) up to float noise', () => {
  const k = 17;
  const kernel = Float32Array.from({ length: k * k }, (_, i) => Math.fround(Math.sin(i) * 3 + (i % 5)));
  for (const size of [48, 512]) {
    const img = Uint8Array.from({ length: size * size }, (_, i) => (i * 2654435761) >>> 24);
    const out = filter2DViaDft(img, size, size, kernel, k);
    let maxErr = 0;
    let maxAbs = 0;
    for (let y = 0; y < size; y += size === 48 ? 1 : 37) {
      for (let x = 0; x < size; x += size === 48 ? 1 : 41) {
        let s = 0;
        for (let i = 0; i < k; i++) for (let j = 0; j < k; j++) s += kernel[i * k + j] * img[r101(y + i - 8, size) * size + r101(x + j - 8, size)];
        maxErr = Math.max(maxErr, Math.abs(out[y * size + x] - s));
        maxAbs = Math.max(maxAbs, Math.abs(s));
      }
    }
    assert.ok(maxErr <= 1e-4 * maxAbs, `size ${size}: error ${maxErr} vs magnitude ${maxAbs}`);
  }
});
