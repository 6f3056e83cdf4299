/**
 * Video-to-video matching.
 *
 * perception's rule is "enough frames have a match somewhere in the other video". That finds re-encodes,
 * trims and clips, but it also pairs two different recordings of one static scene (the two halves of a
 * lecture, a fixed camera): every frame of one looks like every frame of the other. So the frames must
 * also agree on one time offset, and at that offset show the *same moments*:
 *
 *  1. Offsets are voted by the frame pairs below the threshold; at each candidate offset every frame of
 *     the shorter video is compared with the frames of the longer one around the same instant
 *     (each kept frame stands for the time until the next one, so dropped repeats do not leave gaps).
 *  2. The best offset covering at least minOverlap of the shorter video wins (lowest median distance);
 *     its share of matching frames must reach minShare (perception's "share of the shorter video").
 *  3. Same moments, not just the same scene: the aligned frames are near-identical (strictThreshold), or
 *     clearly closer than the best frames at least farSec away in time (contrast, wins). A clip too short
 *     or too static to have "other moments" is decided by the share alone.
 */
import { invalidOption } from '../errors.js';
import { resolveVideoMatchOptions, type ResolvedVideoMatchOptions } from './options.js';
import { decimate, frameDistance, prepareVideo, type HashColumn, type HashKind, type PreparedVideo } from './prepared.js';
import type { MatchedFrame, MatchReason, VideoHashResult, VideoMatch, VideoMatchOptions } from './types.js';

/** Frames at least this far apart (seconds, and at least one sampling interval) count as other moments. */
const FAR_SEC = 0.5;
/** Candidate offsets examined per pair, by votes: bounds the cost on long videos. */
const MAX_OFFSETS = 48;
/** Largest frames x frames table (16M cells, 80 MB with its kind index): two ~67-minute videos at 1 fps with every frame kept. */
const MAX_CELLS = 16_000_000;

interface Comparison {
  readonly s: PreparedVideo; // the shorter video
  readonly l: PreparedVideo;
  readonly d: Float32Array; // s.n x l.n distances (min over the compared hash kinds)
  readonly via: Uint8Array; // which kind pair gave it
}

const KIND_PAIRS: ReadonlyArray<readonly [HashKind, HashKind, string]> = [
  ['full', 'full', 'full/full'],
  ['crop', 'full', 'crop/full'],
  ['full', 'crop', 'full/crop'],
  ['flip', 'full', 'flip/full'],
  ['flipCrop', 'full', 'flipCrop/full'],
  ['flip', 'crop', 'flip/crop'],
];

function compare(s: PreparedVideo, l: PreparedVideo, o: ResolvedVideoMatchOptions): Comparison {
  const d = new Float32Array(s.n * l.n).fill(Infinity);
  const via = new Uint8Array(s.n * l.n);
  KIND_PAIRS.forEach(([ka, kb, name], k) => {
    if (!o.crop && name.includes('rop')) return;
    if (!o.isometric && name.startsWith('flip')) return;
    const ca: HashColumn | undefined = s.columns[ka];
    const cb: HashColumn | undefined = l.columns[kb];
    if (!ca || !cb) return;
    if (ca.words && cb.words) bitDistances(s, l, ca, cb, d, via, k);
    else {
      for (let i = 0; i < s.n; i++) {
        for (let j = 0; j < l.n; j++) {
          const x = frameDistance(s, ca, i, cb, j);
          const at = i * l.n + j;
          if (x < d[at]) {
            d[at] = x;
            via[at] = k;
          }
        }
      }
    }
  });
  return { s, l, d, via };
}

