import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { invalidOption } from '../../core/errors.js';
import { compareAgainst } from '../../core/query/compare.js';
import { parseCommandArgs, type OptionSpecs } from '../args.js';
import { EXIT, type CliIo } from '../io.js';
import { printablePath } from './check.js';
import { parseHasherArg } from './scanArgs.js';

const SPECS: OptionSpecs = {
  against: { kind: 'string', expected: 'a dataset folder scanned before' },
  hasher: { kind: 'strings', expected: 'NAME[:SIZE][@THRESHOLD] such as phash:16@0.2' },
  json: { kind: 'boolean' },
  cache: { kind: 'boolean' },
  'fail-on-match': { kind: 'boolean' },
  'crop-resistant': { kind: 'boolean' },
};

const HELP = `media-dedupe compare <files-or-dirs...> --against <dataset-dir> [--hasher NAME[:SIZE][@THRESHOLD]]... [--json] [--no-cache] [--no-fail-on-match]
                         [--crop-resistant|--no-crop-resistant]

The ingest gate: which of these new files are already in the dataset? Hashes the new files (folders are
walked as a scan walks them; the hashes are cached in their folder's .media-dedupe/) and searches them
against the hashes the dataset's last "media-dedupe scan" saved in <dataset-dir>/.media-dedupe/. The
dataset's images are never opened again: only its manifest (for the hashers and thresholds, unless
--hasher is given) and its cache are read. Prints, per new file with matches, each dataset file within
threshold with its distance (new<TAB>dataset<TAB>distance<TAB>hasher, and with --crop-resistant a fifth
column "content-box" or "crop-window" for a match found after trimming borders or in a crop window), then
a summary on stderr.

--crop-resistant also finds new files that are bordered or cropped copies of dataset files, or of which a
dataset file is one, as "media-dedupe scan --crop-resistant" does (docs/crop-resistant.md). It needs a
dataset scanned with --crop-resistant, and is on by default when the dataset's manifest says it was.

Exit status: 0 no new file matches, 1 some new file matches (--no-fail-on-match: 0), 2 bad options or a
dataset never scanned with these hashers, 3 internal error.
`;

export async function run(argv: string[], io: CliIo): Promise<number> {
  const args = parseCommandArgs(argv, SPECS, HELP, io);
  if (!args) return EXIT.ok;
  const { positionals, options } = args;
  if (positionals.length === 0)
    throw invalidOption('<files-or-dirs>', 'new files or folders to check (usage: media-dedupe compare <files> --against <dataset>)', undefined);
  if (options.against === undefined) throw invalidOption('--against', 'the dataset folder to check against', undefined);
  const dataset = resolve(io.cwd, options.against as string);
  if (!existsSync(dataset) || !statSync(dataset).isDirectory()) throw invalidOption('--against', 'an existing folder', options.against);
  const hashers = (options.hasher as string[] | undefined)?.map(parseHasherArg);
  const r = await compareAgainst({
    inputs: positionals.map((p) => resolve(io.cwd, p)),
    cwd: io.cwd,
    dataset,
    ...(hashers ? { hashers } : {}),
    useCache: options.cache !== false,
    ...(options['crop-resistant'] !== undefined ? { cropResistant: options['crop-resistant'] as boolean } : {}),
    log: (m) => io.stderr.write(`media-dedupe compare: ${m}\n`),
  });
  const matched = r.files.filter((f) => f.matches.length > 0);
  if (options.json === true) {
    io.stdout.write(JSON.stringify({ ...r, matched: matched.length }, null, 2) + '\n');
  } else {
    for (const s of r.skipped) io.stderr.write(`skipped ${printablePath(s.path)}: ${s.code}: ${s.message}\n`);
    for (const f of matched)
      for (const m of f.matches)
        io.stdout.write(`${printablePath(f.path)}\t${printablePath(m.path)}\t${m.distance}\t${m.hasher}${m.via ? `\t${m.via}` : ''}\n`);
    io.stderr.write(
      `media-dedupe compare: ${matched.length} of ${r.files.length} new files match the dataset (${r.searched} saved hashes; ${r.hashers.map((h) => `${h.label} < ${h.threshold}`).join(', ')}); ` +
        `${r.hashed} hashed, ${r.cached} from cache, ${r.skipped.length} skipped; dataset files opened: ${r.datasetFilesOpened} (${r.seconds.toFixed(1)} s)\n`,
    );
  }
  return matched.length > 0 && options['fail-on-match'] !== false ? EXIT.findings : EXIT.ok;
}
