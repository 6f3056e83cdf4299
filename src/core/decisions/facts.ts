/**
 * Facts as keyed values, and the operations that change them. Every decision a person makes (a pair
 * review, a bulk action, a hand edit of the manifest, an undo) is a list of FactChanges: key -> value
 * (null = no fact). Writers send only these changes, and the manifest store applies them on top of
 * whatever the file on disk holds at write time, so concurrent writers never undo each other's work;
 * the history journal records each change with the value it replaced, so undo restores the previous
 * decision, not "undecided".
 */
import { comparePaths } from '../files/paths.js';
import { pairKey } from './verdict.js';
import type { Decisions, Facts, FileDecisionFact, FileVerdict, PairReview, ReviewDecision } from './types.js';

/** `review` and `notdup` keys name a pair (a < b); `file` keys a path. */
export type FactKey = { readonly kind: 'review' | 'notdup'; readonly a: string; readonly b: string } | { readonly kind: 'file'; readonly path: string };
/** review: a ReviewDecision from a's side; notdup: true; file: keep | remove; null: no fact. */
export type FactValue = ReviewDecision | FileVerdict | true | null;

export interface FactChange {
  readonly key: FactKey;
  readonly value: FactValue;
}

/** A change with the value it replaced (history, undo). */
export interface RecordedChange extends FactChange {
  readonly before: FactValue;
}

const ordered = (a: string, b: string): [string, string] => (comparePaths(a, b) <= 0 ? [a, b] : [b, a]);

export function keyText(k: FactKey): string {
  return k.kind === 'file' ? `file\u0000${k.path}` : `${k.kind}\u0000${pairKey(k.a, k.b)}`;
}

/** Facts indexed by key, for reading and changing many values. */
export class FactTable {
  private readonly values = new Map<string, { key: FactKey; value: Exclude<FactValue, null> }>();

  constructor(facts: Facts) {
    for (const r of facts.reviews) this.set({ kind: 'review', a: r.a, b: r.b }, r.decision);
    for (const [a, b] of facts.notDuplicates) this.set({ kind: 'notdup', a, b }, true);
    for (const d of facts.fileDecisions) this.set({ kind: 'file', path: d.path }, d.decision);
  }

  get(key: FactKey): FactValue {
    const k = normalizeKey(key);
    const v = this.values.get(keyText(k))?.value ?? null;
    // Reviews are stored from a's side (a < b); a key given the other way round reads it flipped.
    return key.kind === 'review' && v !== null && key.a !== (k as { a: string }).a ? flip(v as ReviewDecision) : v;
  }

  set(key: FactKey, value: FactValue): void {
    const k = normalizeKey(key);
    if (k.kind !== 'file' && k.a === k.b) return;
    const stored = key.kind === 'review' && value !== null && key.a !== (k as { a: string }).a ? flip(value as ReviewDecision) : value;
    if (stored === null) this.values.delete(keyText(k));
    else this.values.set(keyText(k), { key: k, value: stored });
  }

  /** Applies changes in order and returns them with the values they replaced. */
  apply(changes: readonly FactChange[]): RecordedChange[] {
    return changes.map((c) => {
      const before = this.get(c.key);
      this.set(c.key, c.value);
      return { key: c.key, before, value: c.value };
    });
  }

  facts(): Facts {
    const reviews: PairReview[] = [];
    const notDuplicates: (readonly [string, string])[] = [];
    const fileDecisions: FileDecisionFact[] = [];
    for (const { key, value } of this.values.values()) {
      if (key.kind === 'file') fileDecisions.push({ path: key.path, decision: value as FileVerdict });
      else if (key.kind === 'review') reviews.push({ a: key.a, b: key.b, decision: value as ReviewDecision });
      else notDuplicates.push([key.a, key.b]);
    }
    reviews.sort((x, y) => comparePaths(x.a, y.a) || comparePaths(x.b, y.b));
    notDuplicates.sort((x, y) => comparePaths(x[0], y[0]) || comparePaths(x[1], y[1]));
    fileDecisions.sort((x, y) => comparePaths(x.path, y.path));
    return { reviews, notDuplicates, fileDecisions };
  }
}

function flip(d: ReviewDecision): ReviewDecision {
  return d === 'keep-a' ? 'keep-b' : d === 'keep-b' ? 'keep-a' : d;
}

function normalizeKey(k: FactKey): FactKey {
  if (k.kind === 'file') return k;
  const [a, b] = ordered(k.a, k.b);
  return { kind: k.kind, a, b };
}

