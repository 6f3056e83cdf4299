// Where the tests' data lives. Paths are relative to this file, so this module is for tests run from the sources
// (the bench is bundled into dist/ and finds ../shared itself).
import { existsSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** ../shared beside the checkout (or MEDIA_DEDUPE_SHARED). Tests that need it skip with this reason when it is absent. */
export const SHARED_DIR = resolve(process.env.MEDIA_DEDUPE_SHARED ?? join(__dirname, '..', '..', '..', '..', 'shared'));
export const REFERENCE_DIR = join(SHARED_DIR, 'reference', 'perception');
export const BENCH_DIR = join(SHARED_DIR, 'bench');

export function sharedSkipReason(sub = ''): string | false {
  const p = join(SHARED_DIR, sub);
  return existsSync(p) ? false : `needs ${p} (the shared reference/benchmark folder beside the checkout); not found, so skipped`;
}

/** The small binary fixtures kept in git (images and video clips; also read by scripts/demo.mjs). */
export const FIXTURES_DIR = resolve(__dirname, '..', '..', '..', 'test', 'fixtures');

/** The files of ../shared/bench/images (one folder per family) whose names match `re`, sorted. */
export function benchImageFiles(re: RegExp): string[] {
  const dir = join(BENCH_DIR, 'images');
  return readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .flatMap((d) => readdirSync(join(dir, d.name)).map((f) => join(dir, d.name, f)))
    .filter((f) => re.test(f))
    .sort();
}
