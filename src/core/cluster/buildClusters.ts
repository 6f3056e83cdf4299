import type { Decision, DecisionSource } from '../types.js';
import { comparePaths } from '../files/paths.js';
import { addEdge, bottleneckFrom, components, type Adjacency } from './graph.js';
import { compareForKeep, type KeepInfo, type Override } from './keepPolicy.js';

export interface ClusterEdge {
  readonly a: string;
  readonly b: string;
  /** null: an edge a person asserted in review that the scan did not measure below threshold. */
  readonly distance: number | null;
}

export interface ClusterInput {
  /** Every path that appears in `edges`. A path missing here is treated as 0x0, 0 bytes. */
  readonly files: ReadonlyMap<string, KeepInfo>;
  readonly edges: readonly ClusterEdge[];
  /** Pairs a person said are not duplicates (keys from pairKey): their edge is ignored. */
  readonly notDuplicates?: ReadonlySet<string>;
  /** Per-file decisions from review, which win over the automatic policy. */
  readonly overrides?: ReadonlyMap<string, Override>;
  /** No chaining: every member must be directly within threshold of the kept file. */
  readonly strict: boolean;
}

export interface BuiltMember {
  readonly path: string;
  /** To the kept file; when `chained`, the largest step of the closest chain of pairs; null when unknown. */
  readonly distance: number | null;
  readonly chained: boolean;
  readonly decision: Decision;
  readonly by: DecisionSource;
}

export interface BuiltCluster {
  readonly keep: string;
  readonly members: readonly BuiltMember[];
}

/** Canonical key of an unordered pair. */
export function pairKey(a: string, b: string): string {
  return a < b ? `${a}\u0000${b}` : `${b}\u0000${a}`;
}

const NO_INFO: KeepInfo = { width: 0, height: 0, size: 0 };

/**
 * Groups duplicate pairs into clusters and decides which file of each is kept.
 * Default: connected components (A~B and B~C put A, B, C together even if A and C are far apart).
 * Strict: greedy, best file first: each unassigned file, in keep order, takes the unassigned files that
 * are directly within threshold of it, so every member is a true near-copy of the kept one.
 * Output is sorted (clusters by kept path, members by path) so it is stable run to run.
 */
export function buildClusters(input: ClusterInput): BuiltCluster[] {
  const adj: Adjacency = new Map();
  for (const e of input.edges) {
    if (e.a === e.b || input.notDuplicates?.has(pairKey(e.a, e.b))) continue;
    addEdge(adj, e.a, e.b, e.distance);
  }
  const info = (p: string): KeepInfo => input.files.get(p) ?? NO_INFO;
  const ov = (p: string): Override | undefined => input.overrides?.get(p);
  const byKeep = (a: string, b: string): number => compareForKeep(a, info(a), ov(a), b, info(b), ov(b));

  const nodes = [...adj.keys()].sort(comparePaths);
  const groups: { anchor: string; members: string[] }[] = [];
  if (input.strict) {
    const assigned = new Set<string>();
    for (const anchor of [...nodes].sort(byKeep)) {
      if (assigned.has(anchor)) continue;
      const members = [...(adj.get(anchor)?.keys() ?? [])].filter((p) => !assigned.has(p));
      if (members.length === 0) continue;
      assigned.add(anchor);
      for (const m of members) assigned.add(m);
      groups.push({ anchor, members });
    }
  } else {
    for (const comp of components(adj, nodes)) {
      if (comp.length < 2) continue;
      comp.sort(byKeep);
      groups.push({ anchor: comp[0], members: comp.slice(1) });
    }
  }

  const clusters = groups.map(({ anchor, members }): BuiltCluster => {
    const direct = adj.get(anchor)!;
    const needChain = members.some((m) => !direct.has(m));
    const chain = needChain ? bottleneckFrom(adj, anchor) : undefined;
    const built = members.map((path): BuiltMember => {
      const isDirect = direct.has(path);
      const d = isDirect ? direct.get(path)! : chain!.get(path);
      const distance = d === undefined || d === null || !Number.isFinite(d) ? null : d;
      return { path, distance, chained: !isDirect, ...decide(info(path), ov(path)) };
    });
    built.sort((x, y) => comparePaths(x.path, y.path));
    return { keep: anchor, members: built };
  });
  clusters.sort((x, y) => comparePaths(x.keep, y.keep));
  return clusters;
}

function decide(info: KeepInfo, o: Override | undefined): { decision: Decision; by: DecisionSource } {
  if (o === 'keep') return { decision: 'keep', by: 'review' };
  if (o === 'remove') return { decision: 'remove', by: 'review' };
  if (info.protected) return { decision: 'keep', by: 'auto' };
  return { decision: 'remove', by: 'auto' };
}
