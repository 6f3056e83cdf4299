/**
 * The one place that reads and writes Parquet: hyparquet (reader) and hyparquet-writer (writer), pure
 * JavaScript with no dependencies of their own, kept by one team (Hyperparam) and working on Node 20.
 * Measured here against @dsnp/parquetjs 1.8.7 (the maintained parquetjs fork; its 1.9 wants Node 24) on
 * 200,000 hash-shard rows: writing 0.93 vs 4.34 CPU s, files of the same size, 1 MB installed vs 48 MB
 * (parquetjs pulls in an S3 client); hashes stored as FIXED_LEN_BYTE_ARRAY are read back as views of the
 * page (1M rows: 0.77 CPU s). Files are written uncompressed: hashes do not compress, and the search
 * tasks read only the packed hashes that `plan` writes (planShards.ts), never the Parquet files.
 */
import { readFileSync } from 'node:fs';
import { parquetMetadata, parquetRead } from 'hyparquet';
import { parquetWriteBuffer } from 'hyparquet-writer';
import type { ColumnSource } from 'hyparquet-writer';
import { writeFileAtomicSync } from '../files/atomicWrite.js';

export type ParquetColumn =
  | { readonly name: string; readonly kind: 'string'; readonly data: readonly (string | null)[] }
  | { readonly name: string; readonly kind: 'bytes'; readonly width: number; readonly data: readonly (Uint8Array | null)[] }
  | { readonly name: string; readonly kind: 'int32'; readonly data: ArrayLike<number> }
  | { readonly name: string; readonly kind: 'double'; readonly data: readonly (number | null)[] | Float64Array };

/** Writes the columns as one Parquet file, under a temporary name renamed when complete. */
export function writeParquet(path: string, columns: readonly ParquetColumn[], rows: number): void {
  const schema: Record<string, unknown>[] = [{ name: 'root', num_children: columns.length }];
  const columnData: ColumnSource[] = columns.map((c) => {
    if (c.data.length !== rows) throw new Error(`column ${c.name}: ${c.data.length} values for ${rows} rows`);
    const nullable = c.kind === 'string' || c.kind === 'bytes' || (c.kind === 'double' && !(c.data instanceof Float64Array));
    const repetition_type = nullable ? 'OPTIONAL' : 'REQUIRED';
    if (c.kind === 'string') schema.push({ name: c.name, type: 'BYTE_ARRAY', converted_type: 'UTF8', repetition_type });
    else if (c.kind === 'bytes') schema.push({ name: c.name, type: 'FIXED_LEN_BYTE_ARRAY', type_length: c.width, repetition_type });
    else if (c.kind === 'int32') schema.push({ name: c.name, type: 'INT32', repetition_type });
    else schema.push({ name: c.name, type: 'DOUBLE', repetition_type });
    return { name: c.name, data: (c.kind === 'int32' ? Int32Array.from(c.data) : c.data) as ColumnSource['data'], nullable };
  });
  const bytes = parquetWriteBuffer({
    columnData,
    schema: schema as never,
    codec: 'UNCOMPRESSED',
    statistics: false,
    rowGroupSize: 1 << 20,
    createdBy: 'media-dedupe',
  });
  writeFileAtomicSync(path, new Uint8Array(bytes));
}

/** Rows in a Parquet file, from its footer. */
export function parquetRows(path: string): number {
  const b = readFileSync(path);
  return Number(parquetMetadata(b.buffer.slice(b.byteOffset, b.byteOffset + b.length)).num_rows);
}

/**
 * Reads the named columns, each as one array in row order; `onRows(column, values, rowStart)` receives
 * them chunk by chunk instead, so a reader can pack them without holding every value.
 */
export async function readParquetColumns(
  path: string,
  columns: readonly string[],
  onRows: (column: string, values: ArrayLike<unknown>, rowStart: number) => void,
): Promise<number> {
  const b = readFileSync(path);
  const file = b.buffer.slice(b.byteOffset, b.byteOffset + b.length);
  const rows = Number(parquetMetadata(file).num_rows);
  await parquetRead({
    file,
    columns: [...columns],
    onChunk(c) {
      onRows(c.columnName, c.columnData, c.rowStart);
    },
  });
  return rows;
}