export function applyFactChanges(facts: Facts, changes: readonly FactChange[]): Facts {
  const t = new FactTable(facts);
  t.apply(changes);
  return t.facts();
}

/** The actions on one pair. `clear` returns it to the automatic decision (the gallery's "undecided"). */
export type PairAction = ReviewDecision | 'not-duplicate' | 'clear';

/** keep-a keeps a (from the caller's side: a and b in any order). */
export function pairActionChanges(a: string, b: string, action: PairAction): FactChange[] {
  return [
    { key: { kind: 'review', a, b }, value: action === 'not-duplicate' || action === 'clear' ? null : action },
    { key: { kind: 'notdup', a, b }, value: action === 'not-duplicate' ? true : null },
  ];
}

const clusterFiles = (d: Decisions, cluster: number): string[] => {
  const c = d.clusters[cluster];
  if (!c) throw new RangeError(`no cluster ${cluster} (there are ${d.clusters.length})`);
  return [c.keep, ...c.members.map((m) => m.path)];
};

const protectedIn = (d: Decisions, paths: readonly string[]): Set<string> => {
  const set = new Set(paths);
  return new Set(d.files.filter((f) => set.has(f.path) && f.by === 'protect').map((f) => f.path));
};

/** Bulk: keep `path` and remove every other file of its cluster, except protected files (never removed). */
export function keepThisChanges(d: Decisions, cluster: number, path: string): FactChange[] {
  const files = clusterFiles(d, cluster);
  if (!files.includes(path)) throw new RangeError(`${path} is not in cluster ${cluster}`);
  const prot = protectedIn(d, files);
  return files.filter((p) => p === path || !prot.has(p)).map((p): FactChange => ({ key: { kind: 'file', path: p }, value: p === path ? 'keep' : 'remove' }));
}

/**
 * The answer to a conflict (reviews forming a cycle, or a file kept and removed by review): "keep this
 * file". Every review that removed `path` in favour of another file now keeps `path` over it, and a
 * file decision that removed it becomes keep; the person's other reviews stand (a cycle broken at `path`
 * is a plain chain, so its other files go as reviewed). Nothing else changes, so undo restores the cycle.
 */
export function resolveConflictChanges(facts: Facts, path: string): FactChange[] {
  const out: FactChange[] = [];
  for (const r of facts.reviews) {
    const lost = (r.a === path && r.decision === 'keep-b') || (r.b === path && r.decision === 'keep-a');
    if (lost) out.push({ key: { kind: 'review', a: r.a, b: r.b }, value: r.a === path ? 'keep-a' : 'keep-b' });
  }
  if (facts.fileDecisions.some((d) => d.path === path && d.decision === 'remove')) out.push({ key: { kind: 'file', path }, value: 'keep' });
  return out;
}

/** Bulk: the automatic verdicts of a cluster (suggested removals included) become file decisions; reviewed files are left as they are. */
export function acceptClusterChanges(d: Decisions, cluster: number): FactChange[] {
  const files = new Set(clusterFiles(d, cluster));
  return d.files
    .filter((f) => files.has(f.path) && f.by === 'auto' && !f.conflict)
    .map((f): FactChange => ({ key: { kind: 'file', path: f.path }, value: f.suggested ?? f.decision }));
}

/** Bulk: every pair of the cluster (measured or reviewed) marked not a duplicate, and its reviews and file decisions cleared. */
export function clusterNotDuplicatesChanges(d: Decisions, cluster: number): FactChange[] {
  const files = new Set(clusterFiles(d, cluster));
  const out: FactChange[] = [];
  for (const p of d.pairs) if (files.has(p.a) && files.has(p.b)) out.push(...pairActionChanges(p.a, p.b, 'not-duplicate'));
  for (const p of [...files].sort(comparePaths)) out.push({ key: { kind: 'file', path: p }, value: null });
  return out;
}

/** Bulk: `path` leaves its cluster: every pair it has with another file of the cluster is marked not a duplicate. */
export function splitOutChanges(d: Decisions, cluster: number, path: string): FactChange[] {
  const files = new Set(clusterFiles(d, cluster));
  if (!files.has(path)) throw new RangeError(`${path} is not in cluster ${cluster}`);
  const out: FactChange[] = [];
  for (const p of d.pairs) {
    if ((p.a === path && files.has(p.b)) || (p.b === path && files.has(p.a))) out.push(...pairActionChanges(p.a, p.b, 'not-duplicate'));
  }
  out.push({ key: { kind: 'file', path }, value: null });
  return out;
}
