import { promises as fsp, statSync, type Dirent, type Stats } from 'node:fs';
import { join } from 'node:path';
import { MediaError } from '../errors.js';
import type { CancelSignal, SkippedRecord } from '../types.js';
import type { PathTest } from './filters.js';
import { fsPath, nameFromBytes } from './nameBytes.js';
import { comparePaths } from './paths.js';
import { mapLimit } from './pool.js';
import { insideFolder, systemFolderOf } from './realPaths.js';

/** A media file found by the walk, with the stat the cache is keyed on. */
export interface WalkEntry {
  /** POSIX, relative to the root. A name that is not UTF-8 holds its bytes escaped (files/nameBytes.ts). */
  readonly rel: string;
  /** The path to open: escaped as `rel` is, so node:fs must get fsPath(abs). */
  readonly abs: string;
  readonly size: number;
  readonly mtimeMs: number;
  /** Device and inode ("dev:ino"): two entries with one id are hard links to one file, hashed once. */
  readonly id: string;
}

export interface WalkResult {
  readonly files: WalkEntry[]; // sorted by rel
  readonly skipped: SkippedRecord[]; // sorted by path
  readonly cancelled: boolean;
}

export interface WalkOptions {
  readonly include: PathTest;
  readonly exclude: PathTest;
  readonly signal?: CancelSignal;
  /** Called as files are found, so a UI can show the walk is alive on big trees. */
  readonly onFound?: (count: number) => void;
  /** stat calls in flight; readdir uses a quarter of it. */
  readonly concurrency?: number;
  /**
   * Follow links that lead out of the scanned folder (--follow-outside, mediaDedupe.followSymlinksOutside).
   * Off by default: outside files would be hashed, named in the manifest people commit, and offered to the
   * trash. Even on, /proc, /sys and /dev are never entered.
   */
  readonly followOutside?: boolean;
}

interface DirTask {
  readonly abs: string;
  readonly rel: string; // '' for the root
  /** The folder's real path: a link leading to it or to a folder above it is a loop. */
  readonly real: string;
}

interface Candidate {
  readonly rel: string;
  readonly abs: string;
  /** Reached through a symbolic link (to the file itself): another path to the same file wins. */
  readonly viaLink: boolean;
  readonly stat?: FileStat; // already known for followed symlinks
}

/**
 * What the walk keeps of a file's stat. A Stats object (with its four Dates) is dropped as soon as it is
 * read: kept for every file until the walk ends, they were most of a re-scan's garbage-collection time.
 */
type FileStat = Pick<WalkEntry, 'size' | 'mtimeMs' | 'id'>;
const fileStat = (st: Stats): FileStat => ({ size: st.size, mtimeMs: st.mtimeMs, id: idOf(st) });

/** A symbolic link met while listing, resolved after every real folder was listed. */
interface PendingLink {
  readonly abs: string;
  readonly rel: string;
  readonly from: string; // real path of the folder holding it
}

const errCode = (e: unknown): string | undefined => (e as NodeJS.ErrnoException)?.code;
const hasExtension = (rel: string): boolean => {
  const base = rel.slice(rel.lastIndexOf('/') + 1);
  return base.lastIndexOf('.') > 0;
};
const idOf = (st: Stats): string => `${st.dev}:${st.ino}`;

/** realpath as text, with names that are not UTF-8 escaped (a string result would replace their bytes with U+FFFD). */
async function realPath(p: string): Promise<string> {
  return nameFromBytes(await fsp.realpath(fsPath(p), { encoding: 'buffer' }));
}

/**
 * Lists a folder; names that are not valid UTF-8 come back escaped (files/nameBytes.ts) instead of with
 * U+FFFD in place of their bytes, which would name a file that does not exist. The folder is listed a
 * second time as bytes only when a name holds U+FFFD, so ordinary folders pay nothing.
 */
async function listFolder(abs: string): Promise<{ name: string; dirent: Dirent }[]> {
  const entries = await fsp.readdir(fsPath(abs), { withFileTypes: true });
  if (!entries.some((d) => d.name.includes('\uFFFD'))) return entries.map((d) => ({ name: d.name, dirent: d }));
  const raw = await fsp.readdir(fsPath(abs), { withFileTypes: true, encoding: 'buffer' });
  return raw.map((d) => ({ name: nameFromBytes(d.name as unknown as Buffer), dirent: d as unknown as Dirent }));
}

