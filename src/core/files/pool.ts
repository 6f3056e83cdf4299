/**
 * Runs `fn` over `items` with at most `limit` promises in flight. Results keep the input order.
 * Bounded because unbounded fs.promises calls on 10k files queue 10k requests on the 4-thread libuv
 * pool and hold 10k promises at once; 32-64 in flight is as fast and flat in memory.
 */
export async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i], i);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  return out;
}
