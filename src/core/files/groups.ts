import type { GroupBy } from '../types.js';

/**
 * Group label per path for --group-by: 'folder' is the first folder under the root (the class folder of
 * an ImageFolder-style dataset, so cats/a/x.jpg and cats/b/y.jpg are compared), 'parent' the folder
 * directly holding the file. Files directly in the root form the group ''. Undefined for 'none'.
 * With splits, `inside` maps a path to its path inside its split's folder (splits.ts), so train/cat/x.jpg
 * and val/cat/y.jpg are both in group cat: same class, different split.
 */
export function groupLabels(paths: readonly string[], groupBy: GroupBy, inside?: (path: string) => string): string[] | undefined {
  if (groupBy === 'none') return undefined;
  return paths.map((path) => {
    const p = inside ? inside(path) : path;
    const i = groupBy === 'folder' ? p.indexOf('/') : p.lastIndexOf('/');
    return i === -1 ? '' : p.slice(0, i);
  });
}