/**
 * Lists the media files under `root`, recursively and in a stable order, visiting each real folder once
 * (by device and inode), whatever links lead to it.
 *
 * First every real folder is listed (breadth-first, a few at once); the symbolic links met on the way
 * are resolved afterwards, in path order, so a folder is always listed under its own path rather than
 * through a link that happened to be read first, and the result does not depend on timing. A link is
 * followed only to a folder or file not reached yet and inside the scanned folder (unless followOutside).
 * Every link not followed is a skipped record: SYMLINK_LOOP (it leads to a folder holding it),
 * DUPLICATE_PATH (to a folder or file already reached), SYMLINK_OUTSIDE (out of the scanned folder, or
 * into /proc, /sys, /dev), BROKEN_SYMLINK. So a "ladder" of links (L_i/a and L_i/b both to ../L_i+1)
 * costs one visit per folder instead of 2^n paths, and a link to / or /proc is never walked.
 * Nothing is dropped silently: every file or folder that cannot be used and could hold media (it matches
 * `include`, or is a link or folder whose kind cannot be told) gets a record.
 */
export async function walk(root: string, opts: WalkOptions): Promise<WalkResult> {
  let rootReal: string;
  let rootStat: Stats;
  try {
    rootReal = await realPath(root);
    rootStat = await fsp.stat(fsPath(rootReal));
  } catch (e) {
    throw new MediaError('NOT_FOUND', `The folder to scan does not exist or cannot be opened (${errCode(e) ?? String(e)})`, root);
  }
  if (!rootStat.isDirectory()) throw new MediaError('NOT_A_FILE', 'Expected a folder to scan but this is a file', root);
  const rootSystem = systemFolderOf(rootReal);
  if (rootSystem)
    throw new MediaError('INVALID_OPTION', `${rootSystem} is a system folder (processes, devices, kernel state), not a dataset: it is never scanned`, root);

  const concurrency = opts.concurrency ?? 64;
  const skipped: SkippedRecord[] = [];
  const candidates: Candidate[] = [];
  const skip = (path: string, code: SkippedRecord['code'], message: string): void => {
    skipped.push({ path, code, message });
  };
  const mayHoldMedia = (rel: string): boolean => opts.include(rel) || !hasExtension(rel);
  /** Real folders entered so far, by device and inode, with the path they were listed under. */
  const visited = new Map<string, string>([[idOf(rootStat), '.']]);
  let links: PendingLink[] = [];
  let cancelled = false;

  const visitDir = async (task: DirTask, queue: DirTask[]): Promise<void> => {
    let entries: { name: string; dirent: Dirent }[];
    try {
      entries = await listFolder(task.abs);
    } catch (e) {
      const code = errCode(e);
      const where = task.rel || '.';
      if (code === 'EACCES' || code === 'EPERM') skip(where, 'UNREADABLE', 'Permission denied: this folder cannot be listed, so nothing inside it was scanned');
      else skip(where, 'UNREADABLE', `This folder could not be listed (${code ?? String(e)}), so nothing inside it was scanned`);
      return;
    }
    const subfolders: DirTask[] = [];
    for (const { name, dirent: d } of entries) {
      const rel = task.rel ? `${task.rel}/${name}` : name;
      if (opts.exclude(rel)) continue;
      const abs = join(task.abs, name);
      if (d.isDirectory()) subfolders.push({ abs, rel, real: join(task.real, name) });
      else if (d.isFile()) {
        if (opts.include(rel)) candidates.push({ rel, abs, viaLink: false });
      } else if (d.isSymbolicLink()) links.push({ abs, rel, from: task.real });
      else if (opts.include(rel)) skip(rel, 'NOT_A_FILE', 'This is a special file (pipe, socket or device), not an image');
    }
    // A folder is entered once: a bind mount (or the scanned folder mounted inside itself) is the same folder again.
    const stats = await Promise.all(subfolders.map((s) => fsp.stat(fsPath(s.abs)).catch(() => undefined)));
    subfolders.forEach((s, i) => {
      const st = stats[i];
      const system = systemFolderOf(s.real);
      if (system) {
        skip(s.rel, 'SYMLINK_OUTSIDE', `${system} is a system folder (processes, devices, kernel state): it is never scanned`);
        return;
      }
      if (st) {
        const seen = visited.get(idOf(st));
        if (seen !== undefined) {
          skip(s.rel, 'DUPLICATE_PATH', `This folder is the same folder as ${seen} (a bind mount): it is scanned once, under that path`);
          return;
        }
        visited.set(idOf(st), s.rel);
      }
      queue.push(s);
    });
    opts.onFound?.(candidates.length);
  };

  /** Lists every folder reachable from `start` without following links (those go to `links`). */
  const listTree = async (start: DirTask[]): Promise<void> => {
    const queue = [...start];
    // Breadth-first with a few folders listed at once: readdir is cheap but latency-bound on network disks.
    const dirConcurrency = Math.max(1, Math.floor(concurrency / 4));
    let active = 0;
    await new Promise<void>((resolve, reject) => {
      const pump = (): void => {
        if (opts.signal?.cancelled) cancelled = true;
        while (!cancelled && active < dirConcurrency && queue.length > 0) {
          const task = queue.shift()!;
          active++;
          visitDir(task, queue).then(
            () => {
              active--;
              pump();
            },
            (e) => reject(e),
          );
        }
        if (active === 0 && (queue.length === 0 || cancelled)) resolve();
      };
      pump();
    });
  };

  /** Where a link leads, or why it is not followed. */
  const resolveLink = async (link: PendingLink): Promise<{ real: string; st: Stats } | undefined> => {
    const { rel } = link;
    let st: Stats;
    let real: string;
    try {
      st = await fsp.stat(fsPath(link.abs));
      real = await realPath(link.abs);
    } catch (e) {
      if (!mayHoldMedia(rel)) return undefined;
      const code = errCode(e);
      if (code === 'ENOENT' || code === 'ENOTDIR') skip(rel, 'BROKEN_SYMLINK', 'This is a symbolic link whose target does not exist');
      else if (code === 'ELOOP') skip(rel, 'SYMLINK_LOOP', 'This symbolic link points back to itself (a link loop), so it leads to no file');
      else if (code === 'EACCES' || code === 'EPERM') skip(rel, 'UNREADABLE', 'Permission denied while following this symbolic link');
      else skip(rel, 'UNREADABLE', `This symbolic link could not be followed (${code ?? String(e)})`);
      return undefined;
    }
    if (!st.isDirectory() && !opts.include(rel)) return undefined; // a link to a file that is not media: not ours to report
    const system = systemFolderOf(real);
    if (system) {
      skip(rel, 'SYMLINK_OUTSIDE', `This symbolic link leads into ${system}, a system folder (processes, devices, kernel state): it is never followed`);
      return undefined;
    }
    if (!insideFolder(real, rootReal) && !opts.followOutside) {
      skip(
        rel,
        'SYMLINK_OUTSIDE',
        `This symbolic link leads out of the scanned folder (to ${real}): not followed, so no outside file is hashed, listed or trashed (--follow-outside follows it)`,
      );
      return undefined;
    }
    return { real, st };
  };

  await listTree([{ abs: root, rel: '', real: rootReal }]);
  // Links in rounds: those met while listing, then those met inside the folders they led to.
  while (links.length > 0 && !cancelled) {
    const round = links.sort((a, b) => comparePaths(a.rel, b.rel));
    links = [];
    const targets = await mapLimit(round, concurrency, resolveLink);
    const entered: DirTask[] = [];
    round.forEach((link, i) => {
      const t = targets[i];
      if (!t) return;
      if (!t.st.isDirectory()) {
        if (t.st.isFile()) candidates.push({ rel: link.rel, abs: link.abs, viaLink: true, stat: fileStat(t.st) });
        else skip(link.rel, 'NOT_A_FILE', 'This symbolic link leads to a special file (pipe, socket or device), not an image');
        return;
      }
      if (insideFolder(link.from, t.real)) {
        skip(
          link.rel,
          'SYMLINK_LOOP',
          'This symbolic link points to a folder that contains it (a link loop); that folder is scanned once, not again through this link',
        );
        return;
      }
      const seen = visited.get(idOf(t.st));
      if (seen !== undefined) {
        skip(link.rel, 'DUPLICATE_PATH', `This symbolic link leads to ${seen}, which is scanned once, under that path (not again through this link)`);
        return;
      }
      visited.set(idOf(t.st), link.rel);
      entered.push({ abs: link.abs, rel: link.rel, real: t.real });
    });
    await listTree(entered);
  }

  const stats = await statAll(candidates, concurrency);
  const found: { c: Candidate; st: FileStat }[] = [];
  candidates.forEach((c, i) => {
    const st = stats[i];
    if (st instanceof Error) {
      const code = errCode(st);
      if (code === 'ENOENT') skip(c.rel, 'NOT_FOUND', 'The file disappeared while the folder was being scanned');
      else if (code === 'EACCES' || code === 'EPERM')
        skip(c.rel, 'UNREADABLE', 'Permission denied: the current user may not read this file (check its permissions or owner)');
      else skip(c.rel, 'UNREADABLE', `The file could not be examined (${code ?? st.message})`);
      return;
    }
    found.push({ c, st });
  });
  const files = dropLinkedTwice(found, skip);
  files.sort((a, b) => comparePaths(a.rel, b.rel));
  skipped.sort((a, b) => comparePaths(a.path, b.path));
  return { files, skipped, cancelled };
}

