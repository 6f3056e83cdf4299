import { existsSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { HashCache, listCaches } from '../../core/cache/hashCache.js';
import { CACHE_DIR_NAME } from '../../core/cache/cacheDir.js';
import { expectInt, invalidOption, MediaError } from '../../core/errors.js';
import { hashFiles } from '../../core/hashing/hashFiles.js';
import { ISOMETRIC_KEYS } from '../../core/hashers/types.js';
import { GENERATOR } from '../../core/manifest/generator.js';
import { nearest, type Neighbour } from '../../core/scan/nearest.js';
import { normalizeHasher } from '../../core/scan/options.js';
import { prepareTables, type TableSpec } from '../../core/scan/hashTables.js';
import { hashStringToBytes } from '../../core/hashers/format.js';
import { AnnoyHashIndex } from '../../core/index/annoyIndex.js';
import { parseArgs, type OptionSpecs } from '../args.js';
import { EXIT, type CliIo } from '../io.js';
import { parseHasherArg } from './scanArgs.js';

const SPECS: OptionSpecs = {
  k: { kind: 'number', expected: 'an integer between 1 and 10000' },
  dir: { kind: 'string', expected: 'a scanned folder' },
  hasher: { kind: 'string', expected: 'NAME[:SIZE][@THRESHOLD] such as phash:16@0.2' },
  isometric: { kind: 'boolean' },
  exact: { kind: 'boolean' },
  json: { kind: 'boolean' },
  help: { kind: 'boolean' },
};

const HELP = `media-dedupe query <image> [--k N] [--dir DIR] [--hasher NAME[:SIZE][@THRESHOLD]] [--isometric] [--exact] [--json]

Prints the N dataset files nearest to <image> (default 10) with their distances, from the index saved
by the last "media-dedupe scan" of the dataset (its .media-dedupe/ folder). The dataset is --dir, else
the nearest folder above the current one, then above the image, that holds .media-dedupe/.
The saved Annoy index proposes candidates and every distance shown is exact; with --exact (or when no
index was saved) every cached hash is compared instead. "dup" marks distances below the threshold.

Exit status: 0 results printed, 2 bad options or no scanned dataset found, 3 internal error.
`;

/** The nearest folder at or above `start` holding a cache folder. */
function findDataset(start: string): string | undefined {
  for (let d = resolve(start); ; d = dirname(d)) {
    if (existsSync(join(d, CACHE_DIR_NAME))) return d;
    if (dirname(d) === d) return undefined;
  }
}

/** Neighbours from the saved Annoy index (best over the query's variants), or undefined when there is no usable index. */
function queryIndex(cacheDir: string, table: TableSpec, queries: readonly string[], k: number): { found: Neighbour[]; size: number } | undefined {
  if (table.hasher.dtype !== 'bool') return undefined;
  const loaded = AnnoyHashIndex.tryLoad(cacheDir, { hasherKey: table.key, bits: Math.ceil(table.hasher.hashLength / 8) * 8 });
  if (!loaded.ok) return undefined;
  const index = loaded.index;
  try {
    const best = new Map<string, number>();
    for (const q of queries) {
      for (const hit of index.query(hashStringToBytes(q), Math.min(k, index.size), { searchNeighbours: Math.max(100, 10 * k) })) {
        const d = hit.distance / table.hasher.hashLength;
        if (d < (best.get(hit.path) ?? Infinity)) best.set(hit.path, d);
      }
    }
    const found = [...best].map(([path, distance]) => ({ path, distance })).sort((a, b) => a.distance - b.distance || (a.path < b.path ? -1 : 1));
    return { found: found.slice(0, k), size: index.size };
  } finally {
    index.close();
  }
}

export async function run(argv: string[], io: CliIo): Promise<number> {
  const { positionals, options } = parseArgs(argv, SPECS);
  if (options.help) {
    io.stdout.write(HELP);
    return EXIT.ok;
  }
  if (positionals.length !== 1)
    throw invalidOption('<image>', 'one image file (usage: media-dedupe query <image>)', positionals.length ? positionals.join(' ') : undefined);
  const image = resolve(io.cwd, positionals[0]);
  if (!existsSync(image) || !statSync(image).isFile()) throw invalidOption('<image>', 'an existing image file', positionals[0]);
  const k = options.k === undefined ? 10 : expectInt('--k', options.k, 1, 10000);
  const isometric = options.isometric === true;

  const dir = options.dir !== undefined ? resolve(io.cwd, options.dir as string) : (findDataset(io.cwd) ?? findDataset(dirname(image)));
  if (!dir || !existsSync(join(dir, CACHE_DIR_NAME))) {
    throw invalidOption(
      '--dir',
      `a folder scanned before (holding ${CACHE_DIR_NAME}/); run "media-dedupe scan <dir>" first`,
      (options.dir as string | undefined) ?? 'none found above the current folder or the image',
    );
  }
  const config = normalizeHasher(parseHasherArg((options.hasher as string | undefined) ?? 'phash:16'));
  const [table] = prepareTables([config]);

  // The cache written by a scan with this hasher (among others) and this engine version.
  const caches = (await listCaches(dir)).filter((c) => {
    const parts = c.settingsKey.split('|');
    return parts[1] === `engine-${GENERATOR.version}` && parts.includes(table.key);
  });
  if (caches.length === 0)
    throw invalidOption('--hasher', `a hasher the last scan of ${dir} used (no saved ${table.label} hashes there)`, options.hasher ?? table.label);
  const keys = caches[0].settingsKey.split('|').slice(2);
  const logs: string[] = [];
  const cache = await HashCache.readOnly(dir, { settingsKey: caches[0].settingsKey, hashKeys: keys, log: (m) => logs.push(m) });
  for (const m of logs) io.stderr.write(`media-dedupe query: ${m}\n`);

  const [outcome] = await hashFiles([image], [table.spec], { isometric });
  if (!outcome.ok) throw new MediaError(outcome.error.code, `${positionals[0]}: ${outcome.error.message}`, image);
  const queries = isometric
    ? ISOMETRIC_KEYS.map((v) => outcome.isometric![table.key][v]).filter((h): h is string => h !== null)
    : [outcome.hashes[table.key]].filter((h): h is string => h !== null);
  if (queries.length === 0)
    throw new MediaError('UNIFORM_IMAGE', `${positionals[0]}: ${table.label} gives no hash for this image (as perception returns None)`, image);

  const data: { path: string; hash: string }[] = [];
  for (const e of cache.all()) {
    const h = e.hashes?.[table.key];
    if (typeof h === 'string') data.push({ path: e.path, hash: h });
  }
  const fromIndex = options.exact === true ? undefined : queryIndex(join(dir, CACHE_DIR_NAME), table, queries, k);
  const found: Neighbour[] = fromIndex?.found ?? nearest(queries, data, table.hasher, k);
  const method = fromIndex ? 'index' : 'exact';
  const searched = fromIndex?.size ?? data.length;
  if (options.json === true) {
    const results = found.map((n) => ({ path: n.path, distance: n.distance, duplicate: n.distance < config.threshold }));
    io.stdout.write(
      JSON.stringify({ image: positionals[0], dataset: dir, hasher: table.label, threshold: config.threshold, method, searched, results }, null, 2) + '\n',
    );
  } else {
    for (const n of found) io.stdout.write(`${n.distance.toFixed(4)}\t${n.path}${n.distance < config.threshold ? '\tdup' : ''}\n`);
    io.stderr.write(
      `media-dedupe query: ${found.length} nearest of ${searched} files in ${dir} (${table.label}, threshold ${config.threshold}, ${method === 'index' ? 'saved index' : 'exact comparison'})\n`,
    );
  }
  return EXIT.ok;
}
