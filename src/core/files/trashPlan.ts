/**
 * Which of the files a manifest removes may really be moved to the trash. The manifest is data a person
 * (or a crafted commit) can edit, and the folder can change after the scan, so nothing in it is trusted:
 * every path is re-resolved on disk and must stay inside the scanned folder's real path (no `..`, no
 * symbolic link or bind mount leading out, never /proc, /sys, /dev), must be a regular file, must not be
 * protected, and must still have the size and SHA-256 the manifest recorded. Everything else is refused
 * with a reason and left alone. The extension's trash action shows this plan as its dry run and calls
 * checkTrashCandidate again just before each move (the file may change while the dialog is open).
 */
import { promises as fsp } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { sha256File } from './fingerprint.js';
import { fsPath, nameFromBytes } from './nameBytes.js';
import { comparePaths } from './paths.js';
import { insideFolder, systemFolderOf } from './realPaths.js';

/** A file the manifest removes, with what the manifest knows about it (paths relative to the scanned folder). */
export interface TrashCandidate {
  readonly path: string;
  /** Size and SHA-256 recorded by the scan; without them the file cannot be checked and is refused. */
  readonly size?: number;
  readonly sha256?: string;
  readonly protected?: boolean;
}

export type TrashRefusal = 'outside' | 'missing' | 'not-a-file' | 'protected' | 'changed' | 'unrecorded';

/** A file that may be moved: `real` is the resolved path to move (inside the scanned folder). */
export interface TrashMove {
  readonly path: string;
  readonly real: string;
}

export interface TrashRefused {
  readonly path: string;
  readonly reason: TrashRefusal;
  /** One line a person understands, naming what was found. */
  readonly message: string;
}

export interface TrashPlan {
  /** The scanned folder's real path: every move stays inside it. */
  readonly rootReal: string;
  readonly move: readonly TrashMove[];
  readonly refused: readonly TrashRefused[];
}

const refuse = (path: string, reason: TrashRefusal, message: string): TrashRefused => ({ path, reason, message });

/** realpath with names that are not UTF-8 kept as their escaped bytes (files/nameBytes.ts). */
async function realPath(p: string): Promise<string> {
  return nameFromBytes(await fsp.realpath(fsPath(p), { encoding: 'buffer' }));
}

/** The real path of the scanned folder; throws when it is gone (nothing can then be moved). */
export async function trashRoot(root: string): Promise<string> {
  return realPath(root);
}

/** Checks one candidate against the disk now. */
export async function checkTrashCandidate(root: string, rootReal: string, c: TrashCandidate): Promise<TrashMove | TrashRefused> {
  const rel = c.path;
  if (c.protected) return refuse(rel, 'protected', 'protected (it matches a --protect pattern): never moved');
  // A manifest path is relative and stays below the folder; an absolute path or a `..` step is a forged or broken entry.
  if (rel === '' || isAbsolute(rel) || rel.split('/').some((s) => s === '..' || s === '.' || s === ''))
    return refuse(rel, 'outside', 'not a path inside the scanned folder (absolute, or with a ".." step): never moved');
  let real: string;
  try {
    real = await realPath(join(root, rel));
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    return refuse(rel, 'missing', code === 'ENOENT' ? 'no longer on disk' : `cannot be resolved (${code ?? String(e)})`);
  }
  const system = systemFolderOf(real);
  if (system || !insideFolder(real, rootReal) || real === rootReal)
    return refuse(rel, 'outside', `leads out of the scanned folder (to ${real}) through a link: never moved`);
  let st;
  try {
    st = await fsp.stat(fsPath(real));
  } catch (e) {
    return refuse(rel, 'missing', `cannot be examined (${(e as NodeJS.ErrnoException).code ?? String(e)})`);
  }
  if (!st.isFile()) return refuse(rel, 'not-a-file', 'not a regular file (a folder, pipe or device): never moved');
  if (c.size === undefined || c.sha256 === undefined)
    return refuse(rel, 'unrecorded', 'the manifest records no size and fingerprint for it, so it cannot be checked: left alone');
  if (st.size !== c.size) return refuse(rel, 'changed', `changed since the scan (${st.size} bytes, the manifest says ${c.size}): left alone`);
  let sha: string;
  try {
    sha = await sha256File(real);
  } catch (e) {
    return refuse(rel, 'missing', `cannot be read (${(e as NodeJS.ErrnoException).code ?? String(e)})`);
  }
  if (sha !== c.sha256) return refuse(rel, 'changed', 'changed since the scan (its SHA-256 differs from the manifest): left alone');
  return { path: rel, real };
}

/**
 * The dry run: every candidate checked. Two candidates resolving to one real file (a path through a
 * link inside the folder, and the file's own path) are one move, under the first path.
 */
export async function planTrash(root: string, candidates: readonly TrashCandidate[]): Promise<TrashPlan> {
  const rootReal = await trashRoot(root);
  const move: TrashMove[] = [];
  const refused: TrashRefused[] = [];
  const seen = new Set<string>();
  const sorted = [...candidates].sort((a, b) => comparePaths(a.path, b.path));
  for (const c of sorted) {
    const r = await checkTrashCandidate(root, rootReal, c);
    if ('reason' in r) refused.push(r);
    else if (!seen.has(r.real)) {
      seen.add(r.real);
      move.push(r);
    }
  }
  return { rootReal, move, refused };
}