/**
 * One entry per file reached through a link when another path reaches it too: a symbolic link to a file
 * that is listed anyway is the same bytes again, so it becomes a DUPLICATE_PATH record naming the path
 * that stays (a path without links first, then path order). Hard links (two names, no symbolic link) both
 * stay: a training script reads both, so both must be in the manifest; the scan hashes them once.
 */
function dropLinkedTwice(
  found: readonly { c: Candidate; st: FileStat }[],
  skip: (path: string, code: SkippedRecord['code'], message: string) => void,
): WalkEntry[] {
  // Most files have an id of their own: they go straight out; only ids met twice are grouped.
  const firstOf = new Map<string, number>();
  const byId = new Map<string, { c: Candidate; st: FileStat }[]>();
  found.forEach((f, i) => {
    const first = firstOf.get(f.st.id);
    if (first === undefined) firstOf.set(f.st.id, i);
    else {
      const group = byId.get(f.st.id);
      if (group) group.push(f);
      else byId.set(f.st.id, [found[first], f]);
    }
  });
  const out: WalkEntry[] = [];
  for (const f of found) if (!byId.has(f.st.id)) out.push({ rel: f.c.rel, abs: f.c.abs, size: f.st.size, mtimeMs: f.st.mtimeMs, id: f.st.id });
  for (const [id, group] of byId) {
    const direct = group.filter((f) => !f.c.viaLink).sort((a, b) => comparePaths(a.c.rel, b.c.rel));
    const linked = group.filter((f) => f.c.viaLink).sort((a, b) => comparePaths(a.c.rel, b.c.rel));
    const kept = direct.length > 0 ? direct : linked.slice(0, 1);
    for (const f of kept) out.push({ rel: f.c.rel, abs: f.c.abs, size: f.st.size, mtimeMs: f.st.mtimeMs, id });
    for (const f of linked.slice(direct.length > 0 ? 0 : 1))
      skip(f.c.rel, 'DUPLICATE_PATH', `This symbolic link leads to ${kept[0].c.rel}, which is scanned once, under that path (not again through this link)`);
  }
  return out;
}

