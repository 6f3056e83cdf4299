/**
 * The one decision function. From the pairs a scan measured, the facts people decided (reviews,
 * notDuplicates, file decisions), --protect and the keep policy it derives, per file, keep or remove,
 * who decided and why; per cluster its kept file and whether it is doubtful; per pair its verdict. The
 * manifest, the gallery, the status bar, `check`, `prune` and the trash action all read this; nothing
 * else decides. Pure and deterministic: the same inputs in any order give the same output.
 *
 * The rules, in order (docs/decisions.md says them for users):
 * 1. Protected files are never removed; a review that would remove one is a conflict, and it is kept.
 * 2. Review beats auto, always. A file decision holds; a file removed in favour of another by a pair
 *    review is removed; a file a review kept (the winner of a pair, either file of keep-both) is kept.
 * 3. Contradictions are flagged, never resolved silently: a file kept and removed by review, a pair both
 *    reviewed and marked not a duplicate, reviewed removals forming a cycle: those files are kept, with
 *    `conflict`, until a person chooses.
 * 4. Clusters are connected components of the measured pairs, identical-hash groups and reviewed pairs,
 *    minus notDuplicates (strict: greedy, each file takes its direct duplicates).
 * 5. The kept file: review-kept files, then the keep policy. Protection does not rank: a protected file
 *    is never removed, but it does not displace the file the policy prefers (both stay). A member is
 *    removed automatically only if it is DIRECTLY a duplicate of the kept file; one linked only through
 *    others stays, and the cluster is doubtful.
 * 6. removeMode `reviewed`: automatic removals are proposed (`suggested`), not applied.
 */
import { comparePaths } from '../files/paths.js';
import { addWeightedEdge, bottleneckTree, cycles, UnionFind, type WeightedAdjacency } from './graph.js';
import { keepPolicy } from './keepPolicy.js';
import { decisionTotals, memberDecision, pairVerdicts } from './derive.js';
import { pairKey } from './verdict.js';
import type {
  DecideFile,
  DecideInput,
  DecidedBy,
  DecidedCluster,
  DecidedMember,
  DecidedPair,
  Decisions,
  FileDecision,
  FileVerdict,
  PairReview,
} from './types.js';

interface Fixed {
  readonly decision: FileVerdict;
  readonly by: DecidedBy;
  readonly reason: string;
  readonly conflict?: true;
}

const NAMES_SHOWN = 3;
/** Doubtful reasons named per cluster before "and N more". */
const DOUBTFUL_NAMED = 10;
const names = (list: readonly string[]): string =>
  list.length <= NAMES_SHOWN ? list.join(', ') : `${list.slice(0, NAMES_SHOWN).join(', ')} and ${list.length - NAMES_SHOWN} more`;
/** Distances as a person reads them: 4 significant digits, no float noise. */
export const formatDistance = (d: number): string => String(Number(d.toPrecision(4)));

