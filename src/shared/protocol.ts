/**
 * The whole contract between the extension host and the gallery webview: one union of messages per
 * direction, imported by both sides. Names are `scope/verb`. The webview starts with `ready`; the host
 * answers with `gallery/init` holding all initial state, so nothing is posted before the page listens.
 *
 * Everything arriving at the host comes from a page that renders file names from disk, so the host
 * never trusts it: `parseWebviewMessage` validates shape and types, and the host checks indices
 * against its own session before acting.
 *
 * No `vscode` and no DOM here: this file is compiled for Node (host) and the browser (webview).
 */

/** A review action on one pair: `keep-a` keeps the left file (a) and removes b; `undo` clears the pair's review (back to the automatic verdict). */
export type DecideAction = 'keep-a' | 'keep-b' | 'keep-both' | 'not-duplicate' | 'undo';

export const DECIDE_ACTIONS: readonly DecideAction[] = ['keep-a', 'keep-b', 'keep-both', 'not-duplicate', 'undo'];

/**
 * One file as the gallery shows it. Its webview URI is `GalleryInit.baseUri` joined with `path` and
 * `?version=` (see fileUri): asWebviewUri keeps the path, so the host need not send 10k long URIs.
 * `thumb` asks for a cached thumbnail first.
 */
export interface FileView {
  readonly path: string; // POSIX, relative to the scanned folder
  /** Changes when the file changes on disk (size and mtime), so its URI changes and the page loads it again. */
  readonly version?: string;
  readonly thumb: boolean;
  /** False for formats a browser cannot draw (TIFF...): the compare view then shows the thumbnail too. */
  readonly renderable: boolean;
  readonly kind: 'image' | 'video';
  readonly width: number;
  readonly height: number;
  readonly size: number;
  /** Videos: duration in seconds. */
  readonly durationSec?: number;
}

/** A matched frame pair of two videos: the two timestamps (seconds) and the frame hash distance. */
export interface FrameMatchView {
  readonly a: number;
  readonly b: number;
  readonly distance: number;
}

/** How a pair was found when not by its whole files' hash distance (the engine's Pair.via). */
export type PairViaView = 'flat' | 'content-box' | 'crop-window';

/** A pair refers to files by index into `GalleryInit.files`: 10k pairs share far fewer files, and the message stays small. */
export interface PairView {
  readonly a: number;
  readonly b: number;
  readonly distance: number;
  readonly hasher: string;
  readonly transform?: string;
  /**
   * 'flat': two near-flat images paired by colour, whose hash distance may exceed the threshold;
   * 'content-box': matched after trimming borders; 'crop-window': a crop window of one matched the other.
   */
  readonly via?: PairViaView;
  /** Video pairs: the aligned frames that matched, in time order of a (the compare view seeks both videos to them). */
  readonly frames?: readonly FrameMatchView[];
  /** Video pairs: b's time minus a's where the frames align. */
  readonly offsetSec?: number;
}

/** A pair's own verdict (decisions/verdict.ts): what the gallery shows on a pair row and what the manifest says of it. */
export type PairVerdict = 'keep-left' | 'keep-right' | 'keep-both' | 'not-duplicate' | 'undecided';
export const PAIR_VERDICTS: readonly PairVerdict[] = ['undecided', 'keep-left', 'keep-right', 'keep-both', 'not-duplicate'];
/** Who decided a file: the keep policy, a person, or a --protect glob. */
export type DecidedBy = 'auto' | 'review' | 'protect';
export const DECIDED_BY: readonly DecidedBy[] = ['auto', 'review', 'protect'];
/**
 * Bulk actions on one cluster: keep-this keeps `file` and removes the rest; accept turns the automatic
 * verdicts into decisions; not-duplicates unlinks every pair of it; split-out takes `file` out of it;
 * resolve answers a conflict (reviews that contradict each other) with "keep `file`".
 */
export type ClusterAction = 'keep-this' | 'accept' | 'not-duplicates' | 'split-out' | 'resolve';
export const CLUSTER_ACTIONS: readonly ClusterAction[] = ['keep-this', 'accept', 'not-duplicates', 'split-out', 'resolve'];

