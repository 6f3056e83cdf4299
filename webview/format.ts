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
 * Names for files shown together (a pair's two, a cluster's cards, every file of the pair list), each
 * shortened to at most `max` characters as middleEllipsis does, except where it cuts different paths to the
 * same text: each of those keeps the part where it parts from the closest of them, from the last separator
 * before it ("…08216_o000…" beside "…08217_o000…"), with the end of the name when it fits. Where
 * that still leaves different paths alike (in a list, two files sharing a long start each told from its own
 * pair partner at the same place: "…08216_o000…" for o000002 and for o000003), each keeps the part where it
 * parts from those too, so no two different paths read the same (as far as the room holds both parts).
 */
export function distinctNames(paths: readonly string[], max: number, pairs: readonly (readonly [number, number])[] = []): string[] {
  const unique = [...new Set(paths)];
  const names = unique.map((p) => middleEllipsis(p, max));
  const at = unique.length === paths.length ? undefined : new Map(unique.map((p, i) => [p, i]));
  // Per path cut apart: the indexes where its name must show how it differs. First where it differs from
  // the files it is paired with (`pairs`, indexes into paths) whose names would read the same: each row
  // of a list tells its two apart, as a pair shown alone does.
  const need: (number[] | undefined)[] = [];
  const widen = (i: number, k: number): boolean => {
    const ks = need[i] ?? [];
    if (ks.includes(k)) return false;
    need[i] = [...ks, k].sort((x, y) => x - y);
    return true;
  };
  for (const [x, y] of pairs) {
    const [a, b] = at ? [at.get(paths[x]!)!, at.get(paths[y]!)!] : [x, y];
    if (a === b || names[a] !== names[b]) continue;
    const k = commonStart(unique[a]!, unique[b]!);
    widen(a, k);
    widen(b, k);
  }
  need.forEach((ks, i) => {
    if (ks) names[i] = aroundDifferences(unique[i]!, ks, max);
  });
  // The paths (by index in unique) each name stands for: one index, or a list of them where names meet
  // (entries left behind by a path whose name changed are skipped when read: members).
  const alike = new Map<string, number | number[]>();
  const place = (i: number): void => {
    const n = names[i]!;
    const g = alike.get(n);
    if (g === undefined) alike.set(n, i);
    else if (typeof g === 'number') alike.set(n, [g, i]);
    else g.push(i);
  };
  const members = (n: string): number[] => {
    const g = alike.get(n);
    return g === undefined ? [] : typeof g === 'number' ? [g] : [...new Set(g.filter((i) => names[i] === n))];
  };
  unique.forEach((_, i) => place(i));
  // Then where it differs from the other paths its name would stand for too.
  let touched = [...alike].filter(([, g]) => typeof g !== 'number').map(([n]) => n);
  for (let round = 0; round < 8 && touched.length > 0; round++) {
    const moved: number[] = [];
    for (const name of touched) {
      const group = members(name);
      if (group.length < 2) continue;
      // In path order, the path sharing the longest start with a path is next to it.
      group.sort((x, y) => (unique[x]! < unique[y]! ? -1 : 1));
      group.forEach((i, j) => {
        const p = unique[i]!;
        const k = Math.max(j > 0 ? commonStart(p, unique[group[j - 1]!]!) : 0, j + 1 < group.length ? commonStart(p, unique[group[j + 1]!]!) : 0);
        if (widen(i, k)) moved.push(i);
      });
    }
    // A path whose name changed leaves its group (whose other paths may now part elsewhere) for another.
    const next = new Set<string>();
    for (const i of moved) {
      const name = aroundDifferences(unique[i]!, need[i]!, max);
      next.add(names[i]!).add(name);
      if (name === names[i]) continue;
      names[i] = name;
      place(i);
    }
    touched = [...next];
  }
  if (unique.length === paths.length) return names;
  const byPath = new Map(unique.map((p, i) => [p, names[i]!]));
  return paths.map((p) => byPath.get(p)!);
}

/** The index of the last separator (/ _ - . or a space) before index `at` of `path`, -1 if none. */
function separatorBefore(path: string, at: number): number {
  let i = at - 1;
  while (i >= 0 && !SEPARATORS.includes(path[i]!)) i--;
  return i;
}

const SEPARATORS = '/_-. ';

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
  const sep = separatorBefore(path, p);
  const start = sep >= p - CAPTION_LEAD ? sep + 1 : p - 4;
  return { text: `…${path.slice(start)}`, cutEnd: true };
}

/** At most this many characters of a shared start stay before the difference in a pane's caption (the narrowest pane holds about 30). */
const CAPTION_LEAD = 12;

/**
 * `path` shortened to `max` characters around the indexes `ks` (ascending) where it differs from names it is
 * shown with: one window when the room holds them all, else a piece around each ("…08216…v1_ta…").
 */
function aroundDifferences(path: string, ks: readonly number[], max: number): string {
  const one = aroundDifference(path, ks[0]!, max, ks[ks.length - 1]!);
  // A piece per index, from just after a separator before it, the room shared; two characters to spare, as
  // in aroundDifference.
  const each = Math.floor((max - 2 - (ks.length + 1)) / ks.length);
  if (one.all || each < 3) return one.text;
  const pieces: [number, number][] = [];
  for (const k of ks) {
    const sep = separatorBefore(path, k);
    const prev = pieces[pieces.length - 1];
    const start = Math.max(sep >= 0 && k - sep < each ? sep + 1 : k - Math.floor(each / 2), prev?.[1] ?? 0);
    const end = Math.min(path.length, start + each);
    if (prev && prev[1] === start) prev[1] = end;
    else pieces.push([start, end]);
  }
  const body = pieces.map(([from, to]) => path.slice(from, to)).join('…');
  return `${pieces[0]![0] > 0 ? '…' : ''}${body}${pieces[pieces.length - 1]![1] < path.length ? '…' : ''}`;
}

/**
 * `path` shortened to `max` characters around index `at`, where it differs from a name it is shown with, and
 * up to index `last` (where it differs from another) when the room holds both (`all`).
 */
function aroundDifference(path: string, at: number, max: number, last = at): { text: string; all: boolean } {
  if (path.length <= max) return { text: path, all: true };
  // The end of the name when the difference is within reach of it: "…x1/0001.jpg".
  if (path.length - at + 1 <= max) return { text: `…${path.slice(path.length - (max - 1))}`, all: true };
  // Else from just after a separator a few characters before the difference (a whole word reads better),
  // cut at both ends; never so far back that the difference falls outside the room. Two ellipses are
  // wider than the characters the row's room was counted in (so are the digits these names differ by):
  // the window leaves two characters more to spare, or the column cut the name a second time.
  const sep = separatorBefore(path, at);
  const room = max - 4;
  let start = Math.max(0, sep >= 0 && at - sep <= Math.min(10, room - 1) ? sep + 1 : at - Math.min(4, Math.floor(room / 2)));
  // Moved on to hold `last` too, never past `at`.
  if (last > start + room - (start > 0 ? 1 : 0)) start = Math.min(at, last - room + 1);
  const lead = start > 0 ? '…' : '';
  const end = start + room + 1 - lead.length;
  return { text: `${lead}${path.slice(start, end)}…`, all: last < end };
}