export function decide(input: DecideInput): Decisions {
  const policy = keepPolicy(input.policy);
  const removeMode = input.removeMode ?? 'all';

  // ---- files and facts, normalised and sorted so input order never matters --------------------------
  const fileOf = new Map<string, DecideFile>();
  for (const f of [...input.files].sort((x, y) => comparePaths(x.path, y.path))) if (!fileOf.has(f.path)) fileOf.set(f.path, f);
  const present = (p: string): boolean => {
    const f = fileOf.get(p);
    return f !== undefined && !f.orphaned;
  };
  const info = (p: string): DecideFile => fileOf.get(p) ?? { path: p, size: 0, width: 0, height: 0 };

  const notDup = new Set<string>();
  for (const [a, b] of input.facts.notDuplicates) if (a !== b) notDup.add(pairKey(a, b));
  const reviews = new Map<string, PairReview>();
  for (const r of [...input.facts.reviews].sort((x, y) => comparePaths(x.a, y.a) || comparePaths(x.b, y.b) || comparePaths(x.decision, y.decision))) {
    if (r.a === r.b) continue;
    const swapped = comparePaths(r.a, r.b) > 0;
    const norm: PairReview = swapped ? { a: r.b, b: r.a, decision: r.decision === 'keep-a' ? 'keep-b' : r.decision === 'keep-b' ? 'keep-a' : r.decision } : r;
    const k = pairKey(norm.a, norm.b);
    if (!reviews.has(k)) reviews.set(k, norm);
  }
  const fileFact = new Map<string, FileVerdict>();
  for (const d of [...input.facts.fileDecisions].sort((x, y) => comparePaths(x.path, y.path) || comparePaths(x.decision, y.decision)))
    if (!fileFact.has(d.path)) fileFact.set(d.path, d.decision);

  // ---- what reviews say about each file ------------------------------------------------------------
  const lostTo = new Map<string, string[]>();
  const keptOver = new Map<string, string[]>();
  const contradicted = new Map<string, string>();
  const push = (m: Map<string, string[]>, k: string, v: string): void => {
    const l = m.get(k);
    if (l) l.push(v);
    else m.set(k, [v]);
  };
  const removals: [string, string][] = []; // winner -> loser
  for (const [k, r] of reviews) {
    if (notDup.has(k)) {
      const msg = `${r.a} and ${r.b} are both reviewed (${r.decision}) and marked not duplicates`;
      contradicted.set(r.a, msg);
      contradicted.set(r.b, msg);
      continue;
    }
    if (r.decision === 'keep-both') {
      push(keptOver, r.a, r.b);
      push(keptOver, r.b, r.a);
      continue;
    }
    const [winner, loser] = r.decision === 'keep-a' ? [r.a, r.b] : [r.b, r.a];
    push(lostTo, loser, winner);
    push(keptOver, winner, loser);
    removals.push([winner, loser]);
  }
  const inCycle = reviewCycles(removals);

  const fixedCache = new Map<string, Fixed | null>();
  /** The verdict reviews and --protect give a file, or null when the keep policy decides it. */
  const fixed = (p: string): Fixed | null => {
    let v = fixedCache.get(p);
    if (v === undefined) fixedCache.set(p, (v = fixedVerdict(p)));
    return v;
  };
  const fixedVerdict = (p: string): Fixed | null => {
    const prot = fileOf.get(p)?.protectedBy;
    const abs = fileFact.get(p);
    const losses = lostTo.get(p);
    if (prot !== undefined) {
      if (abs === 'remove' || (losses && abs !== 'keep')) {
        const why = abs === 'remove' ? 'marked remove' : `removed in favour of ${names(losses!)}`;
        return { decision: 'keep', by: 'protect', reason: `conflict: protected by --protect ${prot}, but ${why} by review; kept`, conflict: true };
      }
      return { decision: 'keep', by: 'protect', reason: `kept: protected by --protect ${prot}` };
    }
    const contradiction = contradicted.get(p);
    if (contradiction) return { decision: 'keep', by: 'review', reason: `conflict: ${contradiction}; kept until you choose`, conflict: true };
    const cycle = inCycle.get(p);
    if (cycle) return { decision: 'keep', by: 'review', reason: `conflict: reviews form a cycle (${cycle}); kept until you choose`, conflict: true };
    if (abs === 'keep') {
      if (losses)
        return {
          decision: 'keep',
          by: 'review',
          reason: `conflict: kept by review, but also removed in favour of ${names(losses)} by review; kept`,
          conflict: true,
        };
      return { decision: 'keep', by: 'review', reason: 'kept by review' };
    }
    if (abs === 'remove') return { decision: 'remove', by: 'review', reason: 'removed by review' };
    if (losses) return { decision: 'remove', by: 'review', reason: `removed by review (keep ${names(losses)})` };
    const kept = keptOver.get(p);
    if (kept) return { decision: 'keep', by: 'review', reason: `kept by review (over ${names(kept)})` };
    return null;
  };
  /**
   * Rank tiers before the keep policy: reviewed keeps, the rest, reviewed removals. A protected file is
   * in "the rest": protecting means "never remove it", not "keep it instead of the original" (a protected
   * JPEG re-save ranked first used to remove its original); the keep policy's choice stays kept beside it.
   */
  const tier = (p: string): number => {
    const v = fixed(p);
    if (v?.decision === 'remove') return 4;
    if (fileFact.get(p) === 'keep' && !v?.conflict) return 0;
    if (v?.by === 'review') return 1;
    return 3;
  };
  // Leakage: a file of a split dropped earlier ranks below one kept longer, before any keep criterion.
  const dropOrder = input.dropOrder ?? [];
  const splitRank = (p: string): number => {
    const s = info(p).split;
    return s === undefined ? dropOrder.length : dropOrder.indexOf(s);
  };
  const bySplit = (a: string, b: string): number => (dropOrder.length > 0 ? splitRank(b) - splitRank(a) : 0);
  const rank = (a: string, b: string): number => tier(a) - tier(b) || bySplit(a, b) || policy.compare(info(a), info(b));
  /** The pair partner of a chained member that makes it a leak to drop: directly a duplicate, in a split kept longer. */
  const leakPartner = (m: string): { partner: string; distance: number } | undefined => {
    if (dropOrder.length === 0) return undefined;
    let best: { partner: string; distance: number } | undefined;
    for (const [x, d] of neighbours().get(m) ?? []) {
      if (splitRank(x) <= splitRank(m) || notDup.has(pairKey(m, x))) continue;
      if (!best || d < best.distance || (d === best.distance && comparePaths(x, best.partner) < 0)) best = { partner: x, distance: d };
    }
    return best;
  };
  let adjacency: Map<string, [string, number][]> | undefined;
  const neighbours = (): Map<string, [string, number][]> => {
    if (adjacency) return adjacency;
    adjacency = new Map();
    for (const { a, b } of measuredPairs) {
      const d = measured.get(measuredKey(idx.get(a)!, idx.get(b)!))!;
      (adjacency.get(a) ?? adjacency.set(a, []).get(a)!).push([b, d]);
      (adjacency.get(b) ?? adjacency.set(b, []).get(b)!).push([a, d]);
    }
    return adjacency;
  };
  const splitReason = (kept: string, other: string): string | undefined => {
    if (bySplit(kept, other) === 0) return undefined;
    return `in ${info(kept).split}: leaks are dropped from ${info(other).split} first (split order ${dropOrder.join(', ')}; --drop-from)`;
  };

  // ---- the graph: files, identical-hash nodes, measured and reviewed links ---------------------------
  const inGraph = new Set<string>();
  for (const e of input.edges) if (e.a !== e.b && present(e.a) && present(e.b)) inGraph.add(e.a).add(e.b);
  const groups = (input.identical ?? []).map((g) => [...new Set(g)].filter(present).sort(comparePaths)).filter((g) => g.length >= 2);
  for (const g of groups) for (const p of g) inGraph.add(p);
  for (const r of reviews.values()) if (present(r.a) && present(r.b) && !notDup.has(pairKey(r.a, r.b))) inGraph.add(r.a).add(r.b);
  const paths = [...inGraph].sort(comparePaths);
  const idx = new Map<string, number>(paths.map((p, i) => [p, i]));

  // Nodes: an identical-hash group is one node, every other file its own.
  const nodeOf = new Int32Array(paths.length).fill(-1);
  const nodes: number[][] = [];
  for (const g of groups) {
    const members = g.map((p) => idx.get(p)!).filter((i) => nodeOf[i] === -1);
    if (members.length === 0) continue;
    for (const i of members) nodeOf[i] = nodes.length;
    nodes.push(members);
  }
  for (let i = 0; i < paths.length; i++) {
    if (nodeOf[i] === -1) {
      nodeOf[i] = nodes.length;
      nodes.push([i]);
    }
  }
  const nodeEdges: WeightedAdjacency = new Map();
  // Keyed by the two files' indices in `paths` (path order, so the smaller index is the smaller path), not by a string of both paths.
  const measured = new Map<number, number>();
  const measuredKey = (i: number, j: number): number => (i < j ? i * paths.length + j : j * paths.length + i);
  const measuredPairs: { a: string; b: string }[] = [];
  // Order-independent: the smallest distance of a pair wins, and every list built here is sorted later.
  for (const e of input.edges) {
    if (e.a === e.b || !present(e.a) || !present(e.b)) continue;
    const ia = idx.get(e.a)!;
    const ib = idx.get(e.b)!;
    const k = measuredKey(ia, ib);
    const old = measured.get(k);
    if (old === undefined) measuredPairs.push(ia < ib ? { a: e.a, b: e.b } : { a: e.b, b: e.a });
    if (old === undefined || e.distance < old) measured.set(k, e.distance);
    addWeightedEdge(nodeEdges, nodeOf[ia], nodeOf[ib], e.distance);
  }
  let links: WeightedAdjacency | undefined;
  /** Node edges plus reviewed links, for chains; built when a cluster has a chained member. */
  const linkEdges = (): WeightedAdjacency => {
    if (links) return links;
    links = new Map();
    for (const [u, m] of nodeEdges) for (const [v, w] of m) addWeightedEdge(links, u, v, w);
    for (const r of reviews.values()) {
      const ia = idx.get(r.a);
      const ib = idx.get(r.b);
      if (ia !== undefined && ib !== undefined && !notDup.has(pairKey(r.a, r.b))) addWeightedEdge(links, nodeOf[ia], nodeOf[ib], null);
    }
    return links;
  };

  const cut = (i: number, j: number): boolean => notDup.size > 0 && notDup.has(pairKey(paths[i], paths[j]));
  const hasNotDup = new Uint8Array(paths.length);
  for (const k of notDup) {
    const [a, b] = k.split('\u0000');
    const ia = idx.get(a);
    const ib = idx.get(b);
    if (ia !== undefined && ib !== undefined) hasNotDup[ia] = hasNotDup[ib] = 1;
  }

  /** Distance when `x` is directly a duplicate of `y` (same node, a measured pair of their nodes, or the exact distance callback); undefined otherwise. */
  const direct = (x: string, y: string): number | undefined => {
    if (notDup.size > 0 && notDup.has(pairKey(x, y))) return undefined;
    const ix = idx.get(x);
    const iy = idx.get(y);
    if (ix !== undefined && iy !== undefined) {
      if (nodeOf[ix] === nodeOf[iy]) return 0;
      const d = nodeEdges.get(nodeOf[ix])?.get(nodeOf[iy]);
      if (d !== undefined && d !== null) return d;
    }
    const c = input.distance?.(x, y);
    return c && c.match ? c.distance : undefined;
  };

  // ---- clusters --------------------------------------------------------------------------------------
  let groupsOfFiles: number[][];
  if (input.strict) groupsOfFiles = strictClusters();
  else {
    const uf = new UnionFind(paths.length);
    // Inside a node every pair is a duplicate, except pairs a person marked not duplicates.
    for (const n of nodes) linkAll(uf, n, n);
    for (const [u, m] of nodeEdges) for (const v of m.keys()) if (u < v) linkAll(uf, nodes[u], nodes[v]);
    for (const r of reviews.values()) {
      const ia = idx.get(r.a);
      const ib = idx.get(r.b);
      if (ia !== undefined && ib !== undefined && !cut(ia, ib)) uf.union(ia, ib);
    }
    const byRoot = new Map<number, number[]>();
    for (let i = 0; i < paths.length; i++) {
      const r = uf.find(i);
      const l = byRoot.get(r);
      if (l) l.push(i);
      else byRoot.set(r, [i]);
    }
    groupsOfFiles = [...byRoot.values()].filter((g) => g.length >= 2);
  }

  /** Links every pair of a x b that is not cut, in O(|a| + |b| + work for files with notDuplicates). */
  function linkAll(uf: UnionFind, a: readonly number[], b: readonly number[]): void {
    const a0 = a.find((i) => !hasNotDup[i]);
    const b0 = b.find((i) => !hasNotDup[i] && i !== a0);
    if (a0 !== undefined && b0 !== undefined) {
      // Files without any notDuplicate are all linked to each other, so one link joins them all.
      for (const i of a) if (!hasNotDup[i]) uf.union(i, a0);
      for (const i of b) if (!hasNotDup[i]) uf.union(i, b0);
      uf.union(a0, b0);
    }
    for (const x of a) if (hasNotDup[x]) for (const y of b) if (x !== y && !cut(x, y)) uf.union(x, y);
    for (const y of b) if (hasNotDup[y]) for (const x of a) if (x !== y && !cut(x, y)) uf.union(x, y);
  }

  /** Strict: best file first, each unassigned file takes the unassigned files directly duplicated with it. */
  function strictClusters(): number[][] {
    const order = paths.map((_, i) => i).sort((x, y) => rank(paths[x], paths[y]));
    const assigned = new Uint8Array(paths.length);
    const reviewedWith = new Map<number, number[]>();
    for (const r of reviews.values()) {
      const ia = idx.get(r.a);
      const ib = idx.get(r.b);
      if (ia === undefined || ib === undefined || cut(ia, ib)) continue;
      (reviewedWith.get(ia) ?? reviewedWith.set(ia, []).get(ia)!).push(ib);
      (reviewedWith.get(ib) ?? reviewedWith.set(ib, []).get(ib)!).push(ia);
    }
    const out: number[][] = [];
    for (const anchor of order) {
      if (assigned[anchor]) continue;
      const members = new Set<number>();
      const n = nodeOf[anchor];
      const take = (j: number): void => {
        if (j !== anchor && !assigned[j] && !cut(anchor, j)) members.add(j);
      };
      for (const j of nodes[n]) take(j);
      for (const v of nodeEdges.get(n)?.keys() ?? []) for (const j of nodes[v]) take(j);
      for (const j of reviewedWith.get(anchor) ?? []) take(j);
      if (members.size === 0) continue;
      assigned[anchor] = 1;
      for (const j of members) assigned[j] = 1;
      out.push([anchor, ...members]);
    }
    return out;
  }

  // ---- decisions per cluster -------------------------------------------------------------------------
  const decisions = new Map<string, FileDecision>();
  const clusters: DecidedCluster[] = [];
  const built = groupsOfFiles.map((g) => g.map((i) => paths[i]).sort(rank)).sort((x, y) => comparePaths(x[0], y[0]));
  for (const files of built) {
    const ci = clusters.length;
    const keep = files[0];
    const runnerUp = files[1];
    const doubtful: string[] = [];
    const conflicts: string[] = [];
    const fk = fixed(keep);
    // A protected kept file was chosen by the policy (protection does not rank), so the policy says why.
    const keepReason =
      fk && (fk.by !== 'protect' || fk.conflict)
        ? fk.reason
        : tier(runnerUp) === 4
          ? 'kept: the other files are removed by review'
          : `kept: ${splitReason(keep, runnerUp) ?? policy.reason(info(keep), info(runnerUp))}`;
    if (tier(keep) === 4) doubtful.push('every file of this cluster is removed by review');
    if (fk?.conflict) conflicts.push(`${keep}: ${fk.reason}`);
    decisions.set(keep, {
      path: keep,
      decision: fk?.decision ?? 'keep',
      by: fk?.by ?? 'auto',
      reason: fk?.reason ?? keepReason,
      ...(fk?.conflict ? { conflict: true as const } : {}),
      cluster: ci,
    });

    let tree: { dist: Map<number, number>; parent: Map<number, number> } | undefined;
    let inCluster: Set<string> | undefined;
    const keepNode = nodeOf[idx.get(keep)!];
    /** The next file towards the kept one on the closest chain of pairs (minimax), for a member that is not directly a duplicate. */
    const chainOf = (p: string): { via: string; viaDistance: number | null } | undefined => {
      tree ??= bottleneckTree(linkEdges(), keepNode);
      inCluster ??= new Set(files);
      const node = nodeOf[idx.get(p)!];
      const parent = tree.parent.get(node);
      if (parent === undefined) return undefined;
      const via = parent === keepNode ? keep : nodes[parent].map((i) => paths[i]).find((q) => inCluster!.has(q));
      if (via === undefined) return undefined;
      return { via, viaDistance: linkEdges().get(node)?.get(parent) ?? null };
    };
    const keepFile = info(keep);
    const members: DecidedMember[] = [];
    let chainedCount = 0;
    for (const m of files.slice(1).sort(comparePaths)) {
      const mk = pairKey(m, keep);
      const d = direct(m, keep);
      const cutFromKeep = notDup.has(mk);
      const reviewedWithKeep = reviews.has(mk) && !cutFromKeep;
      const exact = d ?? input.distance?.(m, keep)?.distance ?? measured.get(measuredKey(idx.get(m)!, idx.get(keep)!)) ?? null;
      const chain = d === undefined && !reviewedWithKeep ? chainOf(m) : undefined;
      const fm = fixed(m);
      let member: { -readonly [K in keyof DecidedMember]: DecidedMember[K] };
      if (fm) {
        member = { path: m, distance: exact, decision: fm.decision, by: fm.by, reason: fm.reason };
        if (fm.conflict) {
          member.conflict = true;
          conflicts.push(`${m}: ${fm.reason}`);
        }
      } else if (d === undefined && leakPartner(m)) {
        // A leak: this file's near-copy sits in a split kept longer, so it goes even though it is only chained to the kept file.
        const { partner, distance } = leakPartner(m)!;
        const what = `leaks into ${info(partner).split}: copy of ${partner} (distance ${formatDistance(distance)})`;
        member =
          removeMode === 'all'
            ? { path: m, distance: exact, decision: 'remove', by: 'auto', reason: `removed: ${what}` }
            : { path: m, distance: exact, decision: 'keep', by: 'auto', reason: `suggested: remove, ${what}`, suggested: 'remove' };
      } else if (d !== undefined) {
        const sameBytes = keepFile.sha256 !== undefined && keepFile.sha256 === info(m).sha256;
        const copy = sameBytes ? `identical to ${keep} (same bytes)` : `copy of ${keep} (distance ${formatDistance(d)})`;
        const leak = dropOrder.length > 0 && info(m).split !== info(keep).split ? `leaks into ${info(keep).split}: ` : '';
        const what = leak + copy;
        member =
          removeMode === 'all'
            ? { path: m, distance: d, decision: 'remove', by: 'auto', reason: `removed: ${what}` }
            : { path: m, distance: d, decision: 'keep', by: 'auto', reason: `suggested: remove, ${what}`, suggested: 'remove' };
      } else {
        const via = chain?.via ?? 'other files';
        const far = exact !== null ? `distance ${formatDistance(exact)} to the kept file` : 'not within threshold of the kept file';
        // A cluster of thousands of chained members names the first few; the count says the rest.
        if (chainedCount++ < DOUBTFUL_NAMED)
          doubtful.push(
            cutFromKeep
              ? `chain through a not-duplicate answer: ${m} was marked not a duplicate of ${keep} but is linked to it through ${via}`
              : `${m} is only linked to ${keep} through ${via} (${far})`,
          );
        const reason = cutFromKeep ? `kept: marked not a duplicate of ${keep} (linked through ${via})` : `kept: only linked through ${via} (${far})`;
        member = { path: m, distance: exact, decision: 'keep', by: 'auto', reason };
      }
      if (chain) {
        // Field order as the manifest writes it: path, distance, chained, via, viaDistance, decision, ...
        const { path, distance, ...rest } = member;
        member = { path, distance, chained: true, via: chain.via, viaDistance: chain.viaDistance, ...rest };
      }
      members.push(member);
      decisions.set(m, memberDecision(member, ci));
    }
    if (chainedCount > DOUBTFUL_NAMED) doubtful.push(`and ${chainedCount - DOUBTFUL_NAMED} more members only linked to ${keep} through other files`);
    const groupsHere = [...new Set(files.map((p) => info(p).group).filter((g): g is string => g !== undefined))].sort(comparePaths);
    if (groupsHere.length > 1)
      doubtful.push(`files of folders compared separately (--group-by): ${groupsHere.map((g) => (g === '' ? '(root)' : `${g}/`)).join(', ')}`);
    clusters.push({ keep, keepBy: fk?.by ?? 'auto', keepReason, members, doubtful, conflicts });
  }

  // ---- files decided outside any cluster: review verdicts whose partner is absent, and orphans --------
  const named = new Set<string>();
  for (const r of reviews.values()) named.add(r.a).add(r.b);
  for (const k of notDup) for (const p of k.split('\u0000')) named.add(p);
  for (const p of fileFact.keys()) named.add(p);
  const orphaned = [...named].filter((p) => !present(p)).sort(comparePaths);
  const orphanSet = new Set(orphaned);
  for (const p of [...named].sort(comparePaths)) {
    if (decisions.has(p)) continue;
    const f = fixed(p);
    const absent = orphanSet.has(p);
    if (!f && !absent) continue;
    const base: Fixed = f ?? { decision: 'keep', by: 'auto', reason: 'kept: not a duplicate of any file found' };
    decisions.set(p, {
      path: p,
      decision: base.decision,
      by: base.by,
      reason: absent ? `${base.reason} (absent from the last scan: orphaned)` : base.reason,
      ...(base.conflict ? { conflict: true as const } : {}),
      ...(absent ? { orphaned: true as const } : {}),
    });
  }

  // ---- pairs -------------------------------------------------------------------------------------------
  // Every measured, reviewed or not-duplicate pair's verdict: derived when first read (a scan's clusters and
  // a manifest write never read them; at 50,000 pairs they were a sixth of deciding).
  let pairs: DecidedPair[] | undefined;
  const pairList = (): DecidedPair[] => {
    if (pairs) return pairs;
    const pairSet = new Map<string, { a: string; b: string }>();
    for (const p of measuredPairs) pairSet.set(pairKey(p.a, p.b), p);
    for (const r of reviews.values()) pairSet.set(pairKey(r.a, r.b), { a: r.a, b: r.b });
    for (const k of notDup) {
      const [a, b] = k.split('\u0000');
      pairSet.set(k, { a, b });
    }
    pairs = pairVerdicts(pairSet.entries(), (p) => decisions.get(p), { review: (k) => reviews.get(k)?.decision, notDuplicate: (k) => notDup.has(k) });
    return pairs;
  };

  const files = [...decisions.values()].sort((x, y) => comparePaths(x.path, y.path));
  const remove = files.filter((f) => f.decision === 'remove').map((f) => f.path);
  const removeReviewed = files.filter((f) => f.decision === 'remove' && f.by === 'review').length;
  // `pairs` a getter, enumerable: JSON and structured clones (the gallery's messages) read it like a field.
  return {
    files,
    clusters,
    get pairs() {
      return pairList();
    },
    remove,
    orphaned,
    totals: decisionTotals([...fileOf.values()].filter((f) => !f.orphaned).length, clusters, {
      remove: remove.length,
      removeReviewed,
      suggested: files.filter((f) => f.suggested === 'remove').length,
      conflicts: files.filter((f) => f.conflict).length,
      orphaned: orphaned.length,
    }),
  };
}

/** Files on a cycle of reviewed removals (keep A over B, B over C, C over A), each with the cycle as text. */
function reviewCycles(removals: readonly [string, string][]): Map<string, string> {
  const out = new Map<string, string>();
  if (removals.length < 2) return out;
  const names = [...new Set(removals.flat())].sort(comparePaths);
  const id = new Map(names.map((p, i) => [p, i]));
  const adj: number[][] = names.map(() => []);
  for (const [w, l] of removals) adj[id.get(w)!].push(id.get(l)!);
  for (const l of adj) l.sort((a, b) => a - b);
  for (const comp of cycles(names.length, adj)) {
    const inComp = new Set(comp);
    const text = removals
      .filter(([w, l]) => inComp.has(id.get(w)!) && inComp.has(id.get(l)!))
      .map(([w, l]) => `keep ${w} over ${l}`)
      .sort(comparePaths)
      .join(', ');
    for (const i of comp) out.set(names[i], text);
  }
  return out;
}
