/**
 * Quickselect (Hoare partition, middle pivot): the k-th smallest value in linear time, for PHash's median
 * and the block-grid score's threshold, where a full sort of every value was most of the time. Its C twin is
 * kth_smallest in native/kernels/blockgrid.c. Rearranges a so that a[k] is the value a sorted copy has there,
 * smaller-or-equal values before it and greater-or-equal after.
 */
export function select(a: Float64Array, k: number): number {
  let lo = 0;
  let hi = a.length - 1;
  while (lo < hi) {
    const pivot = a[(lo + hi) >> 1];
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (a[i] < pivot) i++;
      while (a[j] > pivot) j--;
      if (i <= j) {
        const t = a[i];
        a[i] = a[j];
        a[j] = t;
        i++;
        j--;
      }
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else break;
  }
  return a[k];
}
