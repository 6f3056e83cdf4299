import { expectInt, invalidOption } from '../errors.js';
import type { HasherSpec } from '../hashers/registry.js';
import { prepareHashers } from './hashImage.js';
import { clearPools } from '../image/pixelPool.js';
import { DEFAULT_IN_FLIGHT, HashPipeline } from './pipeline.js';
import type { HashFilesOptions, HashOutcome, PipelineSettings } from './types.js';
import { runWithWorkers } from './workerPool.js';

export type { HashFilesOptions, HashOutcome, HashSuccess, HashFailure } from './types.js';

/**
 * Design (measured with `npm run bench -- --only hashing`: phash16, 900 images <= 640 px, 2 cores shared
 * with other jobs, so CPU per image is the steadier number). The main-thread pipeline, 4 decodes in
 * flight on the libuv pool through the native decoder addon, used 0.98-1.13 ms CPU per image (sharp's
 * decode alone costs 1.8-2.0 ms) and ran at 1,420-1,690 img/s; its main thread spends ~0.34 ms per image
 * on phash16. Two worker threads doing decode + hash used 1.5 ms CPU per image and were ~25% slower (each
 * call starts its workers, every isolate warms up its own JIT, and outcomes cross threads; decoding
 * synchronously inside the workers did not close the gap). So the main thread is the default and
 * workers stay an option.
 *
 * Hashes many files: one outcome per file, in the order of `paths`. A file that cannot be read, decoded or
 * hashed becomes a `{ ok: false, error }` record and the others go on. When `signal` is cancelled, files
 * not yet started are left out of the result (files in flight still finish), so the caller keeps what
 * was already hashed.
 *
 * Hasher keys in the outcomes are hasherKey(spec). Bad hasher settings throw (INVALID_OPTION) before any
 * file is touched.
 */
export async function hashFiles(paths: readonly string[], hashers: readonly HasherSpec[], opts: HashFilesOptions = {}): Promise<HashOutcome[]> {
  const prepared = prepareHashers(hashers); // validates, even when the worker threads build their own
  const settings: PipelineSettings = {
    hashers,
    isometric: opts.isometric ?? false,
    colorSignature: opts.colorSignature ?? false,
    cropResistant: opts.cropResistant ?? false,
    fingerprint: opts.fingerprint ?? false,
    keepStats: opts.keepStats ?? false,
    format: opts.format ?? 'base64',
    decode: opts.decode ?? {},
    inFlight: opts.concurrency === undefined ? DEFAULT_IN_FLIGHT : expectInt('concurrency', opts.concurrency, 1, 256),
  };
  if (settings.format !== 'base64' && settings.format !== 'hex') throw invalidOption('format', 'base64 or hex', settings.format);
  const results = new Array<HashOutcome | undefined>(paths.length);
  const onOutcome = (o: HashOutcome, i: number): void => {
    results[i] = o;
    opts.onResult?.(o, i);
  };

  if ((opts.pipeline ?? 'main') === 'workers') {
    const workers = opts.workers === undefined ? 2 : expectInt('workers', opts.workers, 1, 64);
    await runWithWorkers(paths, settings, { workers, workerPath: opts.workerPath, signal: opts.signal, onOutcome });
  } else {
    const pipeline = new HashPipeline({ ...settings, hashers: prepared, signal: opts.signal, onOutcome, profile: opts.profile });
    for (let i = 0; i < paths.length && !opts.signal?.cancelled; i++) pipeline.push(i, paths[i]);
    try {
      await pipeline.idle();
    } finally {
      clearPools(); // the buffers it reused are not pinned until the next scan
    }
  }
  return results.filter((r): r is HashOutcome => r !== undefined);
}

/** Async-iterator form: yields outcomes as they complete (completion order). */
export async function* hashFilesIter(
  paths: readonly string[],
  hashers: readonly HasherSpec[],
  opts: Omit<HashFilesOptions, 'onResult'> = {},
): AsyncGenerator<{ outcome: HashOutcome; index: number }> {
  const buffered: Array<{ outcome: HashOutcome; index: number }> = [];
  let wake: (() => void) | undefined;
  let finished = false;
  let failed: unknown;
  const run = hashFiles(paths, hashers, {
    ...opts,
    onResult: (outcome, index) => {
      buffered.push({ outcome, index });
      wake?.();
    },
  }).then(
    () => {
      finished = true;
      wake?.();
    },
    (e: unknown) => {
      failed = e ?? new Error('hashFiles failed');
      finished = true;
      wake?.();
    },
  );
  while (true) {
    if (buffered.length) {
      yield buffered.shift()!;
      continue;
    }
    if (finished) break;
    await new Promise<void>((r) => (wake = r));
    wake = undefined;
  }
  await run;
  if (failed) throw failed;
}
