/**
 * A file the engine names (scan-relative, "/"-separated on every platform, as the manifest writes it) as
 * a path of this machine. The gallery, the skipped list, Find Similar and Check Files Against Dataset all
 * open files the engine named: each joined the root and the parts itself.
 */
import * as path from 'node:path';
import { MediaError } from '../../core/errors.js';
import { insideFolder } from '../../core/files/realPaths.js';

/**
 * `rel` under `root`. A name that would lie outside the folder (absolute, or climbing out with "..": a
 * hand-edited manifest can say anything) is refused, so the gallery never reads, thumbnails or opens a
 * file outside the dataset it shows.
 */
export function scanFilePath(root: string, rel: string): string {
  const base = path.resolve(root);
  const p = path.isAbsolute(rel) ? rel : path.join(base, ...rel.split('/'));
  if (path.isAbsolute(rel) || p === base || !insideFolder(p, base))
    throw new MediaError('NOT_FOUND', `${rel} is not a file of ${base}: only files inside the scanned folder are shown or opened`, rel);
  return p;
}

/** A file named on the command line or in a picker (absolute, or relative to `cwd`), taken as it is. */
export function namedFilePath(cwd: string, file: string): string {
  return path.resolve(cwd, file);
}
