import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';

/** What every bench section receives from bench.ts. */
export interface BenchContext {
  /** The shared benchmark folder (images/, videos/, ground_truth.json). */
  readonly benchDir: string;
  /** The repository root (dist/ lives here). */
  readonly repoRoot: string;
  /** Timing rounds per configuration (interleaved; medians reported). */
  readonly rounds: number;
  /** --explore: sweep more configurations (slower), for design decisions. */
  readonly explore: boolean;
  /** --keep-dirs: more folders with a ground_truth.json for the keep-policy section (e.g. a held-out benchmark). */
  readonly keepDirs?: readonly string[];
  readonly out: (text: string) => void;
}

/**
 * True when bench/<name>.ts was started directly (npx tsx bench/<name>.ts). Not `require.main === module`:
 * inside the single-file bundle dist/bench.js every section shares the bundle's `module`, so that test is
 * true for all of them at once; the script path tells the two apart.
 */
export function runsAlone(name: string): boolean {
  return new RegExp(`[\\\\/]bench[\\\\/]${name}(\\.[cm]?[jt]s)?$`).test(process.argv[1] ?? '');
}

/**
 * Per-file results a section computed once for a benchmark folder, kept in the temp folder under `kind`
 * and keyed by the folder and its ground truth (a rebuilt benchmark gets a new key): the cached value,
 * else compute() stored.
 */
export async function cachedForBench<T>(kind: string, dir: string, compute: () => Promise<T>): Promise<T> {
  const id = createHash('sha256')
    .update(dir)
    .update(readFileSync(join(dir, 'ground_truth.json')))
    .digest('hex')
    .slice(0, 16);
  const file = join(tmpdir(), `media-dedupe-${kind}`, `${basename(dir)}-${id}.json`);
  if (existsSync(file)) return JSON.parse(readFileSync(file, 'utf8')) as T;
  const value = await compute();
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, JSON.stringify(value));
  return value;
}