/** Below this mean cost per call, stat runs synchronously; above it (a network disk), concurrently. */
const SYNC_STAT_LIMIT_MS = 0.2;
const PROBE = 256;

/**
 * stat for every candidate, in order. A synchronous stat of a cached inode costs a few microseconds,
 * against 15-30 us for each promise round trip through the libuv pool (measured: 10k files in 30-100 ms
 * versus 150-270 ms at 64 in flight), which is most of a re-scan. On a slow (network) file system
 * synchronous calls would serialise the latency, so a first batch is timed and the rest goes
 * concurrent when it was slow.
 */
async function statAll(candidates: readonly Candidate[], concurrency: number): Promise<(FileStat | NodeJS.ErrnoException)[]> {
  const one = (c: Candidate): FileStat | NodeJS.ErrnoException => {
    if (c.stat) return c.stat;
    try {
      return fileStat(statSync(fsPath(c.abs)));
    } catch (e) {
      return e as NodeJS.ErrnoException;
    }
  };
  const out: (FileStat | NodeJS.ErrnoException)[] = [];
  const t0 = performance.now();
  const probe = Math.min(PROBE, candidates.length);
  for (let i = 0; i < probe; i++) out.push(one(candidates[i]));
  if (probe === candidates.length) return out;
  if ((performance.now() - t0) / probe < SYNC_STAT_LIMIT_MS) {
    for (let i = probe; i < candidates.length; i++) {
      out.push(one(candidates[i]));
      // Let progress events and cancellation through on very large trees.
      if (i % 4096 === 0) await new Promise((r) => setImmediate(r));
    }
    return out;
  }
  const rest = await mapLimit(candidates.slice(probe), concurrency, async (c) => {
    if (c.stat) return c.stat;
    try {
      return fileStat(await fsp.stat(fsPath(c.abs)));
    } catch (e) {
      return e as NodeJS.ErrnoException;
    }
  });
  return out.concat(rest);
}
