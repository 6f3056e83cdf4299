import { resolve } from 'node:path';
import { expectInt, invalidOption, MediaError } from '../../core/errors.js';
import type { HashFormat } from '../../core/hashers/format.js';
import { canonicalHasherName, hasherKey, hasherParamSpecs, HASHER_NAMES, listHashers, type HasherParams } from '../../core/hashers/registry.js';
import { ISOMETRIC_KEYS } from '../../core/hashers/types.js';
import { hashFiles } from '../../core/hashing/hashFiles.js';
import type { HashOutcome } from '../../core/hashing/types.js';
import { DEFAULT_MAX_PIXELS } from '../../core/image/decode.js';
import { parseSizeLimit } from '../../core/image/sizeLimits.js';
import { PhaseProfile, processCpuMs } from '../../core/profile/phaseProfile.js';
import { formatProfileReport, profileReport } from '../../core/profile/report.js';
import { parseCommandArgs, type OptionSpecs } from '../args.js';
import { EXIT, type CliIo } from '../io.js';

/** Hasher parameters as flags; the registry validates them per hasher (pdq takes none, wavelet wants a power of two). */
const PARAM_FLAGS = ['hash-size', 'highfreq-factor', 'exclude-first-term', 'freq-shift', 'box-filter'] as const;

const SPECS: OptionSpecs = {
  hasher: { kind: 'string', expected: `a hasher name (${HASHER_NAMES.join(', ')})` },
  'hash-size': { kind: 'number', expected: 'an integer between 2 and 64' },
  'highfreq-factor': { kind: 'number', expected: 'an integer between 1 and 16' },
  'exclude-first-term': { kind: 'boolean' },
  'freq-shift': { kind: 'number', expected: 'an integer of 0 or more' },
  'box-filter': { kind: 'boolean' },
  format: { kind: 'string', choices: ['base64', 'hex'] },
  isometric: { kind: 'boolean' },
  json: { kind: 'boolean' },
  'max-pixels': { kind: 'number', expected: 'a pixel count such as 100000000' },
  'max-file-size': { kind: 'strings', expected: 'a size such as 2G, or FORMAT=SIZE such as png=600M' },
  'fast-decode': { kind: 'boolean' },
  'files-from': { kind: 'string', expected: 'a file listing one path per line' },
  'from-hashes': { kind: 'string', expected: 'a JSON-lines file of {"id", "hash"} records' },
  shard: { kind: 'string', expected: 'I/N, e.g. 3/16 (0-based)' },
  'shard-count': { kind: 'number', expected: 'the number of shards (with JOB_COMPLETION_INDEX)' },
  out: { kind: 'string', expected: 'a folder for the shard' },
  root: { kind: 'string', expected: 'the folder the listed paths are relative to' },
  profile: { kind: 'boolean' },
};

function help(): string {
  const hashers = listHashers()
    .map((h) => `  ${h.name.padEnd(13)}${h.description}${h.params.length ? ` [${h.params.map((p) => `--${p.flag}`).join(' ')}]` : ''}`)
    .join('\n');
  return `media-dedupe hash <files...> [options]
media-dedupe hash --files-from LIST --shard I/N --out DIR [--root DIR] [options]

Prints a perceptual hash per file, in perception's string format (bits packed MSB-first, base64).

Options:
  --hasher NAME           hasher to use (default phash)
  --hash-size N           hash grid side for phash/dhash/ahash/wavelet (default 16)
  --highfreq-factor N     phash: resize to hash-size x N before the DCT (default 4)
  --exclude-first-term    phash: drop the DC term
  --freq-shift N          phash: skip the N lowest frequencies (default 0)
  --box-filter            phash: box-blur first (the Zauner variant)
  --format base64|hex     hash string encoding (default base64)
  --isometric             also print the 8 rotated/flipped variants (r0 fv fh r180 r90 r90fv r90fh r270)
  --json                  one JSON object per line:
                            {"path", "hasher", "hash"} (with --isometric "hashes": {"r0", ...})
                            {"path", "error": {"code", "message"}} for a file that cannot be hashed
  --max-pixels N          refuse images declaring more pixels than this (default ${DEFAULT_MAX_PIXELS})
  --max-file-size [FORMAT=]SIZE  largest file read, per format sniffed from its first bytes (default JPEG 256M,
                          PNG 512M, TIFF/BMP 1G; see the README), repeatable; bigger: TOO_LARGE, not read
  --fast-decode           let JPEG decoding shrink images by 2, 4 or 8 (about 2x faster on photos;
                          hashes then differ from perception's by a few bits)
  --profile               print where the time went (read, decode, hash) to stderr at the end

Sharded (one task of an array job; see the README, "Datasets larger than one machine"):
  --files-from LIST       hash the files listed in LIST (one path per line, relative to --root)
  --shard I/N             this task's contiguous slice of the list, 0-based (default: from
                          SLURM_ARRAY_TASK_ID/SLURM_ARRAY_TASK_COUNT, or JOB_COMPLETION_INDEX/--shard-count)
  --shard-count N         the number of shards, with a Kubernetes Indexed Job's JOB_COMPLETION_INDEX
  --out DIR               write hashes-0000I-of-0000N.parquet and its .json sidecar there (temporary
                          names renamed when complete: a re-run overwrites only its own shard)
  --root DIR              the dataset folder the listed paths are relative to (default: the current folder)
  --from-hashes FILE      instead of hashing files: shard hashes computed elsewhere (perception's JSON lines
                          {"id", "hash"}, as "pairs" reads them; --hasher says which hasher made them)

Hashers:
${hashers}

A file that cannot be hashed gets an error record and the others go on.
Exit status: 0 when at least one file was hashed, 1 when none could be, 2 for bad options.
`;
}

