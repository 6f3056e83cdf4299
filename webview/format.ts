// Display formatting shared by the list, the compare view and the clusters view. Pure: unit-tested on Node.

export function formatBytes(n: number): string {
  if (!Number.isFinite(n) || n < 0) return '?';
  if (n < 1024) return `${n} B`;
  const units = ['KB', 'MB', 'GB', 'TB'];
  let v = n / 1024;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v < 10 ? v.toFixed(1) : Math.round(v)} ${units[i]}`;
}

export function formatDistance(d: number): string {
  if (!Number.isFinite(d)) return '?';
  return d < 1 ? d.toFixed(3) : d.toFixed(2);
}

export function formatResolution(w: number, h: number): string {
  return w > 0 && h > 0 ? `${w}×${h}` : 'unknown size';
}

/** The folder part of a POSIX relative path; '.' for files at the root. */
export function folderOf(path: string): string {
  const i = path.lastIndexOf('/');
  return i <= 0 ? '.' : path.slice(0, i);
}

export function baseName(path: string): string {
  const i = path.lastIndexOf('/');
  return i < 0 ? path : path.slice(i + 1);
}

/** Seconds as m:ss.s (or h:mm:ss.s), for video timestamps. */
export function formatTime(sec: number): string {
  if (!Number.isFinite(sec)) return '?';
  const sign = sec < 0 ? '-' : '';
  const t = Math.round(Math.abs(sec) * 10) / 10;
  const h = Math.floor(t / 3600);
  const m = Math.floor((t % 3600) / 60);
  const s = (t % 60).toFixed(1).padStart(4, '0');
  return h > 0 ? `${sign}${h}:${String(m).padStart(2, '0')}:${s}` : `${sign}${m}:${s}`;
}

/** An animated GIF counts as a video for matching, but a <video> element cannot play it: it is shown as an image. */
export function playsAsImage(path: string): boolean {
  return path.toLowerCase().endsWith('.gif');
}

/**
 * A path shortened in the middle to at most `max` characters: the first folder (train/, val/) and the
 * file name stay readable, the folders between give way ("train/…/cats/001.jpg"). A first folder too long
 * for the room gives way too: the end of the path tells files apart ("…01__exact_copy.jpg"), a few letters
 * of a folder ("synth…") do not.
 */
export function middleEllipsis(path: string, max = 64): string {
  if (path.length <= max) return path;
  const slash = path.indexOf('/');
  const head = slash > 0 && slash < max / 2 ? path.slice(0, slash + 1) : '';
  const room = max - head.length - 1;
  return `${head}…${path.slice(path.length - room)}`;
}

/**
 * The two names of a pair, each shortened to at most `max` characters, so that they stay told apart: where
 * middleEllipsis would cut both to the same text (a narrow row shows "…ct_copy.jpg" twice), each keeps the
 * part where they differ instead, from the last separator before it ("…08216_o000…" beside
 * "…08217_o000…"), with the end of the name when it fits. `apart`: this happened.
 */
export function pairNames(a: string, b: string, max: number): { left: string; right: string; apart: boolean } {
  const [left, right] = distinctNames([a, b], max) as [string, string];
  return { left, right, apart: left !== middleEllipsis(a, max) };
}

/**
 * Names for files shown side by side (a pair's two, a cluster's cards), each shortened to at most `max`
 * characters as middleEllipsis does, except where it cuts different paths to the same text: each of those
 * keeps the part where it parts from the closest of them (see pairNames).
 */
export function distinctNames(paths: readonly string[], max: number): string[] {
  const names = paths.map((p) => middleEllipsis(p, max));
  const alike = new Map<string, string[]>();
  names.forEach((n, i) => alike.set(n, [...(alike.get(n) ?? []), paths[i]!]));
  const at = new Map<string, number>();
  for (const group of alike.values()) {
    // In path order, the path sharing the longest start with a path is next to it.
    const sorted = [...new Set(group)].sort();
    for (let i = 0; i < sorted.length && sorted.length > 1; i++) {
      const p = sorted[i]!;
      at.set(p, Math.max(...[sorted[i - 1], sorted[i + 1]].map((q) => (q === undefined ? 0 : commonStart(p, q)))));
    }
  }
  return names.map((n, i) => {
    const k = at.get(paths[i]!);
    return k === undefined ? n : aroundDifference(paths[i]!, k, max);
  });
}

function commonStart(a: string, b: string): number {
  let k = 0;
  while (k < a.length && k < b.length && a[k] === b[k]) k++;
  return k;
}

/**
 * A compare pane's caption for `path` beside `other`, the pair's other file. The pane's box cuts a caption
 * at its start, so the end of the path shows ("…1_o000002__exact_copy.jpg"): where the two paths share a
 * longer end than that, both panes showed the same words. Such a caption starts instead at the folder
 * where the two differ ("…/08216_o000002__exact_copy.jpg", `cutEnd`: the box cuts its end); when the
 * names also share a long start, that start would fill the box before the difference, so the caption
 * starts at most CAPTION_LEAD characters before it, after a separator where there is one
 * ("…0001_holiday…" for "summer_trip_to_the_lake_0001_holiday…").
 */
export function paneCaption(path: string, other: string): { text: string; cutEnd: boolean } {
  let p = 0;
  while (p < path.length && p < other.length && path[p] === other[p]) p++;
  let s = 0;
  while (s < path.length - p && s < other.length - p && path[path.length - 1 - s] === other[other.length - 1 - s]) s++;
  // A shared end this short shows the difference in any pane the layout allows.
  if (p === path.length || s < 12) return { text: path, cutEnd: false };
  const slash = path.lastIndexOf('/', p - 1);
  if (p - (slash + 1) <= CAPTION_LEAD) return { text: slash > 0 ? `…${path.slice(slash)}` : path, cutEnd: true };
  const sep = Math.max(...['/', '_', '-', '.', ' '].map((c) => path.lastIndexOf(c, p - 1)));
  const start = sep >= p - CAPTION_LEAD ? sep + 1 : p - 4;
  return { text: `…${path.slice(start)}`, cutEnd: true };
}

/** At most this many characters of a shared start stay before the difference in a pane's caption (the narrowest pane holds about 30). */
const CAPTION_LEAD = 12;

/** `path` shortened to `max` characters around index `at`, where it differs from the other name of its pair. */
function aroundDifference(path: string, at: number, max: number): string {
  if (path.length <= max) return path;
  // The end of the name when the difference is within reach of it: "…x1/0001.jpg".
  if (path.length - at + 1 <= max) return `…${path.slice(path.length - (max - 1))}`;
  // Else from just after a separator a few characters before the difference (a whole word reads better),
  // cut at both ends; never so far back that the difference falls outside the room. Two ellipses are
  // wider than the characters the row's room was counted in (so are the digits these names differ by):
  // the window leaves two characters more to spare, or the column cut the name a second time.
  const sep = Math.max(...['/', '_', '-', '.', ' '].map((c) => path.lastIndexOf(c, at - 1)));
  const room = max - 4;
  const start = Math.max(0, sep >= 0 && at - sep <= Math.min(10, room - 1) ? sep + 1 : at - Math.min(4, Math.floor(room / 2)));
  const lead = start > 0 ? '…' : '';
  return `${lead}${path.slice(start, start + room + 1 - lead.length)}…`;
}
