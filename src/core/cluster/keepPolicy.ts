import { comparePaths } from '../files/paths.js';

/** What the keep policy looks at for one file. */
export interface KeepInfo {
  readonly width: number;
  readonly height: number;
  readonly size: number;
  /** Videos: the longer of two equal-resolution copies is kept (a trimmed copy is the shorter one). */
  readonly durationSec?: number;
  /** Matches a --protect glob: never marked for removal. */
  readonly protected?: boolean;
}

// Whole seconds: re-encodes of one video differ by a few milliseconds, which must not beat the file size.
const secs = (i: KeepInfo): number => Math.round(i.durationSec ?? 0);

export type Override = 'keep' | 'remove';

/**
 * Orders the files of a cluster, best to keep first: a file a person chose to keep, then protected files
 * (a protected folder is the canonical copy, so it anchors the cluster), then the rest, with files a
 * person chose to remove last; within each tier the highest resolution, then (videos) the longer duration,
 * then the largest file, then the shortest path, then path order so the choice never depends on input order.
 */
export function compareForKeep(a: string, ia: KeepInfo, oa: Override | undefined, b: string, ib: KeepInfo, ob: Override | undefined): number {
  const tier = (info: KeepInfo, o: Override | undefined): number => (o === 'keep' ? 0 : o === 'remove' ? 3 : info.protected ? 1 : 2);
  return (
    tier(ia, oa) - tier(ib, ob) ||
    ib.width * ib.height - ia.width * ia.height ||
    secs(ib) - secs(ia) ||
    ib.size - ia.size ||
    a.length - b.length ||
    comparePaths(a, b)
  );
}
