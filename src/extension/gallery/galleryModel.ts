/**
 * Turns a session into the webview's initial state. Only files that appear in a pair are sent, and pairs
 * refer to them by index, so 10k pairs make a message of a few MB at most. Pure: URIs come from a function.
 */
import type { Cluster, FileRecord, ScanResult } from '../../core/types.js';
import type { ClusterView, FileView, GalleryInit, PairStatus, PairView } from '../../shared/protocol.js';
import { browserCanShow, needsThumb } from '../thumbs/needsThumb.js';
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
  readonly statuses: readonly PairStatus[];
  readonly files: GalleryFiles;
  readonly rootName: string;
  readonly manifestPath: string;
  readonly scanEndedAt: number;
}

export function galleryInit(i: InitInput): GalleryInit {
  const h = i.result.options.hashers[0];
  const pairs: PairView[] = i.result.pairs.map((p, k) => {
    const v: { -readonly [K in keyof PairView]: PairView[K] } = {
      a: i.files.indexOf.get(p.a)!,
      b: i.files.indexOf.get(p.b)!,
      distance: p.distance,
      hasher: p.hasher,
      status: i.statuses[k] ?? 'undecided',
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
    skipped: i.result.skipped.length,
    cancelled: i.result.cancelled,
    scanEndedAt: i.scanEndedAt,
  };
}

/** Clusters for the webview, by file index; members whose file is not in any pair are dropped. */
export function clusterViews(clusters: readonly Cluster[], indexOf: ReadonlyMap<string, number>): ClusterView[] {
  const out: ClusterView[] = [];
  for (const c of clusters) {
    const keep = indexOf.get(c.keep);
    if (keep === undefined) continue;
    const members = c.members.flatMap((m) => {
      const file = indexOf.get(m.path);
      return file === undefined ? [] : [{ file, distance: m.distance ?? Number.NaN, decision: m.decision, by: m.by }];
    });
    out.push({ keep, members });
  }
  return out;
}
