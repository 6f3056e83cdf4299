/**
 * Candidate pairs beyond the exact-search range: bit-sampling LSH (lshParams.ts) run by a WASM kernel on
 * worker threads. Every reported pair was verified with its exact Hamming distance over all bits, so
 * there are no false pairs; what LSH can lose is recall, which the plan bounds per pair (see lshParams.ts)
 * and bench/annoy.ts measures against exact search.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { invalidOption } from '../errors.js';
import { compileWasm, runLshTables, type LshJob, type LshResult, type WasmModule } from './lshKernel.js';
import { planLsh, sampleTableBits, type LshPlan, type LshPlanOptions } from './lshParams.js';
import { LSH_WASM_BASE64 } from './lshWasm.js';
import { PairSet } from './pairSet.js';

export interface ApproximatePairsOptions extends LshPlanOptions {
  /** Hash length in bits (default: 32 x words per row). Positions at or past it are never sampled. */
  readonly bits?: number;
  /** Worker threads; 0 runs in this thread. Default: min(2, available cores). */
  readonly workers?: number;
  /** An item id per hash: hashes of one item (e.g. the frames of one video) are never paired. */
  readonly items?: ArrayLike<number>;
}

export interface PairArrays {
  readonly i: Uint32Array;
  readonly j: Uint32Array;
  readonly dist: Uint16Array;
}

export interface ApproximatePairsResult extends PairArrays {
  readonly plan: LshPlan;
  readonly candidates: number;
  readonly hits: number;
}

let wasmModule: WasmModule | undefined;
function lshModule(): WasmModule {
  wasmModule ??= compileWasm(Buffer.from(LSH_WASM_BASE64, 'base64'));
  return wasmModule;
}

/**
 * All pairs (i < j) with at most `radiusBits` differing bits among n packed hashes (`words` holds n rows
 * of up to 8 words), found by LSH and verified exactly. Deterministic for a given seed, whatever the
 * number of workers. The radius is inclusive: perception's `distance < 0.2` on 256 bits is radiusBits 51
 * (the exact search's `radius`, from radiusFor, is exclusive: pass it minus one).
 * Memory: about 120 bytes per hash per worker, plus one shared copy of the hashes.
 */
export async function approximatePairs(words: Uint32Array, n: number, radiusBits: number, opts: ApproximatePairsOptions = {}): Promise<ApproximatePairsResult> {
  if (!Number.isInteger(n) || n < 0) throw invalidOption('n', 'a non-negative integer', n);
  const wordsPerRow = n === 0 ? 8 : words.length / n;
  if (!Number.isInteger(wordsPerRow) || wordsPerRow < 1 || wordsPerRow > 8) {
    throw invalidOption('words', `n rows of 1 to 8 32-bit words (${n} rows)`, `${words.length} words`);
  }
  const bits = opts.bits ?? wordsPerRow * 32;
  if (bits > wordsPerRow * 32) throw invalidOption('bits', `at most ${wordsPerRow * 32} for ${wordsPerRow} words per row`, bits);
  const plan = planLsh(n, bits, radiusBits, opts);
  if (n < 2) return { i: new Uint32Array(0), j: new Uint32Array(0), dist: new Uint16Array(0), plan, candidates: 0, hits: 0 };
  const workers = opts.workers ?? Math.min(2, availableParallelism());
  if (!Number.isInteger(workers) || workers < 0 || workers > 64) throw invalidOption('workers', 'an integer between 0 and 64', workers);

  if (opts.items && opts.items.length !== n) throw invalidOption('items', `one item id per hash (${n})`, `${opts.items.length} ids`);
  const tableBits = sampleTableBits(plan);
  const base = { wasm: lshModule(), n, wordsPerRow, keyBits: plan.keyBits, partitionBits: plan.partitionBits, radius: radiusBits };
  if (workers === 0) {
    const items = opts.items && Int32Array.from(opts.items);
    const r = runLshTables({ ...base, data: words.subarray(0, n * wordsPerRow), tableBits, ...(items ? { items } : {}) }, PairSet);
    return { ...r, plan };
  }
  // One shared copy of the hashes (and items) for all workers; tables dealt round-robin so each gets a similar load.
  const shared = new Uint32Array(new SharedArrayBuffer(n * wordsPerRow * 4));
  shared.set(words.subarray(0, n * wordsPerRow));
  let items: Int32Array | undefined;
  if (opts.items) {
    items = new Int32Array(new SharedArrayBuffer(n * 4));
    items.set(opts.items);
  }
  const k = plan.keyBits;
  const jobs: LshJob[] = [];
  for (let w = 0; w < Math.min(workers, plan.tables); w++) {
    const mine: number[] = [];
    for (let t = w; t < plan.tables; t += workers) for (let j = 0; j < k; j++) mine.push(tableBits[t * k + j]);
    jobs.push({ ...base, data: shared, tableBits: Int32Array.from(mine), ...(items ? { items } : {}) });
  }
  const parts = await Promise.all(jobs.map(runInWorker));
  if (parts.length === 1) return { ...parts[0], plan };
  const merged = new PairSet(parts.reduce((s, p) => s + p.i.length, 0));
  for (const p of parts) for (let q = 0; q < p.i.length; q++) merged.add(p.i[q], p.j[q], p.dist[q]);
  return {
    ...merged.toArrays(),
    plan,
    candidates: parts.reduce((s, p) => s + p.candidates, 0),
    hits: parts.reduce((s, p) => s + p.hits, 0),
  };
}

// The worker runs the kernel's own source text. `__name` is what tsx's transform inserts to keep function
// names; the bundled build has none, so a no-op stands in.
const WORKER_SOURCE = `
const __name = (f) => f;
const { parentPort, workerData } = require('node:worker_threads');
const PairSet = (${PairSet.toString()});
const runLshTables = (${runLshTables.toString()});
const r = runLshTables(workerData, PairSet);
parentPort.postMessage(r, [r.i.buffer, r.j.buffer, r.dist.buffer]);
`;

function runInWorker(job: LshJob): Promise<LshResult> {
  return new Promise((resolve, reject) => {
    const w = new Worker(WORKER_SOURCE, { eval: true, workerData: job });
    let done = false;
    w.once('message', (r: LshResult) => {
      done = true;
      resolve(r);
      void w.terminate();
    });
    w.once('error', reject);
    w.once('exit', (code) => {
      if (!done) reject(new Error(`LSH worker exited with code ${code} before answering`));
    });
  });
}
