import { isAbsolute, relative, sep } from 'node:path';

/**
 * One total order for every path list the engine emits (files, pairs, clusters, manifest arrays).
 * UTF-16 code-unit order rather than localeCompare: it is the same on every machine and locale,
 * which is what makes a re-run produce a byte-identical manifest.
 */
export function comparePaths(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Pairs in (a, b) order. */
export const comparePairs = (x: { a: string; b: string }, y: { a: string; b: string }): number => comparePaths(x.a, y.a) || comparePaths(x.b, y.b);

/** Two pair lists sorted by (a, b) as one (they never share a pair: image and video pairs, hash and flat pairs). */
export function mergeSortedPairs<T extends { a: string; b: string }>(x: readonly T[], y: readonly T[]): T[] {
  return y.length === 0 ? [...x] : [...x, ...y].sort(comparePairs);
}

/** Relative POSIX path of `abs` under `root` (both absolute, native separators). */
export function toRelPosix(root: string, abs: string): string {
  const rel = relative(root, abs);
  return sep === '/' ? rel : rel.split(sep).join('/');
}

/** True when `p` is a clean relative POSIX path: no leading slash, no backslash, no `.`/`..` segments. */
export function isCleanRelPath(p: string): boolean {
  if (p === '' || isAbsolute(p) || p.startsWith('/') || p.includes('\\')) return false;
  return p.split('/').every((seg) => seg !== '' && seg !== '.' && seg !== '..');
}

/** Directory part of a relative POSIX path ('' at the root). */
export function parentOf(p: string): string {
  const i = p.lastIndexOf('/');
  return i === -1 ? '' : p.slice(0, i);
}
