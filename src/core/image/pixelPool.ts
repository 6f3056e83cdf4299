/**
 * A few RGB buffers handed back and forth between the JPEG decoder and the hashing pipeline. Fresh memory
 * costs a page fault per 4 KB the first time it is written (about 1.5 ms for a 1600 x 1067 photo, a fifth
 * of its decode); a dataset's images mostly share a handful of sizes, so a buffer freed by the last
 * image fits the next one. Only buffers taken from here are ever taken back: releasing any other array
 * is a no-op, so a caller that keeps its pixels simply never releases them.
 */
const MAX_POOLED = 8;
const pool: Buffer[] = [];
const issued = new WeakSet<ArrayBufferLike>();

/** A buffer of exactly `bytes` bytes, on a pooled allocation when one fits (no larger than 4x). */
export function takePixels(bytes: number): Buffer {
  for (let i = pool.length - 1; i >= 0; i--) {
    const b = pool[i];
    if (b.length >= bytes && b.length <= 4 * bytes) {
      pool.splice(i, 1);
      return b.subarray(0, bytes);
    }
  }
  // allocUnsafeSlow: a buffer of its own, never a slice of Node's shared pool, so it can be reused whole.
  const b = Buffer.allocUnsafeSlow(bytes);
  issued.add(b.buffer);
  return b;
}

/** Gives back pixels from takePixels once nothing reads them any more; anything else is ignored. */
export function releasePixels(data: Uint8Array): void {
  if (!issued.has(data.buffer) || pool.some((b) => b.buffer === data.buffer)) return;
  pool.push(Buffer.from(data.buffer, 0, data.buffer.byteLength));
  if (pool.length > MAX_POOLED) {
    let smallest = 0;
    for (let i = 1; i < pool.length; i++) if (pool[i].length < pool[smallest].length) smallest = i;
    pool.splice(smallest, 1);
  }
}
