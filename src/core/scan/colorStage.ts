/**
 * The scan's colour check (colorcheck/verifyPairs.ts decides each pair; this only arranges the work),
 * made cheaper without changing a single decision:
 *
 * - Each distinct question is asked once. A decision depends only on the two signatures and the
 *   transform, and identical pictures (exact copies, a lossless PNG of a JPEG's pixels) have identical
 *   signature strings, so the pairs are mapped to (signature, signature, transform) triples first: in a
 *   cluster of a picture, its copy and its PNG, three pairs out of every variant's ask the same question.
 * - The questions are shared out between this thread and worker threads (colorWorker.ts): after hashing,
 *   the colour check is the scan's largest piece of JavaScript (about 0.2-0.4 ms per pair on this machine
 *   kind), and the other cores are idle by then. Each thread takes one contiguous slice and runs
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
 * Below this many distinct questions (about a second of one thread's work, at 0.1-0.25 ms a question) no
 * worker is started. A worker is an isolate of its own: ~40 ms of CPU to start and ~11 MB more peak RSS,
 * measured on bench/images (2,133 questions: 147 MB with one worker, 136 MB without, the same wall time on
 * 2 busy cores). Past this size halving a second or more is worth it, and a scan that large has its peak
 * while hashing, not here.
 */
export const PARALLEL_MIN_QUESTIONS = 8000;

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
  // Signatures interned by their string: identical pictures share an id.
  const ids = new Map<string, number>();
  const decoded: Uint8Array[] = [];
  const idOfPath = new Map<string, number>();
  const idOf = (path: string): number => {
    let id = idOfPath.get(path);
    if (id === undefined) {
      const s = colorOf(path);
      const known = s === undefined ? undefined : ids.get(s);
      if (known !== undefined) id = known;
      else {
        const sig = decodeColorSignature(s);
        id = sig ? decoded.push(sig) - 1 : -1;
        if (sig) ids.set(s!, id);
      }
      idOfPath.set(path, id);
    }
    return id;
  };
  const transforms: string[] = [];
  const questionOf = new Map<string, number>();
  const qa: number[] = [];
  const qb: number[] = [];
  const qt: number[] = [];
  const asked = new Int32Array(pairs.length);
  let unchecked = 0;
  pairs.forEach((p, k) => {
    const a = idOf(p.a);
    const b = idOf(p.b);
    if (a < 0 || b < 0) {
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
  // Shared memory: the workers read the signatures without a copy each.
  const signatures = new Uint8Array(new SharedArrayBuffer(Math.max(1, decoded.length * COLOR_SIGNATURE_BYTES)));
  decoded.forEach((s, k) => signatures.set(s, k * COLOR_SIGNATURE_BYTES));
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
