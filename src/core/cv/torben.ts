/**
 * Torben Mogensen's median (N. Devillard's implementation, as vendored by PDQ): no sorting, no
 * copy; returns an element of the array (or the float32 midpoint guess when it ties), which is
 * what PDQ's bit decisions compare against, so it must be this algorithm and not a sort.
 */
export function torbenMedian(m: Float32Array, n: number = m.length): number {
  const f32 = Math.fround;
  let min = m[0];
  let max = m[0];
  for (let i = 1; i < n; i++) {
    if (m[i] < min) min = m[i];
    if (m[i] > max) max = m[i];
  }
  const half = (n + 1) >> 1;
  let less = 0;
  let greater = 0;
  let equal = 0;
  let guess = 0;
  let maxltguess = 0;
  let mingtguess = 0;
  for (;;) {
    guess = f32(f32(min + max) / 2);
    less = 0;
    greater = 0;
    equal = 0;
    maxltguess = min;
    mingtguess = max;
    for (let i = 0; i < n; i++) {
      const v = m[i];
      if (v < guess) {
        less++;
        if (v > maxltguess) maxltguess = v;
      } else if (v > guess) {
        greater++;
        if (v < mingtguess) mingtguess = v;
      } else equal++;
    }
    if (less <= half && greater <= half) break;
    if (less > greater) max = maxltguess;
    else min = mingtguess;
  }
  if (less >= half) return maxltguess;
  if (less + equal >= half) return guess;
  return mingtguess;
}
