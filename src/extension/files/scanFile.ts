/**
 * A file the engine names (scan-relative, "/"-separated on every platform, as the manifest writes it) as
 * a path of this machine. The gallery, the skipped list, Find Similar and Check Files Against Dataset all
 * open files the engine named: each joined the root and the parts itself.
 */
import * as path from 'node:path';

/** `rel` under `root`; an absolute `rel` (a file named on the command line, say) is taken as it is. */
export function scanFilePath(root: string, rel: string): string {
  return path.isAbsolute(rel) ? rel : path.join(root, ...rel.split('/'));
}
