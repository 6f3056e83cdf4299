/**
 * Turns a session into the webview's initial state. Only files that appear in a pair are sent, and pairs
 * refer to them by index, so 10k pairs make a message of a few MB at most. Pure: URIs come from a function.
 */
import type { FileRecord, Pair, ScanResult } from '../../core/types.js';
import { DECIDED_BY, PAIR_VERDICTS, type ClusterView, type DecisionsView, type FileView, type GalleryInit, type PairView } from '../../shared/protocol.js';
import type { ReviewState } from '../review/session.js';
import { browserCanShow, needsThumb } from '../thumbs/needsThumb.js';
import { emptyFolderMessage } from '../scan/messages.js';
import { stampVersion } from './resourceVersion.js';

export interface GalleryFiles {
  readonly files: FileView[];
  readonly indexOf: ReadonlyMap<string, number>;
}

/**
 * Each file's version is what the scan saw (size and mtime), so the page can show the first pair without
 * waiting for a stat of every file; the panel checks the disk afterwards and sends what changed.
 */
export function galleryFiles(result: ScanResult): GalleryFiles {
  const used = new Set<string>();
  for (const p of result.pairs) {
    used.add(p.a);
    used.add(p.b);
  }
  // Copies with identical hashes are clusters' members without a listed pair: the clusters view shows them.
  for (const g of result.identical ?? []) for (const p of g) used.add(p);
  const files: FileView[] = [];
  const indexOf = new Map<string, number>();
  const add = (path: string, r: FileRecord | undefined): void => {
    indexOf.set(path, files.length);
    const kind = r?.kind ?? 'image';
    const f = {
      path,
      kind,
      size: r?.size ?? 0,
      width: r?.width ?? 0,
      height: r?.height ?? 0,
      ...(r?.durationSec !== undefined ? { durationSec: r.durationSec } : {}),
    };
    files.push({ ...f, ...(r ? { version: stampVersion(r) } : {}), thumb: needsThumb(f), renderable: kind === 'video' || browserCanShow(path) });
  };
  // result.files is sorted by path, so walking it keeps the files sorted without sorting 10k strings here.
  for (const r of result.files) if (used.has(r.path)) add(r.path, r);
  for (const path of used) if (!indexOf.has(path)) add(path, undefined);
  return { files, indexOf };
}

export interface InitInput {
  readonly baseUri: string;
  readonly result: ScanResult;
  /** The pairs listed (Session.pairs): the scan's, then `implied` pairs of identical-hash groups. */
  readonly pairs: readonly Pair[];
  readonly implied: number;
  readonly files: GalleryFiles;
  readonly rootName: string;
  readonly manifestPath: string;
  readonly scanEndedAt: number;
}

export function galleryInit(i: InitInput): GalleryInit {
  const h = i.result.options.hashers[0];
  const empty = emptyFolderMessage(i.result);
  const pairs: PairView[] = i.pairs.map((p) => {
    const v: { -readonly [K in keyof PairView]: PairView[K] } = {
      a: i.files.indexOf.get(p.a)!,
      b: i.files.indexOf.get(p.b)!,
      distance: p.distance,
      hasher: p.hasher,
    };
    if (p.transform) v.transform = p.transform;
    if (p.via) v.via = p.via;
    if (p.frames) v.frames = p.frames;
    if (p.offsetSec !== undefined) v.offsetSec = p.offsetSec;
    return v;
  });
  return {
    baseUri: i.baseUri,
    rootName: i.rootName,
    rootPath: i.result.root,
    manifestPath: i.manifestPath,
    hasher: h ? `${h.name}${h.hashSize ? String(h.hashSize) : ''}` : 'hash',
    threshold: h?.threshold ?? 0,
    files: i.files.files,
    pairs,
    ...(i.implied > 0 ? { implied: i.implied } : {}),
    skipped: i.result.skipped.length,
    cancelled: i.result.cancelled,
    ...(empty !== undefined ? { emptyMessage: empty } : {}),
    scanEndedAt: i.scanEndedAt,
    ...leaksOf(i.result, i.files),
  };
}

/**
 * After a scan across splits: each shown file's split, for the chips on its rows. The counts in the Leaks
 * header are the manifest's (decisionsView), so the page never shows a second count that could differ.
 */
function leaksOf(result: ScanResult, files: GalleryFiles): Pick<GalleryInit, 'leaks'> {
  const rules = result.options.splits;
  if (!rules || rules.length === 0) return {};
  const splitOf = new Map(result.files.map((f) => [f.path, f.split]));
  const splits = rules.map((s) => s.name);
  return { leaks: { splits, fileSplit: files.files.map((f) => splits.indexOf(splitOf.get(f.path) ?? '')) } };
}

/**
 * What the manifest says of every file and pair the page shows, by index (see DecisionsView). Members of
 * a cluster whose file the page does not know (a file in no listed pair) are left out of that cluster.
 */
export function decisionsView(state: ReviewState, pairs: readonly Pair[], files: GalleryFiles): DecisionsView {
  const verdictIndex = new Map(PAIR_VERDICTS.map((v, i) => [v, i] as const));
  const byIndex = new Map(DECIDED_BY.map((v, i) => [v, i] as const));
  const fileDecision: number[] = [];
  const fileBy: number[] = [];
  const fileSuggested: number[] = [];
  const fileConflict: number[] = [];
  const fileReason: (string | null)[] = [];
  files.files.forEach((f, i) => {
    const d = state.file(f.path);
    fileDecision.push(d.decision === 'remove' ? 1 : 0);
    fileBy.push(byIndex.get(d.by) ?? 0);
    if (d.suggested) fileSuggested.push(i);
    if (d.conflict) fileConflict.push(i);
    fileReason.push(d.reason ?? null);
  });
  const pairVerdict: number[] = [];
  const pairBy: number[] = [];
  for (const p of pairs) {
    const v = state.verdict(p.a, p.b);
    pairVerdict.push(verdictIndex.get(v.verdict) ?? 0);
    pairBy.push(v.by === 'review' ? 1 : 0);
  }
  const clusters: ClusterView[] = [];
  for (const c of state.clusters) {
    const keep = files.indexOf.get(c.keep);
    if (keep === undefined) continue;
    const members = c.members.flatMap((m) => {
      const file = files.indexOf.get(m.file);
      return file === undefined ? [] : [{ ...m, file }];
    });
    const conflicts = c.conflicts.map((g) => ({ reason: g.reason, files: g.files.flatMap((p) => files.indexOf.get(p) ?? []) }));
    clusters.push({ keep, keepBy: c.keepBy, keepReason: c.keepReason, members, doubtful: c.doubtful, conflicts });
  }
  return {
    manifestHash: state.contentHash,
    removeMode: state.removeMode,
    fileDecision,
    fileBy,
    fileSuggested,
    fileConflict,
    fileReason,
    pairVerdict,
    pairBy,
    clusters,
    totals: state.totals,
    history: state.history,
    ...(state.leaks ? { leaks: state.leaks } : {}),
  };
}
