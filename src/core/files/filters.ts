import picomatch from 'picomatch';
import { invalidOption } from '../errors.js';

/** The formats scanned by default: every image format cv2.imread reads (by its usual extensions) and a few more (GIF and AVIF, which sharp decodes). */
export const DEFAULT_INCLUDE: readonly string[] = [
  'jpg',
  'jpeg',
  'png',
  'webp',
  'gif',
  'tif',
  'tiff',
  'bmp',
  'dib',
  'pbm',
  'pgm',
  'ppm',
  'pnm',
  'pam',
  'pfm',
  'ras',
  'sr',
  'hdr',
  'pic',
  'jp2',
  'j2k',
  'j2c',
  'jpc',
  'jpx',
  'avif',
];
/** Never descended into: version control, dependencies and our own cache. */
export const DEFAULT_EXCLUDE: readonly string[] = ['.git', 'node_modules', '.media-dedupe'];

export type PathTest = (relPath: string) => boolean;

const EXTENSION = /^\.?[A-Za-z0-9_+-]+$/;

const GLOB_CHARS = /[*?[\]{}()!+@\\]/;

function compileGlob(glob: string): PathTest {
  // A pattern without a slash matches a name at any depth, as in .gitignore; with a slash it matches
  // the whole relative path. Always POSIX: relative paths are POSIX on every platform.
  // The walk tests every file and folder against every pattern, so plain names are compared directly
  // and globs go through one precompiled regex (picomatch's matcher costs ~10 us a call: 0.1 s per 10k files).
  const onName = !glob.includes('/');
  const subject = onName ? (rel: string): string => rel.slice(rel.lastIndexOf('/') + 1) : (rel: string): string => rel;
  if (!GLOB_CHARS.test(glob)) return (rel) => subject(rel) === glob;
  const re = picomatch.makeRe(glob, { dot: true, windows: false });
  return (rel) => re.test(subject(rel));
}

function checkList(name: string, list: unknown): readonly string[] {
  if (!Array.isArray(list) || list.some((g) => typeof g !== 'string' || g.trim() === '')) {
    throw invalidOption(name, 'a list of non-empty strings', list);
  }
  return list as string[];
}

/**
 * Which files count as media: an entry that looks like an extension ("jpg", ".PNG") matches file
 * extensions case-insensitively (datasets mix IMG_1.JPG and x.jpg); anything else is a glob.
 */
export function compileInclude(include: unknown): PathTest {
  const list = checkList('include', include);
  const exts = new Set<string>();
  const globs: PathTest[] = [];
  for (const item of list) {
    if (EXTENSION.test(item)) exts.add(item.replace(/^\./, '').toLowerCase());
    else globs.push(compileGlob(item));
  }
  return (rel) => {
    const base = rel.slice(rel.lastIndexOf('/') + 1);
    const dot = base.lastIndexOf('.');
    if (dot > 0 && exts.has(base.slice(dot + 1).toLowerCase())) return true;
    return globs.some((g) => g(rel));
  };
}

export function compileExclude(exclude: unknown): PathTest {
  const globs = checkList('exclude', exclude).map(compileGlob);
  return (rel) => globs.some((g) => g(rel));
}

/** Files matching a protect glob are never marked for removal. Globs are relative to the scanned folder. */
export function compileProtect(protect: unknown): PathTest {
  const globs = checkList('protect', protect).map(compileGlob);
  return (rel) => globs.some((g) => g(rel));
}