/** One file of a cluster as decide leaves it; `F` names the file (an index on the wire, a path on the host). */
export interface ClusterMemberOf<F> {
  readonly file: F;
  /** To the kept file; null when not known (linked only through others). */
  readonly distance: number | null;
  readonly decision: 'keep' | 'remove';
  readonly by: DecidedBy;
  readonly reason: string;
  /** removeMode `reviewed`: the keep policy proposes removing it, but only a person's removals count. */
  readonly suggested?: true;
  readonly chained?: true;
  readonly conflict?: true;
}

/**
 * One contradiction of a cluster: decide's reason (without its "conflict: " mark) and the files it keeps
 * until a person chooses. The host groups them from the cluster's members, so the page never takes
 * decide's "path: reason" lines apart (their paths are the manifest's, not the scan's).
 */
export interface ClusterConflictOf<F> {
  readonly reason: string;
  readonly files: readonly F[];
}

export interface ClusterOf<F> {
  readonly keep: F;
  readonly keepBy: DecidedBy;
  readonly keepReason: string;
  readonly members: readonly ClusterMemberOf<F>[];
  readonly doubtful: readonly string[];
  readonly conflicts: readonly ClusterConflictOf<F>[];
}

export type ClusterMemberView = ClusterMemberOf<number>;
export type ClusterView = ClusterOf<number>;

export interface DecisionTotals {
  readonly remove: number;
  readonly removeReviewed: number;
  readonly removeAuto: number;
  /** Automatic removals proposed but not applied (removeMode `reviewed`). */
  readonly suggested: number;
  readonly clusters: number;
  readonly doubtful: number;
  readonly conflicts: number;
  readonly orphaned: number;
}

export interface HistoryView {
  readonly canUndo: boolean;
  readonly canRedo: boolean;
  readonly undoLabel?: string;
  readonly redoLabel?: string;
}

/**
 * What the manifest says (on disk, or what the first write will say), for every file and pair the page
 * shows: the host computes it with the engine's manifest reader (pairVerdictFromManifest), so the page
 * never decides anything itself. Per-file and per-pair values are columns of indices.
 */
export interface DecisionsView {
  /** SHA-256 of dedupe-manifest.json as shown; '' when there is no manifest on disk yet. */
  readonly manifestHash: string;
  readonly removeMode: 'all' | 'reviewed';
  /** Per file: 0 keep, 1 remove (remove iff the path is in the manifest's `remove`). */
  readonly fileDecision: readonly number[];
  /** Per file: index into DECIDED_BY. */
  readonly fileBy: readonly number[];
  /** Files the keep policy proposes to remove but that are kept (removeMode `reviewed`). */
  readonly fileSuggested: readonly number[];
  /** Files kept because reviews (or a review and --protect) contradict each other: the manifest's own flag, which the pair badges and Clusters both read. */
  readonly fileConflict: readonly number[];
  /** Per file: decide's one-line reason, or null when the file is in no cluster. */
  readonly fileReason: readonly (string | null)[];
  /** Per pair: index into PAIR_VERDICTS. */
  readonly pairVerdict: readonly number[];
  /** Per pair: 0 auto, 1 review. */
  readonly pairBy: readonly number[];
  readonly clusters: readonly ClusterView[];
  readonly totals: DecisionTotals;
  readonly history: HistoryView;
  /** After a scan across splits: the manifest's leaks (the gallery's Leaks header shows exactly these). */
  readonly leaks?: LeakCountsView;
}

/**
 * A scan across splits (train/test leakage): every pair is a leak. The split of each file (index into
 * `splits`, -1 for none), for the chips on each row. How many leaks there are is the manifest's word
 * (DecisionsView.leaks), never counted again from the scan.
 */
export interface LeaksView {
  readonly splits: readonly string[];
  readonly fileSplit: readonly number[];
}

/** The manifest's `leaks`, counted per split pair ("val↔train") as `check --splits` counts them. */
export interface LeakCountsView {
  readonly counts: Readonly<Record<string, number>>;
  /** The manifest's leaks.length (the sum of `counts`). */
  readonly total: number;
  /** Leaks the decisions do not resolve (neither file removed, not answered "not duplicates"). */
  readonly unresolved: number;
  /** The split leaks are dropped from (the manifest's settings.dropFrom). */
  readonly dropFrom: string;
  /** Media files in no split, left out of the search (the manifest's outsideSplits). */
  readonly outsideSplits: number;
}

