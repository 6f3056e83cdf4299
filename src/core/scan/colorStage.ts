/**
 * The scan's colour check (colorcheck/verifyPairs.ts decides each pair; this only arranges the work),
 * made cheaper without changing a single decision:
 *
 * - Each distinct question is asked once. A decision depends only on the two signatures and the
 *   transform, and identical pictures (exact copies, a lossless PNG of a JPEG's pixels) have identical
 *   signature strings, so the pairs are mapped to (signature, signature, transform) triples first: in a
 *   cluster of a picture, its copy and its PNG, three pairs out of every variant's ask the same question.
 * - Past PARALLEL_MIN_QUESTIONS the questions are shared out between this thread and worker threads
 *   (colorWorker.ts): after hashing, the colour check is the scan's largest piece of JavaScript (about
 *   0.1-0.4 ms per question on this machine kind), and the other cores are idle by then. Each thread takes one contiguous slice and runs
 *   verifyPairs on it, so every decision is verifyPairs' own; the slices are joined in order.
 *
 * From sources (tsx, tests) there is no worker bundle and everything runs in this thread: same decisions.
 */
import { availableParallelism } from 'node:os';
import { COLOR_SIGNATURE_BYTES, decodeColorSignature } from '../hashers/colorSignature.js';
import { verifyPairs, type VerifyResult } from '../colorcheck/verifyPairs.js';
import { runWorker, workerEntry } from '../pairs/workers.js';
import type { Pair } from '../types.js';

/**
 * Below this many distinct questions no worker is started, so in practice a scan answers them on this
 * thread. A worker is an isolate of its own whose heap grows with the work: ~11 MB more peak RSS on
 * bench/images (2,133 questions: 147 MB against 136 MB, the same wall time on 2 busy cores) and ~38 MB on
 * the 13,200-file speed set (51,457 pairs: 370 MB against 332 MB on one thread, and 356 MB before the
 * colour check was split into questions). A second thread would save a few seconds of a minutes-long
 * first scan there; the peak memory was the firmer requirement.
 */
export const PARALLEL_MIN_QUESTIONS = 100_000;

/** One slice of questions as a worker receives it: signatures by id, and per question the two ids and the transform's index in `transforms`. */
export interface ColorJob {
  /** Signature k is bytes [k * COLOR_SIGNATURE_BYTES, (k + 1) * COLOR_SIGNATURE_BYTES). */
  readonly signatures: Uint8Array;
  readonly a: Int32Array;
  readonly b: Int32Array;
  /** Index into `transforms`, or -1 for none. */
  readonly t: Int8Array;
  readonly transforms: readonly string[];
}

/** verifyPairs over a job's questions: 1 where the pair is kept (colours agree), 0 where it is dropped. */
export function answerColorJob(job: ColorJob): Uint8Array {
  const sig = (id: string): Uint8Array => {
    const k = Number(id);
    return job.signatures.subarray(k * COLOR_SIGNATURE_BYTES, (k + 1) * COLOR_SIGNATURE_BYTES);
  };
  const out = new Uint8Array(job.a.length);
  for (let q = 0; q < job.a.length; q++) {
    const t = job.t[q];
    const question: Pair = { a: String(job.a[q]), b: String(job.b[q]), distance: 0, hasher: '', ...(t >= 0 ? { transform: job.transforms[t] } : {}) };
    // One question per call: the answer is verifyPairs' own, whatever it does with the pair objects.
    out[q] = verifyPairs([question], sig).kept.length;
  }
  return out;
}

export interface ColorStageOptions {
  /** Threads in all, this one included (default: every core). */
  readonly threads?: number;
  /** Where colorWorker.js is (tests); default beside this bundle. */
  readonly workerDir?: string;
  /** Distinct questions below which no worker is started (default PARALLEL_MIN_QUESTIONS). */
  readonly parallelMin?: number;
}

/**
 * verifyPairs(pairs, ...) with the same result, where `colorOf` gives a file's signature as the cache
 * stores it (base64; undefined or malformed: the pair is kept unchecked, as verifyPairs does).
 */
