/**
 * A scan's own decisions, kept for the manifest it is written into. A scan clusters its pairs with
 * `decide` (no facts, the default keep policy, removeMode `all`); the manifest then decides again, with
 * what people decided on disk and its decision settings. On a first scan, and whenever the disk holds no
 * facts and the default settings, that second `decide` has the very same input and gives the very same
 * clusters: it was 0.3-0.5 s of a 13,200-file first scan's manifest write. The scan records its clusters
 * here; the manifest (manifest/build.ts) uses them when its own decide input is the scan's, file for file
 * and setting for setting, and derives the rest of `Decisions` from them exactly as `decide` does.
 */
import { compileProtect } from '../files/filters.js';
import { comparePaths } from '../files/paths.js';
import type { ScanResult } from '../types.js';
import { isDefaultPolicy } from './keepPolicy.js';
import { decisionTotals, memberDecision, pairVerdicts } from './derive.js';
import { pairKey } from './verdict.js';
import type { DecideFile, DecideInput, DecidedCluster, DecidedMember, DecidedPair, Decisions, FileDecision } from './types.js';

/** The file facts of a scan as `decide` reads them (its own paths, --protect named by its first matching glob). */
export interface ScanFileLike {
  readonly path: string;
  readonly fingerprint: string;
}

/** The decide input's files of a scan: its file records with their fingerprint as sha256 and the --protect glob each one matched. */
export function scanDecideFiles<F extends ScanFileLike>(files: readonly F[], protect: readonly string[]): (F & DecideFile)[] {
  const isProtected = compileProtect(protect);
  const globs = protect.map((g) => ({ g, test: compileProtect([g]) }));
  return files.map((f) => ({
    ...f,
    sha256: f.fingerprint,
    ...(isProtected(f.path) ? { protectedBy: globs.find((x) => x.test(f.path))?.g } : {}),
  })) as (F & DecideFile)[];
}

/** What a scan decided: its clusters, and the files they were decided on (scanDecideFiles). */
export interface ScanDecisions {
  readonly files: readonly DecideFile[];
  readonly clusters: readonly DecidedCluster[];
  /** --strict, as the scan clustered. */
  readonly strict: boolean;
}

const recorded = new WeakMap<object, ScanDecisions>();

/** Keeps a scan result's decisions beside it (not a field of it: the result's shape and its JSON stay as they are). */
export function recordScanDecisions(result: object, d: ScanDecisions): void {
  recorded.set(result, d);
}

export function scanDecisionsOf(result: object): ScanDecisions | undefined {
  return recorded.get(result);
}

/**
 * Records the clusters a scan decided for a copy of its result (the extension's scan runs in a worker
 * thread and posts its result and clusters to the host: a copy, which carries no record of its own).
 */
export function recordScanClusters(result: ScanResult, clusters: readonly DecidedCluster[]): void {
  recordScanDecisions(result, { files: scanDecideFiles(result.files, result.options.protect), clusters, strict: result.options.strict });
}

/** Every field of DecideFile: two files with equal values of these are the same to `decide`. */
const DECIDE_FILE_KEYS = [
  'path',
  'size',
  'width',
  'height',
  'mtimeMs',
  'kind',
  'durationSec',
  'format',
  'jpegQuality',
  'reencoded',
  'contentWidth',
  'contentHeight',
  'sha256',
  'protectedBy',
  'orphaned',
  'group',
  'split',
] as const satisfies readonly (keyof DecideFile)[];
// A field added to DecideFile and not listed above fails to compile here.
const everyKey: Record<Exclude<keyof DecideFile, (typeof DECIDE_FILE_KEYS)[number]>, never> = {};
void everyKey;

/** `kind` absent reads as an image (keepPolicy, decide). */
const fieldOf = (f: DecideFile, k: (typeof DECIDE_FILE_KEYS)[number]): unknown => (k === 'kind' ? (f.kind ?? 'image') : f[k]);

/**
 * The scan's clusters when they are what `decide(input)` gives: the input has no facts and no exact
 * distance callback, the default keep policy, removeMode `all`, no split order, the scan's --strict, the
 * same edges and identical groups (the caller's to vouch for: the measurement of that very scan, paths
 * unchanged) and the same files, field for field. Undefined otherwise.
 */
export function reusableClusters(d: ScanDecisions | undefined, input: DecideInput, map?: (scanPath: string) => string): readonly DecidedCluster[] | undefined {
  if (!d) return undefined;
  const f = input.facts;
  if (f.reviews.length > 0 || f.notDuplicates.length > 0 || f.fileDecisions.length > 0) return undefined;
  if (input.distance !== undefined || (input.dropOrder ?? []).length > 0) return undefined;
  if ((input.removeMode ?? 'all') !== 'all' || (input.strict === true) !== d.strict) return undefined;
  if (input.policy !== undefined && !isDefaultPolicy(input.policy)) return undefined;
  if (input.files.length !== d.files.length) return undefined;
  for (let i = 0; i < d.files.length; i++) {
    const a = input.files[i];
    const b = d.files[i];
    for (const k of DECIDE_FILE_KEYS) {
      const want = k === 'path' && map ? map(b.path) : fieldOf(b, k);
      if (fieldOf(a, k) !== want) return undefined;
    }
  }
  return map ? mappedClusters(d.clusters, map) : d.clusters;
}