export interface GalleryInit {
  /** asWebviewUri of the scanned folder. */
  readonly baseUri: string;
  readonly rootName: string;
  readonly rootPath: string;
  readonly manifestPath: string;
  readonly hasher: string;
  readonly threshold: number;
  readonly files: readonly FileView[];
  readonly pairs: readonly PairView[];
  /**
   * How many of `pairs`, the last ones, are implied by identical copies: files the scan searched as one
   * node (equal hashes), each shown against its cluster's kept file; no scan pair lists them.
   */
  readonly implied?: number;
  readonly skipped: number;
  readonly cancelled: boolean;
  /** The scan found no file to compare: where it looked and what it looks for (shown instead of "0 pairs"). */
  readonly emptyMessage?: string;
  /** Date.now() on the host when the scan ended (or the saved result was loaded): the webview reports first-pair latency from it. */
  readonly scanEndedAt: number;
  /** Only after a scan across splits. */
  readonly leaks?: LeaksView;
}

/**
 * GalleryInit as it travels: columns instead of one object per file and per pair. 10k files and 5k pairs
 * become a dozen arrays, which the host's JSON, the workbench's relay and the page's structured clone all
 * handle several times faster than 15k small objects. encodeInit/decodeInit are exact inverses.
 */
export interface WireInit extends Omit<GalleryInit, 'files' | 'pairs'> {
  readonly files: {
    readonly path: readonly string[];
    readonly version: readonly (string | null)[] | null;
    readonly video: readonly number[]; // indices of videos (the rest are images)
    readonly size: readonly number[];
    readonly width: readonly number[];
    readonly height: readonly number[];
    readonly flags: readonly number[]; // bit 0 thumb, bit 1 renderable
    readonly duration: readonly (number | null)[] | null; // videos' durations, null when no file has one
  };
  readonly pairs: {
    readonly a: readonly number[];
    readonly b: readonly number[];
    readonly distance: readonly number[];
    readonly hashers: readonly string[];
    readonly hasher: readonly number[]; // index into hashers
    readonly transform: readonly (string | null)[] | null;
    /** Indices of the pairs found by the near-flat path (Pair.via = 'flat'); null when none. */
    readonly flat: readonly number[] | null;
    /** Indices of the pairs the crop-resistant search found after trimming borders (via 'content-box'), and in crop windows ('crop-window'); null when none. */
    readonly contentBox?: readonly number[] | null;
    readonly cropWindow?: readonly number[] | null;
    /** Per pair: [a0, b0, d0, a1, b1, d1, ...] of its matched frames, or null; null overall when no pair has any. */
    readonly frames: readonly (readonly number[] | null)[] | null;
    readonly offset: readonly (number | null)[] | null;
  };
}

export function encodeInit(init: GalleryInit): WireInit {
  const { files, pairs, ...rest } = init;
  const hashers: string[] = [];
  const hasherIndex = new Map<string, number>();
  const video: number[] = [];
  files.forEach((f, i) => {
    if (f.kind === 'video') video.push(i);
  });
  return {
    ...rest,
    files: {
      path: files.map((f) => f.path),
      version: files.some((f) => f.version !== undefined) ? files.map((f) => f.version ?? null) : null,
      video,
      size: files.map((f) => f.size),
      width: files.map((f) => f.width),
      height: files.map((f) => f.height),
      flags: files.map((f) => (f.thumb ? 1 : 0) | (f.renderable ? 2 : 0)),
      duration: files.some((f) => f.durationSec !== undefined) ? files.map((f) => f.durationSec ?? null) : null,
    },
    pairs: {
      a: pairs.map((p) => p.a),
      b: pairs.map((p) => p.b),
      distance: pairs.map((p) => p.distance),
      hashers,
      hasher: pairs.map((p) => {
        let i = hasherIndex.get(p.hasher);
        if (i === undefined) {
          i = hashers.push(p.hasher) - 1;
          hasherIndex.set(p.hasher, i);
        }
        return i;
      }),
      transform: pairs.some((p) => p.transform !== undefined) ? pairs.map((p) => p.transform ?? null) : null,
      flat: indicesVia(pairs, 'flat'),
      contentBox: indicesVia(pairs, 'content-box'),
      cropWindow: indicesVia(pairs, 'crop-window'),
      frames: pairs.some((p) => p.frames !== undefined) ? pairs.map((p) => (p.frames ? p.frames.flatMap((f) => [f.a, f.b, f.distance]) : null)) : null,
      offset: pairs.some((p) => p.offsetSec !== undefined) ? pairs.map((p) => p.offsetSec ?? null) : null,
    },
  };
}

