/**
 * Reading hash shards (written by hashShards.ts): what plan, the table-shard tasks and the merge read of
 * them, apart from the hashing pipeline, so that those tasks never load the image decoders (sharp and
 * libvips cost each table-shard task about 75 ms of CPU to load, and a run has thousands of tasks).
 */
import { readParquetColumns } from './parquet.js';

/** What every hash shard of one run shares; a merge refuses shards whose settings differ. */
export interface HashShardSettings {
  /** Absolute folder the listed paths are relative to (the manifest's dataset root). */
  readonly root: string;
  /** SHA-256 and line count of the file list, so shards of two different lists never merge. */
  readonly list: { readonly sha256: string; readonly files: number };
  readonly hasher: {
    readonly name: string;
    readonly key: string;
    readonly hashSize?: number;
    readonly params?: Record<string, number | boolean>;
    readonly bits: number;
    readonly dtype: string;
  };
  readonly decode: 'parity' | 'fast';
}

/** One hash shard's rows, as the merge steps read them. */
export interface HashShardRows {
  readonly paths: string[];
  /** rows x stride bytes, zero where `hashed[k]` is 0 */
  readonly hashes: Uint8Array;
  readonly hashed: Uint8Array;
  readonly size: Float64Array;
  readonly mtime: Float64Array;
  readonly sha256: (string | null)[];
  readonly width: Int32Array;
  readonly height: Int32Array;
  readonly error: (string | null)[];
  readonly message: (string | null)[];
}

/** Reads the hash column only, into `out` at row `at` (stride bytes a row), and marks hashed rows. */
export async function readShardHashes(path: string, out: Uint8Array, stride: number, hashed: Uint8Array, at: number): Promise<number> {
  return readParquetColumns(path, ['hash'], (_, values, rowStart) => {
    for (let k = 0; k < values.length; k++) {
      const v = values[k] as Uint8Array | null | undefined;
      if (!v) continue;
      out.set(v, (at + rowStart + k) * stride);
      hashed[at + rowStart + k] = 1;
    }
  });
}

/** Every column of one shard. */
export async function readHashShard(path: string, rows: number, stride: number): Promise<HashShardRows> {
  const r: HashShardRows = {
    paths: new Array<string>(rows),
    hashes: new Uint8Array(rows * stride),
    hashed: new Uint8Array(rows),
    size: new Float64Array(rows),
    mtime: new Float64Array(rows),
    sha256: new Array<string | null>(rows).fill(null),
    width: new Int32Array(rows),
    height: new Int32Array(rows),
    error: new Array<string | null>(rows).fill(null),
    message: new Array<string | null>(rows).fill(null),
  };
  await readParquetColumns(path, ['path', 'hash', 'size', 'mtime', 'sha256', 'width', 'height', 'error', 'message'], (column, values, at) => {
    for (let k = 0; k < values.length; k++) {
      const v = values[k];
      const row = at + k;
      if (column === 'path') r.paths[row] = v as string;
      else if (column === 'hash' && v) {
        r.hashes.set(v as Uint8Array, row * stride);
        r.hashed[row] = 1;
      } else if (column === 'size') r.size[row] = (v as number | null) ?? 0;
      else if (column === 'mtime') r.mtime[row] = (v as number | null) ?? 0;
      else if (column === 'sha256') r.sha256[row] = v ? Buffer.from(v as Uint8Array).toString('hex') : null;
      else if (column === 'width') r.width[row] = v as number;
      else if (column === 'height') r.height[row] = v as number;
      else if (column === 'error') r.error[row] = (v as string | null) ?? null;
      else if (column === 'message') r.message[row] = (v as string | null) ?? null;
    }
  });
  return r;
}
