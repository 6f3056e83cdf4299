/**
 * Containment of real (symlink-resolved) paths: the one test the walk and the trash planner use to keep
 * every file they touch inside the scanned folder.
 */
import { sep } from 'node:path';

/**
 * Whether `child` is `parent` or lies below it. Both must be real, normalised paths. Compared by path
 * segment, so /data/set2 is not inside /data/set, and a parent of `/` (where `parent + sep` would be
 * `//`, the old loop check's blind spot) contains everything.
 */
export function insideFolder(child: string, parent: string): boolean {
  if (child === parent) return true;
  const prefix = parent.endsWith(sep) ? parent : parent + sep;
  return child.startsWith(prefix);
}

/** Pseudo file systems of the running machine: endless, changing and sometimes blocking on read. */
const SYSTEM_FOLDERS: readonly string[] = ['/proc', '/sys', '/dev'];

/** The system folder (/proc, /sys, /dev) a real path lies in, if any. Never walked, hashed or trashed. */
export function systemFolderOf(real: string): string | undefined {
  if (sep !== '/') return undefined;
  return SYSTEM_FOLDERS.find((s) => insideFolder(real, s));
}