export function decodeInit(w: WireInit): GalleryInit {
  const { files: f, pairs: p, ...rest } = w;
  const videos = new Set(f.video);
  const files: FileView[] = f.path.map((path, i) => {
    const version = f.version?.[i];
    const flags = f.flags[i] ?? 0;
    const durationSec = f.duration?.[i];
    return {
      path,
      ...(typeof version === 'string' ? { version } : {}),
      thumb: (flags & 1) !== 0,
      renderable: (flags & 2) !== 0,
      kind: videos.has(i) ? 'video' : 'image',
      width: f.width[i] ?? 0,
      height: f.height[i] ?? 0,
      size: f.size[i] ?? 0,
      ...(typeof durationSec === 'number' ? { durationSec } : {}),
    };
  });
  const via = new Map<number, PairViaView>();
  for (const [kind, list] of [
    ['flat', p.flat],
    ['content-box', p.contentBox],
    ['crop-window', p.cropWindow],
  ] as const)
    for (const i of list ?? []) via.set(i, kind);
  const pairs: PairView[] = p.a.map((a, i) => {
    const transform = p.transform?.[i];
    const flat = p.frames?.[i];
    const offsetSec = p.offset?.[i];
    return {
      a,
      b: p.b[i]!,
      distance: p.distance[i]!,
      hasher: p.hashers[p.hasher[i]!] ?? '',
      ...(transform ? { transform } : {}),
      ...(via.has(i) ? { via: via.get(i)! } : {}),
      ...(flat ? { frames: framesOf(flat) } : {}),
      ...(typeof offsetSec === 'number' ? { offsetSec } : {}),
    };
  });
  return { ...rest, files, pairs };
}

/** The indices of the pairs found `kind` of way, or null when none is (the wire leaves out what is not there). */
function indicesVia(pairs: readonly PairView[], kind: PairViaView): number[] | null {
  return pairs.some((p) => p.via === kind) ? pairs.flatMap((p, i) => (p.via === kind ? [i] : [])) : null;
}

function framesOf(flat: readonly number[]): FrameMatchView[] {
  const out: FrameMatchView[] = [];
  for (let k = 0; k + 2 < flat.length; k += 3) out.push({ a: flat[k]!, b: flat[k + 1]!, distance: flat[k + 2]! });
  return out;
}

// ---- host -> webview ------------------------------------------------------------------------------

export type HostMessage =
  | { readonly type: 'gallery/init'; readonly init: WireInit }
  /** What the manifest says now: after the page's init, after every decision, undo, redo, re-scan or outside edit. */
  | { readonly type: 'decisions/state'; readonly state: DecisionsView }
  | { readonly type: 'thumbs/ready'; readonly items: readonly { readonly file: number; readonly uri: string }[] }
  /** Files whose size or mtime on disk differ from what the page was sent: their URIs change, so they load again. */
  | { readonly type: 'files/versions'; readonly items: readonly { readonly file: number; readonly version: string }[] }
  | { readonly type: 'gallery/focus'; readonly pairIndex: number }
  /** A scan in progress: the gallery opens at once and shows it, so its page is loaded when the pairs arrive. */
  | {
      readonly type: 'scan/status';
      readonly state: 'running' | 'finished' | 'failed';
      readonly rootName: string;
      readonly text: string;
      readonly fraction?: number;
    }
  | { readonly type: 'gallery/error'; readonly message: string }
  /** A video's frame at `at` seconds (a matched moment) for Flicker and Overlay: its URI, or why there is none. */
  | { readonly type: 'frames/ready'; readonly file: number; readonly at: number; readonly uri?: string; readonly error?: string };

// ---- webview -> host ------------------------------------------------------------------------------

export type MetricName = 'firstPair' | 'keyToNext';

