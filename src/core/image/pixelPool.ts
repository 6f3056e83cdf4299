/**
 * Buffers handed back and forth between the decoders and the hashing pipeline instead of fresh ones per
 * file. Fresh memory costs a page fault per 4 KB the first time it is written (about 1.5 ms for a
 * 1600 x 1067 photo, a fifth of its decode), and each fresh buffer is off-heap memory that V8 counts
 * towards its next full garbage collection: a first scan reading every file into a new Buffer and
 * decoding every PNG into a new one ran 19 full collections on 1,320 files where reused buffers run 3
 * (`node --trace-gc`). A dataset's images mostly share a handful of sizes, so a buffer freed by the last
 * file fits the next one. Only buffers taken from a pool are ever taken back: releasing any other array
 * is a no-op, so a caller that keeps its bytes simply never releases them.
 */
export class BufferPool {
  private readonly pool: Buffer[] = [];
  private readonly issued = new WeakSet<ArrayBufferLike>();

  /** `max`: buffers kept for reuse (about what is in flight at once). */
  constructor(private readonly max: number) {}

  /**
   * A buffer of exactly `bytes` bytes, on the smallest pooled allocation that holds it when one does. Any
   * size fits (a small picture after a large one too): the pool only ever keeps its `max` largest buffers,
   * so taking a fresh one instead would not keep less, and would add to V8's count of new off-heap memory.
   */
  take(bytes: number): Buffer {
    const pool = this.pool;
    let best = -1;
    for (let i = 0; i < pool.length; i++) if (pool[i].length >= bytes && (best < 0 || pool[i].length < pool[best].length)) best = i;
    if (best >= 0) {
      const b = pool[best];
      pool.splice(best, 1);
      return b.subarray(0, bytes);
    }
    // allocUnsafeSlow: a buffer of its own, never a slice of Node's shared pool, so it can be reused whole.
    const b = Buffer.allocUnsafeSlow(bytes);
    this.issued.add(b.buffer);
    return b;
  }

  /** Gives back bytes from take() once nothing reads them any more; anything else is ignored. */
  release(data: Uint8Array): void {
    const pool = this.pool;
    if (!this.issued.has(data.buffer) || pool.some((b) => b.buffer === data.buffer)) return;
    pool.push(Buffer.from(data.buffer, 0, data.buffer.byteLength));
    if (pool.length > this.max) {
      let smallest = 0;
      for (let i = 1; i < pool.length; i++) if (pool[i].length < pool[smallest].length) smallest = i;
      pool.splice(smallest, 1);
    }
  }
}

/** Decoded RGB pixels (the JPEG and PNG decoders write into them). */
const pixels = new BufferPool(8);
/** Files' bytes as read for decoding (hashing/pipeline.ts, through image/readFile.ts). */
export const fileBytesPool = new BufferPool(8);

export const takePixels = (bytes: number): Buffer => pixels.take(bytes);
export const releasePixels = (data: Uint8Array): void => pixels.release(data);
