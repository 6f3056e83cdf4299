import { MediaError, writeFailure } from '../core/errors.js';
import { EXIT, type CliIo, type CommandRun } from './io.js';
import { kernelLevel, nativeKernelsInfo } from '../core/kernels/kernels.js';
import { nativeDecoderInfo } from '../core/image/nativeDecoder.js';

const USAGE = `media-dedupe — find duplicate and near-duplicate images and videos with perceptual hashes

Usage:
  media-dedupe hash <files...> [--hasher NAME] [--hash-size N] [--format base64|hex] [--isometric] [--json]
  media-dedupe scan <dir> [--hasher NAME[:SIZE][@THRESHOLD]]... [--isometric] [--group-by none|folder|parent]
                    [--strict] [--protect GLOB]... [--manifest FILE] [--pairs-csv FILE] [--json] [--no-cache]
                    [--no-videos] [--ffmpeg PATH] [--color-check|--parity] [--crop-resistant] [--remove all|reviewed]
                    [--keep-policy LIST] [--all-pairs]
  media-dedupe pairs <hashes.jsonl> [--threshold T] [--exact|--approximate]
  media-dedupe query <image> [--k N]
  media-dedupe check <dir>
  media-dedupe compare <files-or-dirs...> --against <dataset-dir>
  media-dedupe prune <dir> [--dry-run]

Datasets larger than one machine (array jobs; see the README):
  media-dedupe hash --files-from LIST --shard I/N --out DIR
  media-dedupe plan --from-shards DIR
  media-dedupe pairs --from-shards DIR --tables I/N --out PAIRS
  media-dedupe cluster --from-shards DIR --pairs PAIRS --manifest OUT

Run "media-dedupe <command> --help" for a command's options.`;

// Commands load lazily so `media-dedupe hash` never pays for the search or video code.
const COMMANDS: Record<string, () => Promise<{ run: CommandRun }>> = {
  hash: () => import('./commands/hash.js'),
  pairs: () => import('./commands/pairs.js'),
  scan: () => import('./commands/scan.js'),
  check: () => import('./commands/check.js'),
  compare: () => import('./commands/compare.js'),
  prune: () => import('./commands/prune.js'),
  query: () => import('./commands/query.js'),
  plan: () => import('./commands/plan.js'),
  cluster: () => import('./commands/cluster.js'),
};

export async function main(argv: string[], io: CliIo): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    io.stdout.write(USAGE + '\n');
    return name ? EXIT.ok : EXIT.usage;
  }
  if (name === '--version' || name === '-V') {
    // Which decoder and kernels this install uses: the hashes are the same, the speed is not.
    const d = nativeDecoderInfo();
    const decoder = d.available ? `native addon for ${d.formats!.join(', ')} (libjpeg-turbo ${d.version}), sharp for the rest` : `sharp only (${d.reason})`;
    const k = nativeKernelsInfo();
    const level = kernelLevel();
    const kernels =
      level !== 'native' ? `up to ${level} (MEDIA_DEDUPE_KERNELS=${level})` : k.available ? 'native addon' : `WebAssembly and JavaScript (${k.reason})`;
    io.stdout.write(`${process.env.MEDIA_DEDUPE_VERSION ?? '0.1.0'}\ndecoder: ${decoder}\nkernels: ${kernels}\n`);
    return EXIT.ok;
  }
  const load = COMMANDS[name];
  if (!load) {
    io.stderr.write(`media-dedupe: unknown command ${JSON.stringify(name)}. Expected one of: ${Object.keys(COMMANDS).join(', ')}\n\n${USAGE}\n`);
    return EXIT.usage;
  }
  try {
    const { run } = await load();
    return await run(rest, io);
  } catch (e) {
    // A failure with a code (a bad option, a manifest that cannot be read or written, a folder that
    // cannot be written) is one line a person can act on, exit 2; only the unexpected gets a stack trace.
    const known = e instanceof MediaError && e.code !== 'INTERNAL' ? e : writeFailure(e);
    if (known) {
      const where = known.path && !known.message.includes(known.path) ? `${known.path}: ` : '';
      io.stderr.write(`media-dedupe ${name}: ${where}${known.message}\n`);
      return EXIT.usage;
    }
    io.stderr.write(`media-dedupe ${name}: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    return EXIT.internal;
  }
}

if (require.main === module) {
  main(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, cwd: process.cwd() }).then(
    (code) => {
      process.exitCode = code;
    },
    (e) => {
      process.stderr.write(String(e) + '\n');
      process.exitCode = EXIT.internal;
    },
  );
}