export type WebviewMessage =
  | { readonly type: 'ready' }
  | { readonly type: 'pairs/decide'; readonly index: number; readonly action: DecideAction }
  /** One decision on every pair of a multi-selection (the selected pairs the current filter shows), as one operation. */
  | { readonly type: 'pairs/decideMany'; readonly indices: readonly number[]; readonly action: DecideAction }
  | { readonly type: 'thumbs/request'; readonly files: readonly number[] }
  /** The frame of video `file` at `at` seconds (a matched moment), for Flicker and Overlay on a video pair. */
  | { readonly type: 'frames/request'; readonly file: number; readonly at: number }
  | { readonly type: 'history/step'; readonly direction: 'undo' | 'redo' }
  | { readonly type: 'clusters/act'; readonly action: ClusterAction; readonly cluster: number; readonly file?: number }
  /** Accept the automatic decisions of these clusters (the ones the current filter shows). */
  | { readonly type: 'clusters/accept'; readonly clusters: readonly number[] }
  /** Mark every pair of these clusters (a multi-selection) not duplicates, as one operation. */
  | { readonly type: 'clusters/notDuplicates'; readonly clusters: readonly number[] }
  | { readonly type: 'file/open'; readonly file: number }
  | { readonly type: 'file/reveal'; readonly file: number }
  | { readonly type: 'file/copyPath'; readonly file: number }
  | { readonly type: 'file/findSimilar'; readonly file: number }
  | { readonly type: 'manifest/write' }
  | { readonly type: 'manifest/open' }
  | { readonly type: 'files/trash' }
  /** Lists the files the scan skipped, each with its code and reason. */
  | { readonly type: 'skipped/show' }
  | { readonly type: 'metrics/report'; readonly name: MetricName; readonly ms: number };

export type WebviewMessageType = WebviewMessage['type'];

/** The most thumbnails one request may ask for: a visible page, with margin. */
export const MAX_THUMB_REQUEST = 256;
/** The latest moment a frame may be asked for (a day of video). */
export const MAX_FRAME_AT_SEC = 86_400;
/** The most clusters one bulk accept may name (a dataset's worth). */
export const MAX_BULK_CLUSTERS = 1_000_000;

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const isIndex = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= 0x7fffffff;
const isOneOf = <T extends string>(v: unknown, allowed: readonly T[]): v is T => typeof v === 'string' && (allowed as readonly string[]).includes(v);

/** Keys each message may carry besides `type`: anything else makes the message invalid, so a typo cannot slip through. */
const ALLOWED_KEYS: Record<WebviewMessageType, readonly string[]> = {
  ready: [],
  'pairs/decide': ['index', 'action'],
  'pairs/decideMany': ['indices', 'action'],
  'thumbs/request': ['files'],
  'frames/request': ['file', 'at'],
  'history/step': ['direction'],
  'clusters/act': ['action', 'cluster', 'file'],
  'clusters/accept': ['clusters'],
  'clusters/notDuplicates': ['clusters'],
  'file/open': ['file'],
  'file/reveal': ['file'],
  'file/copyPath': ['file'],
  'file/findSimilar': ['file'],
  'manifest/write': [],
  'manifest/open': [],
  'files/trash': [],
  'skipped/show': [],
  'metrics/report': ['name', 'ms'],
};

export type ParseResult = { readonly ok: true; readonly message: WebviewMessage } | { readonly ok: false; readonly error: string };