export async function checkPairColors(
  pairs: readonly Pair[],
  colorOf: (path: string) => string | undefined,
  opts: ColorStageOptions = {},
): Promise<VerifyResult> {
  // Signatures interned by their string: identical pictures share a slot.
  const slots = new Map<string, number>();
  const strings: string[] = [];
  const slotOfPath = new Map<string, number>();
  const slotOf = (path: string): number => {
    let k = slotOfPath.get(path);
    if (k === undefined) {
      const s = colorOf(path);
      k = s === undefined ? -1 : slots.get(s);
      if (k === undefined) {
        k = strings.push(s!) - 1;
        slots.set(s!, k);
      }
      slotOfPath.set(path, k);
    }
    return k;
  };
  const pa = Int32Array.from(pairs, (p) => slotOf(p.a));
  const pb = Int32Array.from(pairs, (p) => slotOf(p.b));
  // Decoded once each, straight into the shared memory the workers read without a copy: no second copy
  // of every signature (13,200 files: ~10 MB) next to it. A malformed string leaves its slot unused.
  const signatures = new Uint8Array(new SharedArrayBuffer(Math.max(1, strings.length * COLOR_SIGNATURE_BYTES)));
  const valid = new Uint8Array(strings.length);
  strings.forEach((s, k) => {
    const sig = decodeColorSignature(s);
    if (sig) {
      signatures.set(sig, k * COLOR_SIGNATURE_BYTES);
      valid[k] = 1;
    }
  });
  const transforms: string[] = [];
  const questionOf = new Map<string, number>();
  const qa: number[] = [];
  const qb: number[] = [];
  const qt: number[] = [];
  const asked = new Int32Array(pairs.length);
  let unchecked = 0;
  pairs.forEach((p, k) => {
    const a = pa[k];
    const b = pb[k];
    if (a < 0 || b < 0 || !valid[a] || !valid[b]) {
      asked[k] = -1;
      unchecked++;
      return;
    }
    let t = -1;
    if (p.transform !== undefined) {
      t = transforms.indexOf(p.transform);
      if (t < 0) t = transforms.push(p.transform) - 1;
    }
    const key = `${a},${b},${t}`;
    let q = questionOf.get(key);
    if (q === undefined) {
      q = qa.push(a) - 1;
      qb.push(b);
      qt.push(t);
      questionOf.set(key, q);
    }
    asked[k] = q;
  });
  const answers = await answerAll({ signatures, a: Int32Array.from(qa), b: Int32Array.from(qb), t: Int8Array.from(qt), transforms }, opts);
  const kept: Pair[] = [];
  let rejected = 0;
  pairs.forEach((p, k) => {
    if (asked[k] < 0 || answers[asked[k]] === 1) kept.push(p);
    else rejected++;
  });
  return { kept, rejected, unchecked };
}

/** Answers every question of `job`, slices in worker threads when there are enough of them. */
async function answerAll(job: ColorJob, opts: ColorStageOptions): Promise<Uint8Array> {
  const n = job.a.length;
  const threads = Math.max(1, Math.floor(opts.threads ?? availableParallelism()));
  const script = threads > 1 && n >= (opts.parallelMin ?? PARALLEL_MIN_QUESTIONS) ? workerEntry('colorWorker.js', opts.workerDir) : undefined;
  if (!script) return answerColorJob(job);
  const slice = (t: number): ColorJob => {
    const from = Math.floor((t * n) / threads);
    const to = Math.floor(((t + 1) * n) / threads);
    // slice, not subarray: a view would send its whole buffer to the worker.
    return { ...job, a: job.a.slice(from, to), b: job.b.slice(from, to), t: job.t.slice(from, to) };
  };
  // Workers take slices 1.., this thread slice 0 meanwhile (its JIT is already warm).
  const others = Array.from({ length: threads - 1 }, (_, t) => runWorker<Uint8Array>(script, slice(t + 1)));
  const mine = answerColorJob(slice(0));
  const out = new Uint8Array(n);
  out.set(mine, 0);
  let at = mine.length;
  for (const r of await Promise.all(others)) {
    out.set(r, at);
    at += r.length;
  }
  return out;
}