/** Shows option names the way they were typed ("--hash-size"), whichever layer produced the message. */
function asFlag(e: unknown): unknown {
  if (!(e instanceof MediaError) || e.code !== 'INVALID_OPTION') return e;
  const names = ['hasher', 'hash-size x highfreq-factor', ...PARAM_FLAGS].join('|');
  return new MediaError('INVALID_OPTION', e.message.replace(new RegExp(` for (${names}) but `), ' for --$1 but '));
}

export async function run(argv: string[], io: CliIo): Promise<number> {
  const args = parseCommandArgs(argv, SPECS, help, io);
  if (!args) return EXIT.ok;
  const { positionals, options } = args;
  const sharded = options['files-from'] !== undefined || options['from-hashes'] !== undefined;
  if (options['files-from'] !== undefined && options['from-hashes'] !== undefined)
    throw invalidOption('--files-from', 'either --files-from or --from-hashes, not both', '--from-hashes as well');
  if (sharded && positionals.length) throw invalidOption('files', 'either files or --files-from, not both', positionals.join(' '));
  if (!sharded && positionals.length === 0) throw invalidOption('files', 'at least one image file', 'none (usage: media-dedupe hash <files...>)');
  // Everything before this line (node's start, loading the CLI) is the profile's start-up.
  const profile = options.profile === true ? new PhaseProfile() : undefined;
  profile?.add('start-up', performance.now(), 'main', 1, processCpuMs());

  const hasherArg = (options.hasher as string | undefined) ?? 'phash';
  let name: string;
  const params: Record<string, number | boolean> = {};
  for (const f of PARAM_FLAGS) if (options[f] !== undefined && options[f] !== false) params[f] = options[f] as number | boolean;
  let key: string;
  try {
    name = canonicalHasherName(hasherArg);
    const takes = hasherParamSpecs(name).map((p) => p.flag);
    for (const f of Object.keys(params))
      if (!takes.includes(f))
        throw new MediaError(
          'INVALID_OPTION',
          `--${f} does not apply to the ${name} hasher (${takes.length ? `it takes ${takes.map((t) => `--${t}`).join(', ')}` : 'it takes no parameters'})`,
        );
    key = hasherKey({ name, params: params as HasherParams });
  } catch (e) {
    throw asFlag(e);
  }
  const format = ((options.format as string | undefined) ?? 'base64') as HashFormat;
  const maxPixels = options['max-pixels'] === undefined ? DEFAULT_MAX_PIXELS : expectInt('--max-pixels', options['max-pixels'], 1, Number.MAX_SAFE_INTEGER);
  const isometric = options.isometric === true;
  const json = options.json === true;
  const maxFileBytes = options['max-file-size'] ? Object.fromEntries((options['max-file-size'] as string[]).map(parseSizeLimit)) : undefined;
  const decode = { maxPixels, ...(maxFileBytes ? { maxFileBytes } : {}), mode: options['fast-decode'] === true ? ('fast' as const) : ('parity' as const) };
  if (sharded) {
    if (isometric) throw invalidOption('--isometric', 'nothing with --files-from (sharded search is upright only)', true);
    const { runHashShard } = await import('./hashShard.js');
    return runHashShard(options, { name, params: params as HasherParams }, decode, io);
  }

  // Results print in the order the files were given, as soon as every earlier file is done.
  const pending = new Map<number, HashOutcome>();
  let nextOut = 0;
  let ok = 0;
  let failed = 0;
  const emit = (o: HashOutcome): void => {
    const shown = positionals[nextOut];
    if (o.ok) {
      ok++;
      if (json) {
        const rec = isometric ? { path: shown, hasher: name, hashes: o.isometric![key] } : { path: shown, hasher: name, hash: o.hashes[key] };
        io.stdout.write(JSON.stringify(rec) + '\n');
      } else if (isometric) {
        const v = o.isometric![key];
        io.stdout.write(`${shown}  ${ISOMETRIC_KEYS.map((k) => `${k}=${v[k] ?? 'none'}`).join(' ')}\n`);
      } else io.stdout.write(`${o.hashes[key] ?? 'none'}  ${shown}\n`);
    } else {
      failed++;
      if (json) io.stdout.write(JSON.stringify({ path: shown, error: o.error }) + '\n');
      else io.stderr.write(`${shown}: ${o.error.code}: ${o.error.message}\n`);
    }
  };
  await hashFiles(
    positionals.map((p) => resolve(io.cwd, p)),
    [{ name, params: params as HasherParams }],
    {
      isometric,
      format,
      decode,
      profile,
      onResult: (o, i) => {
        pending.set(i, o);
        while (pending.has(nextOut)) {
          const r = pending.get(nextOut)!;
          pending.delete(nextOut);
          emit(r);
          nextOut++;
        }
      },
    },
  );
  if (!json && failed > 0) io.stderr.write(`media-dedupe hash: ${failed} of ${ok + failed} files could not be hashed\n`);
  if (profile) io.stderr.write(formatProfileReport(profileReport(profile, { files: ok + failed, hashed: ok })));
  return ok > 0 ? EXIT.ok : EXIT.findings;
}