/** The hot loop: popcount of XOR over packed words, inlined (this is where matching spends its time). */
function bitDistances(s: PreparedVideo, l: PreparedVideo, ca: HashColumn, cb: HashColumn, d: Float32Array, via: Uint8Array, k: number): void {
  const w = s.wordsPerHash;
  const A = ca.words!;
  const B = cb.words!;
  const inv = 1 / s.hashLength;
  for (let i = 0; i < s.n; i++) {
    if (!ca.has[i]) continue;
    const ai = i * w;
    for (let j = 0; j < l.n; j++) {
      if (!cb.has[j]) continue;
      const bj = j * w;
      let bits = 0;
      for (let q = 0; q < w; q++) {
        let x = A[ai + q] ^ B[bj + q];
        x -= (x >>> 1) & 0x55555555;
        x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
        bits += (((x + (x >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
      }
      const dist = bits * inv;
      const at = i * l.n + j;
      if (dist < d[at]) {
        d[at] = dist;
        via[at] = k;
      }
    }
  }
}

/** First index in sorted `a` with a[k] >= x (a.length when none). */
function lowerBound(a: Float64Array, x: number): number {
  let lo = 0;
  let hi = a.length;
  while (lo < hi) {
    const m = (lo + hi) >> 1;
    if (a[m] < x) lo = m + 1;
    else hi = m;
  }
  return lo;
}

function median(v: number[]): number {
  if (v.length === 0) return Infinity;
  const s = [...v].sort((x, y) => x - y);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

interface Alignment {
  readonly offset: number;
  readonly aligned: Float64Array; // per frame of s: best distance around t + offset (Infinity: no frame there)
  readonly alignedJ: Int32Array;
  readonly overlap: number;
  readonly share: number;
  readonly median: number;
}

function align(c: Comparison, offset: number, tol: number, thr: number): Alignment {
  const { s, l, d } = c;
  const aligned = new Float64Array(s.n).fill(Infinity);
  const alignedJ = new Int32Array(s.n).fill(-1);
  const vals: number[] = [];
  let matched = 0;
  for (let i = 0; i < s.n; i++) {
    const tau = s.t[i] + offset;
    // Frames of l whose segment [t_j, segEnd_j) comes within tol of tau. segEnd is sorted like t.
    const j0 = lowerBound(l.segEnd, tau - tol);
    const j1 = lowerBound(l.t, tau + tol + 1e-9);
    let best = Infinity;
    let bj = -1;
    for (let j = j0; j < j1; j++) {
      const x = d[i * l.n + j];
      if (x < best) {
        best = x;
        bj = j;
      }
    }
    if (bj < 0) continue;
    aligned[i] = best;
    alignedJ[i] = bj;
    vals.push(best);
    if (best < thr) matched++;
  }
  return { offset, aligned, alignedJ, overlap: vals.length / s.n, share: matched / s.n, median: median(vals) };
}

/** Candidate offsets (l time - s time), quantised to half the tolerance, most voted first. */
function candidateOffsets(c: Comparison, tol: number, thr: number): number[] {
  const { s, l, d } = c;
  const step = tol / 2;
  const votes = new Map<number, number>();
  for (let i = 0; i < s.n; i++) {
    for (let j = 0; j < l.n; j++) {
      if (!(d[i * l.n + j] < thr)) continue;
      const bin = Math.round((l.t[j] - s.t[i]) / step);
      votes.set(bin, (votes.get(bin) ?? 0) + 1);
    }
  }
  return [...votes.entries()]
    .sort((x, y) => y[1] - x[1] || x[0] - y[0])
    .slice(0, MAX_OFFSETS)
    .map(([bin]) => bin * step);
}

/** How much better the aligned frames are than the best frames at other moments. */
function sameMomentEvidence(c: Comparison, al: Alignment, farSec: number, eps: number): { contrast: number; wins: number; compared: number } {
  const { s, l, d } = c;
  const near: number[] = [];
  const far: number[] = [];
  let wins = 0;
  for (let i = 0; i < s.n; i++) {
    if (!Number.isFinite(al.aligned[i])) continue;
    const tau = s.t[i] + al.offset;
    let f = Infinity;
    for (let j = 0; j < l.n; j++) {
      if (l.segEnd[j] <= tau - farSec || l.t[j] >= tau + farSec) {
        const x = d[i * l.n + j];
        if (x < f) f = x;
      }
    }
    if (!Number.isFinite(f)) continue;
    near.push(al.aligned[i]);
    far.push(f);
    if (al.aligned[i] < f) wins += 1;
    else if (al.aligned[i] === f) wins += 0.5;
  }
  if (near.length === 0) return { contrast: Infinity, wins: 1, compared: 0 };
  return { contrast: (median(far) + eps) / (median(near) + eps), wins: wins / near.length, compared: near.length };
}

function checkCompatible(a: VideoHashResult, b: VideoHashResult): void {
  if (a.hasher.key !== b.hasher.key) {
    throw invalidOption('video hashes', `two videos hashed with the same frame hasher (${a.hasher.key})`, `${b.hasher.key} for ${b.path}`);
  }
}

/**
 * Are a and b the same footage? Returns the match (with the aligned frames and the evidence) or null.
 * Symmetric: matchVideos(a, b) and matchVideos(b, a) agree (the shorter video is always the reference).
 */
export function matchVideos(a: VideoHashResult, b: VideoHashResult, opts: VideoMatchOptions = {}): VideoMatch | null {
  checkCompatible(a, b);
  const o = resolveVideoMatchOptions(opts, a.hasher.defaultThreshold);
  return matchPrepared(prepareVideo(a), prepareVideo(b), o);
}

export function matchPrepared(pa: PreparedVideo, pb: PreparedVideo, o: ResolvedVideoMatchOptions): VideoMatch | null {
  if (pa.n === 0 || pb.n === 0) return null;
  const aIsShort = pa.durationSec < pb.durationSec || (pa.durationSec === pb.durationSec && (pa.n < pb.n || (pa.n === pb.n && pa.path <= pb.path)));
  let s = aIsShort ? pa : pb;
  let l = aIsShort ? pb : pa;
  if (s.n * l.n > MAX_CELLS) {
    // Thin the longer one first: it usually has far more frames than needed to place the shorter one.
    l = decimate(l, Math.ceil((s.n * l.n) / MAX_CELLS));
    if (s.n * l.n > MAX_CELLS) s = decimate(s, Math.ceil((s.n * l.n) / MAX_CELLS));
  }
  const c = compare(s, l, o);
  const thr = o.frameThreshold;
  if (!o.temporalCheck) return perceptionRule(c, o, aIsShort);

  const tol = 0.5 * Math.max(s.interval, l.interval) + 0.01;
  const farSec = Math.max(FAR_SEC, s.interval, l.interval);
  let best: Alignment | undefined;
  let partial: Alignment | undefined;
  for (const off of candidateOffsets(c, tol, thr)) {
    const al = align(c, off, tol, thr);
    if (al.share < o.minShare) continue;
    if (al.overlap < o.minOverlap) {
      if (!partial || al.median < partial.median) partial = al;
    } else if (!best || al.median < best.median) {
      best = al;
    }
  }
  if (best) {
    const ev = sameMomentEvidence(c, best, farSec, 0.02 * thr);
    const reason: MatchReason | undefined =
      best.median < o.strictThreshold
        ? 'near-identical'
        : ev.compared === 0
          ? 'no-other-moments'
          : ev.contrast >= o.minContrast
            ? 'contrast'
            : ev.wins >= o.minWins
              ? 'wins'
              : undefined;
    if (reason) return result(c, best, reason, { overlap: best.overlap, ...ev }, thr, aIsShort);
  }
  if (partial && partial.median < o.partialThreshold) {
    return result(c, partial, 'partial-overlap', { overlap: partial.overlap, contrast: NaN, wins: NaN, compared: 0 }, thr, aIsShort);
  }
  return null;
}

/** perception: share of the shorter video's frames with a match anywhere in the other one. */
function perceptionRule(c: Comparison, o: ResolvedVideoMatchOptions, aIsShort: boolean): VideoMatch | null {
  const { s, l, d } = c;
  const aligned = new Float64Array(s.n).fill(Infinity);
  const alignedJ = new Int32Array(s.n).fill(-1);
  const offsets: number[] = [];
  const vals: number[] = [];
  let matched = 0;
  for (let i = 0; i < s.n; i++) {
    for (let j = 0; j < l.n; j++) {
      if (d[i * l.n + j] < aligned[i]) {
        aligned[i] = d[i * l.n + j];
        alignedJ[i] = j;
      }
    }
    if (aligned[i] < o.frameThreshold) {
      matched++;
      vals.push(aligned[i]);
      offsets.push(l.t[alignedJ[i]] - s.t[i]);
    }
  }
  const share = matched / s.n;
  if (share < o.minShare || matched === 0) return null;
  const al: Alignment = { offset: median(offsets), aligned, alignedJ, overlap: 1, share, median: median(vals) };
  return result(c, al, 'share', { overlap: 1, contrast: NaN, wins: NaN, compared: 0 }, o.frameThreshold, aIsShort);
}

function result(c: Comparison, al: Alignment, reason: MatchReason, evidence: VideoMatch['evidence'], thr: number, aIsShort: boolean): VideoMatch {
  const { s, l, via } = c;
  const frames: MatchedFrame[] = [];
  const offsets: number[] = [];
  let flips = 0;
  for (let i = 0; i < s.n; i++) {
    const j = al.alignedJ[i];
    if (j < 0 || !(al.aligned[i] < thr)) continue;
    offsets.push(l.t[j] - s.t[i]);
    const k = via[i * l.n + j];
    if (KIND_PAIRS[k][0].startsWith('flip')) flips++;
    const fs = { index: s.frameIndex[i], timestampSec: s.t[i] };
    const fl = { index: l.frameIndex[j], timestampSec: l.t[j] };
    frames.push({ a: aIsShort ? fs : fl, b: aIsShort ? fl : fs, distance: al.aligned[i], via: KIND_PAIRS[k][2] });
  }
  frames.sort((x, y) => x.a.timestampSec - y.a.timestampSec);
  // The voting grid is coarse (half the tolerance); the matched frames themselves say where the cut is.
  const offset = offsets.length ? median(offsets) : al.offset;
  return {
    a: aIsShort ? s.path : l.path,
    b: aIsShort ? l.path : s.path,
    share: al.share,
    distance: al.median,
    offsetSec: aIsShort ? offset : -offset,
    flipped: flips * 2 > frames.length,
    reason,
    evidence,
    frames,
  };
}
