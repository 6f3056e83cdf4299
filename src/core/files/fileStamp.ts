import { statSync } from 'node:fs';

/**
 * A file's stat as one string, the one stamp every "has this file changed since?" check compares (the
 * commit memo's manifest and history journal, the re-scan snapshot's cache files): size, inode, mtime and
 * ctime. The inode catches a file replaced by a rename; the ctime a change made with the mtime set back
 * (the kernel sets ctime on every change, and no tool can set it back). "none" when there is no file.
 */
export function fileStamp(path: string): string {
  const st = statSync(path, { throwIfNoEntry: false });
  return st ? `${st.size}:${st.ino}:${st.mtimeMs}:${st.ctimeMs}` : 'none';
}
