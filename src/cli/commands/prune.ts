import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fsPath } from '../../core/files/nameBytes.js';
import { commitManifest, loadDecisions, MANIFEST_FILE_NAME } from '../../core/manifest/index.js';
import { parseCommandArgs, type OptionSpecs } from '../args.js';
import { EXIT, type CliIo } from '../io.js';
import { printablePath } from './check.js';
import { folderArg } from './scan.js';

const SPECS: OptionSpecs = {
  manifest: { kind: 'string', expected: 'a file path' },
  'dry-run': { kind: 'boolean' },
  json: { kind: 'boolean' },
};

const HELP = `media-dedupe prune <dir> [--manifest FILE] [--dry-run] [--json]

Drops the decisions (reviews, notDuplicates, file decisions) about orphaned files: files the manifest's
decisions name but the last scan did not find (a deleted file, a folder that was offline). A scan never
drops them by itself. A file that is back on disk is kept (run "media-dedupe scan" to see it again).
--dry-run lists what would be dropped and writes nothing. The change is in the decision history (undo).

Exit status: 0 done (or nothing to prune), 2 bad options or a broken manifest.
`;

export async function run(argv: string[], io: CliIo): Promise<number> {
  const args = parseCommandArgs(argv, SPECS, HELP, io);
  if (!args) return EXIT.ok;
  const { positionals, options } = args;
  const dir = folderArg(positionals, io, 'prune');
  const manifestPath = resolve(io.cwd, (options.manifest as string | undefined) ?? join(dir, MANIFEST_FILE_NAME));
  const loaded = await loadDecisions(manifestPath);
  if (!loaded) {
    io.stderr.write(`media-dedupe prune: no manifest at ${manifestPath}; nothing to prune\n`);
    return EXIT.ok;
  }
  const base = dirname(manifestPath);
  const onDisk = (p: string): boolean =>
    existsSync(typeof fsPath(p) === 'string' ? join(base, p) : Buffer.concat([Buffer.from(base + '/'), fsPath(p) as Buffer]));
  const orphaned = loaded.manifest.orphaned;
  const back = orphaned.filter(onDisk);
  const gone = orphaned.filter((p) => !onDisk(p));
  let pruned: readonly string[] = gone;
  let written = false;
  if (options['dry-run'] !== true && gone.length > 0) {
    const goneSet = new Set(gone);
    const r = await commitManifest(manifestPath, { prune: (p) => goneSet.has(p), purpose: 'media-dedupe prune' });
    pruned = r.pruned;
    written = r.written;
  }
  if (options.json === true) {
    io.stdout.write(JSON.stringify({ manifest: manifestPath, dryRun: options['dry-run'] === true, pruned, backOnDisk: back, written }, null, 2) + '\n');
    return EXIT.ok;
  }
  for (const p of pruned) io.stdout.write(`${printablePath(p)}\n`);
  const verb = options['dry-run'] === true ? 'would drop' : 'dropped';
  io.stderr.write(
    `media-dedupe prune: ${verb} the decisions about ${pruned.length} orphaned files${back.length > 0 ? `; ${back.length} orphaned files are back on disk and were kept (run "media-dedupe scan")` : ''}\n`,
  );
  return EXIT.ok;
}