/** Validates a message from the webview. Returns a reason when it is not one the host accepts. */
export function parseWebviewMessage(raw: unknown): ParseResult {
  if (!isObj(raw)) return fail(`expected an object but received ${typeof raw}`);
  const type = raw['type'];
  if (typeof type !== 'string' || !Object.prototype.hasOwnProperty.call(ALLOWED_KEYS, type)) {
    return fail(`unknown message type ${JSON.stringify(type)}`);
  }
  const t = type as WebviewMessageType;
  for (const k of Object.keys(raw)) {
    if (k !== 'type' && !ALLOWED_KEYS[t].includes(k)) return fail(`unexpected field ${JSON.stringify(k)} in ${t}`);
  }
  switch (t) {
    case 'ready':
    case 'manifest/write':
    case 'manifest/open':
    case 'files/trash':
    case 'skipped/show':
      return { ok: true, message: { type: t } };
    case 'pairs/decide': {
      if (!isIndex(raw['index'])) return fail('pairs/decide: index must be a non-negative integer');
      if (!isOneOf(raw['action'], DECIDE_ACTIONS)) return fail(`pairs/decide: action must be one of ${DECIDE_ACTIONS.join(', ')}`);
      return { ok: true, message: { type: t, index: raw['index'], action: raw['action'] } };
    }
    case 'history/step': {
      if (!isOneOf(raw['direction'], ['undo', 'redo'] as const)) return fail('history/step: direction must be undo or redo');
      return { ok: true, message: { type: t, direction: raw['direction'] } };
    }
    case 'clusters/act': {
      if (!isOneOf(raw['action'], CLUSTER_ACTIONS)) return fail(`clusters/act: action must be one of ${CLUSTER_ACTIONS.join(', ')}`);
      if (!isIndex(raw['cluster'])) return fail('clusters/act: cluster must be a non-negative integer');
      const file = raw['file'];
      if (file !== undefined && !isIndex(file)) return fail('clusters/act: file must be a non-negative integer');
      if ((raw['action'] === 'keep-this' || raw['action'] === 'split-out' || raw['action'] === 'resolve') && file === undefined)
        return fail(`clusters/act: ${raw['action']} needs a file`);
      return { ok: true, message: { type: t, action: raw['action'], cluster: raw['cluster'], ...(file !== undefined ? { file: file as number } : {}) } };
    }
    case 'clusters/accept':
    case 'clusters/notDuplicates': {
      const c = raw['clusters'];
      if (!Array.isArray(c) || c.length > MAX_BULK_CLUSTERS || !c.every(isIndex))
        return fail(`${t}: clusters must be at most ${MAX_BULK_CLUSTERS} non-negative integers`);
      return { ok: true, message: { type: t, clusters: c as number[] } };
    }
    case 'pairs/decideMany': {
      const ix = raw['indices'];
      if (!Array.isArray(ix) || ix.length === 0 || ix.length > MAX_BULK_CLUSTERS || !ix.every(isIndex))
        return fail(`pairs/decideMany: indices must be 1 to ${MAX_BULK_CLUSTERS} non-negative integers`);
      if (!isOneOf(raw['action'], DECIDE_ACTIONS)) return fail(`pairs/decideMany: action must be one of ${DECIDE_ACTIONS.join(', ')}`);
      return { ok: true, message: { type: t, indices: ix as number[], action: raw['action'] } };
    }
    case 'thumbs/request': {
      const files = raw['files'];
      if (!Array.isArray(files) || files.length > MAX_THUMB_REQUEST || !files.every(isIndex)) {
        return fail(`thumbs/request: files must be at most ${MAX_THUMB_REQUEST} non-negative integers`);
      }
      return { ok: true, message: { type: t, files: files as number[] } };
    }
    case 'frames/request': {
      const at = raw['at'];
      if (!isIndex(raw['file'])) return fail('frames/request: file must be a non-negative integer');
      if (typeof at !== 'number' || !Number.isFinite(at) || at < 0 || at > MAX_FRAME_AT_SEC)
        return fail(`frames/request: at must be 0 to ${MAX_FRAME_AT_SEC} seconds`);
      return { ok: true, message: { type: t, file: raw['file'], at } };
    }
    case 'file/open':
    case 'file/reveal':
    case 'file/copyPath':
    case 'file/findSimilar': {
      if (!isIndex(raw['file'])) return fail(`${t}: file must be a non-negative integer`);
      return { ok: true, message: { type: t, file: raw['file'] } };
    }
    case 'metrics/report': {
      const ms = raw['ms'];
      if (!isOneOf(raw['name'], ['firstPair', 'keyToNext'] as const)) return fail('metrics/report: unknown metric');
      if (typeof ms !== 'number' || !Number.isFinite(ms) || ms < 0 || ms > 3_600_000) return fail('metrics/report: ms out of range');
      return { ok: true, message: { type: t, name: raw['name'], ms } };
    }
  }
}

function fail(error: string): ParseResult {
  return { ok: false, error };
}

/** Host messages are produced by our own code; this guard lets the webview ignore anything else posted to the window. */
export function isHostMessage(raw: unknown): raw is HostMessage {
  if (!isObj(raw) || typeof raw['type'] !== 'string') return false;
  return ['gallery/init', 'decisions/state', 'thumbs/ready', 'files/versions', 'gallery/focus', 'gallery/error', 'scan/status', 'frames/ready'].includes(
    raw['type'],
  );
}

/**
 * The webview URI of a file: the folder's webview URI and the file's relative path, each segment encoded,
 * then `?version=` when known (the resource loader ignores the query; the page's cache does not).
 */
export function fileUri(baseUri: string, relPath: string, version?: string): string {
  const base = baseUri.endsWith('/') ? baseUri.slice(0, -1) : baseUri;
  const uri = `${base}/${relPath.split('/').map(encodeURIComponent).join('/')}`;
  return version === undefined ? uri : `${uri}?version=${encodeURIComponent(version)}`;
}