/**
 * The clusters in a manifest's own paths (a manifest outside the scanned folder names files relative to
 * itself: one prefix for every path, which keeps their order, their lengths' order and their names, so
 * decide ranks and sorts them alike). The paths in the texts are put in through the very texts decide
 * writes without facts; a text of any other form gives undefined, and the manifest decides again.
 */
function mappedClusters(clusters: readonly DecidedCluster[], map: (p: string) => string): DecidedCluster[] | undefined {
  const out: DecidedCluster[] = [];
  for (const c of clusters) {
    if (c.conflicts.length > 0) return undefined;
    const K = c.keep;
    const mk = map(K);
    const members: DecidedMember[] = [];
    const linked: { m: DecidedMember; via: string; mvia: string }[] = [];
    for (const m of c.members) {
      const via = m.via ?? 'other files';
      const mvia = m.via !== undefined ? map(m.via) : 'other files';
      let reason: string | undefined;
      const copy = `removed: copy of ${K} (distance `;
      const only = `kept: only linked through ${via} (`;
      if (m.reason.startsWith(copy)) reason = `removed: copy of ${mk} (distance ${m.reason.slice(copy.length)}`;
      else if (m.reason === `removed: identical to ${K} (same bytes)`) reason = `removed: identical to ${mk} (same bytes)`;
      else if (m.reason.startsWith(only)) {
        reason = `kept: only linked through ${mvia} (${m.reason.slice(only.length)}`;
        linked.push({ m, via, mvia });
      } else if (m.reason.startsWith('kept: protected by --protect ')) reason = m.reason;
      if (reason === undefined) return undefined;
      members.push({ ...m, path: map(m.path), ...(m.via !== undefined ? { via: mvia } : {}), reason });
    }
    // The doubtful texts: one per member linked only through others (the first ten), then "and N more".
    const doubtful: string[] = [];
    let k = 0;
    for (const t of c.doubtful) {
      const l = linked[k];
      const head = l && `${l.m.path} is only linked to ${K} through ${l.via} (`;
      const more = /^and (\d+) more members only linked to /.exec(t);
      if (head && t.startsWith(head)) {
        doubtful.push(`${map(l.m.path)} is only linked to ${mk} through ${l.mvia} (${t.slice(head.length)}`);
        k++;
      } else if (more && t === `and ${more[1]} more members only linked to ${K} through other files`)
        doubtful.push(`and ${more[1]} more members only linked to ${mk} through other files`);
      else return undefined;
    }
    out.push({ ...c, keep: mk, members, doubtful });
  }
  return out;
}

/**
 * `decide(input)` for an input without facts, from its clusters (`decide(input).clusters`): the same
 * files, pairs, remove list and totals, field for field (decisions/scanDecisions.test.ts holds them to
 * decide's own). `files` and `pairs` (every measured pair's verdict: a pass over all pairs) are derived
 * when first read; a manifest write reads neither.
 */
export function decisionsOfClusters(input: DecideInput, clusters: readonly DecidedCluster[]): Decisions {
  const fileOf = new Map<string, DecideFile>();
  for (const f of input.files) if (!fileOf.has(f.path)) fileOf.set(f.path, f);
  let present = 0;
  for (const f of fileOf.values()) if (!f.orphaned) present++;
  const remove: string[] = [];
  let suggested = 0;
  for (const c of clusters)
    for (const m of c.members) {
      if (m.decision === 'remove') remove.push(m.path);
      if (m.suggested === 'remove') suggested++;
    }
  remove.sort(comparePaths);
  let files: FileDecision[] | undefined;
  const fileDecisions = (): FileDecision[] => {
    if (files) return files;
    files = [];
    clusters.forEach((c, ci) => {
      // Without facts a kept file is decided by the policy or, protected, by --protect (decide's fixedVerdict).
      const prot = fileOf.get(c.keep)?.protectedBy;
      files!.push(
        prot !== undefined
          ? { path: c.keep, decision: 'keep', by: 'protect', reason: `kept: protected by --protect ${prot}`, cluster: ci }
          : { path: c.keep, decision: 'keep', by: 'auto', reason: c.keepReason, cluster: ci },
      );
      for (const m of c.members) files!.push(memberDecision(m, ci));
    });
    files.sort((x, y) => comparePaths(x.path, y.path));
    return files;
  };
  let pairs: DecidedPair[] | undefined;
  const pairList = (): DecidedPair[] => {
    if (pairs) return pairs;
    const byPath = new Map(fileDecisions().map((f) => [f.path, f]));
    const isPresent = (p: string): boolean => {
      const f = fileOf.get(p);
      return f !== undefined && !f.orphaned;
    };
    // The measured pairs as decide keeps them: present files, one per pair (the first), in path order.
    const measured = new Map<string, { a: string; b: string }>();
    for (const e of input.edges) {
      if (e.a === e.b || !isPresent(e.a) || !isPresent(e.b)) continue;
      const k = pairKey(e.a, e.b);
      if (!measured.has(k)) measured.set(k, comparePaths(e.a, e.b) < 0 ? { a: e.a, b: e.b } : { a: e.b, b: e.a });
    }
    pairs = pairVerdicts(measured.entries(), (p) => byPath.get(p));
    return pairs;
  };
  // Field order as decide's; files and pairs are getters (enumerable: JSON and structured clones read them).
  return {
    get files() {
      return fileDecisions();
    },
    clusters,
    get pairs() {
      return pairList();
    },
    remove,
    orphaned: [],
    totals: decisionTotals(present, clusters, { remove: remove.length, removeReviewed: 0, suggested, conflicts: 0, orphaned: 0 }),
  };
}
