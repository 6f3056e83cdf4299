/**
 * Buffers handed back and forth between the decoders and the hashing pipeline instead of fresh ones per
 * file. Fresh memory costs a page fault per 4 KB the first time it is written (about 1.5 ms for a
 * 1600 x 1067 photo, a fifth of its decode), and each fresh buffer is off-heap memory that V8 counts
 * towards its next full garbage collection: a first scan reading every file into a new Buffer and
 * decoding every PNG into a new one ran 19 full collections on 1,320 files where reused buffers run 3
 * (`node --trace-gc`). A dataset's images mostly share a handful of sizes, so a buffer freed by the last
 * file fits the next one. Only buffers taken from a pool are ever taken back: releasing any other array
 * is a no-op, so a caller that keeps its bytes simply never releases them.
 * The pools live as long as the process (the VS Code extension host too), so what they keep is bounded in
 * bytes, not only in count, and a scan empties them when it ends (clearPools).
 */
export class BufferPool {
  private readonly pool: Buffer[] = [];
  private readonly issued = new WeakSet<ArrayBufferLike>();

  private kept = 0;

  /**
   * `max`: buffers kept for reuse (about what is in flight at once); `maxBytes`: their total size;
   * `maxBufferBytes`: a larger buffer is dropped when given back, never kept.
   */
  constructor(
    private readonly max: number,
    private readonly maxBytes = Infinity,
    private readonly maxBufferBytes = maxBytes,
  ) {}

  /** Bytes held for reuse now. */
  get keptBytes(): number {
    return this.kept;
  }

  /** Buffers held for reuse now. */
  get size(): number {
    return this.pool.length;
  }

  /** Drops every buffer held for reuse (those taken and not yet given back are simply not kept when they are). */
  clear(): void {
    this.pool.length = 0;
    this.kept = 0;
  }

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
      this.kept -= b.length;
      return b.subarray(0, bytes);
    }
    // allocUnsafeSlow: a buffer of its own, never a slice of Node's shared pool, so it can be reused whole.
    const b = Buffer.allocUnsafeSlow(bytes);
    this.issued.add(b.buffer);
    return b;
  }

  /**
   * Gives back bytes from take() once nothing reads them any more; anything else is ignored. Over the
   * count or byte budget, the smallest buffers go first: the largest fit the most files.
   */
  release(data: Uint8Array): void {
    const pool = this.pool;
    const bytes = data.buffer.byteLength;
    if (!this.issued.has(data.buffer) || bytes > this.maxBufferBytes || pool.some((b) => b.buffer === data.buffer)) return;
    pool.push(Buffer.from(data.buffer, 0, bytes));
    this.kept += bytes;
    while (pool.length > this.max || this.kept > this.maxBytes) {
      let smallest = 0;
      for (let i = 1; i < pool.length; i++) if (pool[i].length < pool[smallest].length) smallest = i;
      this.kept -= pool[smallest].length;
      pool.splice(smallest, 1);
    }
  }
}

/**
 * Each pool keeps at most 64 MiB, and no buffer over 16 MiB (a quarter: the four files in flight at once
 * fit together). A 1600 x 1067 photo's pixels are 5 MiB and its file under 1 MiB; a 12-megapixel
 * photo's 36 MiB of pixels are allocated per file, as before pooling.
 */
const POOL_BYTES = 64 * 2 ** 20;
const POOL_BUFFER_BYTES = 16 * 2 ** 20;

/** Decoded RGB pixels (the JPEG and PNG decoders write into them). */
const pixels = new BufferPool(8, POOL_BYTES, POOL_BUFFER_BYTES);
/** Files' bytes as read for decoding (hashing/pipeline.ts, through image/readFile.ts). */
export const fileBytesPool = new BufferPool(8, POOL_BYTES, POOL_BUFFER_BYTES);

/** Called when a scan's hashing ends: nothing it pooled stays pinned in a long-lived process between scans. */
export function clearPools(): void {
  pixels.clear();
  fileBytesPool.clear();
}

export const takePixels = (bytes: number): Buffer => pixels.take(bytes);
export const releasePixels = (data: Uint8Array): void => pixels.release(data);
