import { existsSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { CACHE_DIR_NAME, hasCacheDir } from '../../core/cache/cacheDir.js';
import { expectInt, invalidOption, MediaError } from '../../core/errors.js';
import { findSimilar } from '../../core/query/findSimilar.js';
import { parseCommandArgs, type OptionSpecs } from '../args.js';
import { EXIT, type CliIo } from '../io.js';
import { parseHasherArg } from './scanArgs.js';

const SPECS: OptionSpecs = {
  k: { kind: 'number', expected: 'an integer between 1 and 10000' },
  dir: { kind: 'string', expected: 'a scanned folder' },
  hasher: { kind: 'string', expected: 'NAME[:SIZE][@THRESHOLD] such as phash:16@0.2' },
  isometric: { kind: 'boolean' },
  exact: { kind: 'boolean' },
  json: { kind: 'boolean' },
  'crop-resistant': { kind: 'boolean' },
};

const HELP = `media-dedupe query <image> [--k N] [--dir DIR] [--hasher NAME[:SIZE][@THRESHOLD]] [--isometric] [--exact] [--json]

Prints the N dataset files nearest to <image> (default 10) with their distances, from the index saved
by the last "media-dedupe scan" of the dataset (its .media-dedupe/ folder). The dataset is --dir, else
the nearest folder above the current one, then above the image, that holds .media-dedupe/.
The saved Annoy index proposes candidates and every distance shown is exact; with --exact (or when no
index was saved) every cached hash is compared instead. "dup" marks distances below the threshold.
Whole images only: to find bordered or cropped copies of an image in a dataset scanned with
--crop-resistant, use "media-dedupe compare <image> --against <dir>" (--crop-resistant here says so).

Exit status: 0 results printed, 2 bad options or no scanned dataset found, 3 internal error.
`;

/** The nearest folder at or above `start` holding a cache folder. */
function findDataset(start: string): string | undefined {
  for (let d = resolve(start); ; d = dirname(d)) {
    if (hasCacheDir(d)) return d;
    if (dirname(d) === d) return undefined;
  }
}

/** The command line around findSimilar (core/query): arguments, finding the dataset, printing. */
export async function run(argv: string[], io: CliIo): Promise<number> {
  const args = parseCommandArgs(argv, SPECS, HELP, io);
  if (!args) return EXIT.ok;
  const { positionals, options } = args;
  if (options['crop-resistant'] === true)
    throw new MediaError(
      'INVALID_OPTION',
      'query ranks whole images by distance and has no --crop-resistant; for bordered or cropped copies run "media-dedupe compare <image> --against <dir> --crop-resistant"',
    );
  if (positionals.length !== 1)
    throw invalidOption('<image>', 'one image file (usage: media-dedupe query <image>)', positionals.length ? positionals.join(' ') : undefined);
  const image = resolve(io.cwd, positionals[0]);
  if (!existsSync(image) || !statSync(image).isFile()) throw invalidOption('<image>', 'an existing image file', positionals[0]);
  const k = options.k === undefined ? 10 : expectInt('--k', options.k, 1, 10000);

  const dir = options.dir !== undefined ? resolve(io.cwd, options.dir as string) : (findDataset(io.cwd) ?? findDataset(dirname(image)));
  if (!dir || !hasCacheDir(dir)) {
    throw invalidOption(
      '--dir',
      `a folder scanned before (holding ${CACHE_DIR_NAME}/); run "media-dedupe scan <dir>" first`,
      (options.dir as string | undefined) ?? 'none found above the current folder or the image',
    );
  }
  const hasherArg = options.hasher as string | undefined;
  const r = await findSimilar({
    image,
    dataset: dir,
    hasher: parseHasherArg(hasherArg ?? 'phash:16'),
    k,
    isometric: options.isometric === true,
    exact: options.exact === true,
    log: (m) => io.stderr.write(`media-dedupe query: ${m}\n`),
    shownAs: { image: positionals[0], hasherOption: '--hasher', ...(hasherArg !== undefined ? { hasherArg } : {}) },
  });
  if (options.json === true) {
    io.stdout.write(JSON.stringify({ image: positionals[0], ...r }, null, 2) + '\n');
  } else {
    for (const n of r.results) io.stdout.write(`${n.distance.toFixed(4)}\t${n.path}${n.duplicate ? '\tdup' : ''}\n`);
    io.stderr.write(
      `media-dedupe query: ${r.results.length} nearest of ${r.searched} files in ${dir} (${r.hasher}, threshold ${r.threshold}, ${r.method === 'index' ? 'saved index' : 'exact comparison'})\n`,
    );
  }
  return EXIT.ok;
}
