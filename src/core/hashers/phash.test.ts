import assert from 'node:assert/strict';
import { test } from 'node:test';
import { median } from '../kernels/cropViewBits.js';

/** np.median by sorting: the definition the selection must reproduce exactly. */
function sortedMedian(v: Float64Array): number {
  const s = Float64Array.from(v).sort();
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

test('median: the same value as sorting, odd and even lengths, with ties and zeros, input left as it was', () => {
  let seed = 12345;
  const rnd = (): number => (seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32;
  for (let t = 0; t < 3000; t++) {
    const n = 1 + Math.floor(rnd() * 300);
    // Many ties (small integers, zeros) as a flat or symmetric picture's DCT terms have, among spread values.
    const v = Float64Array.from({ length: n }, () => (rnd() < 0.4 ? Math.floor(rnd() * 4) - 1 : (rnd() - 0.5) * 1e4));
    const before = Float64Array.from(v);
    assert.equal(median(v), sortedMedian(v), `case ${t}: ${n} values`);
    assert.deepEqual(v, before);
  }
  assert.equal(median(Float64Array.of(3)), 3);
  assert.equal(median(Float64Array.of(2, 1)), 1.5);
  assert.equal(median(new Float64Array(256)), 0);
});
