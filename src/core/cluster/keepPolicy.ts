import { comparePaths } from '../scan/paths.js';

/** What the keep policy looks at for one file. */
export interface KeepInfo {
  readonly width: number;
  readonly height: number;
  readonly size: number;
  /** Matches a --protect glob: never marked for removal. */
  readonly protected?: boolean;
}

export type Override = 'keep' | 'remove';

/**
 * Orders the files of a cluster, best to keep first: a file a person chose to keep, then protected files
 * (a protected folder is the canonical copy, so it anchors the cluster), then the rest, with files a
 * person chose to remove last; within each tier the highest resolution, then the largest file, then the
 * shortest path, then path order so the choice never depends on input order.
 */
export function compareForKeep(a: string, ia: KeepInfo, oa: Override | undefined, b: string, ib: KeepInfo, ob: Override | undefined): number {
  const tier = (info: KeepInfo, o: Override | undefined): number => (o === 'keep' ? 0 : o === 'remove' ? 3 : info.protected ? 1 : 2);
  return (
    tier(ia, oa) - tier(ib, ob) ||
    ib.width * ib.height - ia.width * ia.height ||
    ib.size - ia.size ||
    a.length - b.length ||
    comparePaths(a, b)
  );
}
