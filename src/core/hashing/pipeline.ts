import { createHash } from 'node:crypto';
import { toMediaError } from '../errors.js';
import { colorSignature, encodeColorSignature } from '../hashers/colorSignature.js';
import { jpegQualityOf, keepStatsOf } from '../image/keepStats.js';
import { decodeImageBuffer, type DecodedImage, type DecodeOptions } from '../image/decode.js';
import { fileBytesPool, releasePixels } from '../image/pixelPool.js';
import { readFileBytes } from '../image/readFile.js';
import type { PhaseProfile } from '../profile/phaseProfile.js';
import { cropPass, type CropFacts, type CropPassHasher } from '../crops/cropPass.js';
import { cropPassHasher, hashCrops, hashDecoded, type PreparedHasher } from './hashImage.js';
import type { CancelSignal } from '../types.js';
import type { HashOutcome, PipelineSettings } from './types.js';

/**
 * Images decoding at once. Both the native decoder and sharp (one libvips thread per image:
 * sharp.concurrency() is 1 on this machine kind) decode on the 4-thread libuv pool, so 4 in flight keeps
 * both cores busy while this thread hashes; more only queues in the pool and holds more decoded pixels
 * (measured in bench/hashing.ts).
 */
export const DEFAULT_IN_FLIGHT = 4;

/** A decoded file, with the SHA-256 of its bytes when asked for. */
interface Decoded {
  readonly img: DecodedImage;
  /** The bytes it was decoded from, given back to their pool once it is hashed (a decoder may return a view of them). */
  readonly bytes: Buffer;
  readonly sha256?: string;
  readonly jpegQuality?: number;
  /** With cropResistant: the crop views measured on the pool (crops/cropPass.ts), when they were. */
  readonly crop?: CropFacts;
}

/** The settings (the worker threads get them as they are), with the hashers prepared. */
export interface PipelineOptions extends Omit<PipelineSettings, 'hashers'> {
  readonly hashers: readonly PreparedHasher[];
  /** Checked before each file is started. */
  readonly signal?: CancelSignal;
  readonly onOutcome: (outcome: HashOutcome, index: number) => void;
  readonly profile?: PhaseProfile;
}

/**
 * Decode N files at once, hash on the calling thread. The next decode is started *before* the finished
 * image is hashed, so the libvips threads never wait for JavaScript. Items may be pushed at any time
 * (worker threads receive their paths in batches).
 */
export class HashPipeline {
  private readonly queue: Array<{ index: number; path: string }> = [];
  private head = 0;
  private active = 0;
  private stopped = false;
  private waiters: Array<() => void> = [];

  /** The keep policy's pixel facts are measured by the decoder, on its pool thread, when it can (image/decode.ts keepFacts). */
  private readonly decodeOptions: DecodeOptions;

  /** With cropResistant: the hasher whose crop views are measured on the pool after each decode. */
  private readonly cropHasher: CropPassHasher | undefined;

  constructor(private readonly opts: PipelineOptions) {
    this.decodeOptions = opts.keepStats ? { ...opts.decode, keepFacts: true } : opts.decode;
    this.cropHasher = opts.cropResistant ? cropPassHasher(opts.hashers) : undefined;
  }

  push(index: number, path: string): void {
    if (this.stopped) return;
    this.queue.push({ index, path });
    this.pump();
  }

  /** Files queued or being decoded. */
  get pending(): number {
    return this.queue.length - this.head + this.active;
  }

  /** Drops queued files; files being decoded still finish and are reported. */
  stop(): void {
    this.stopped = true;
    this.queue.length = 0;
    this.head = 0;
    this.settle();
  }

  /** Resolves when nothing is queued or in flight. */
  idle(): Promise<void> {
    if (this.pending === 0) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  private pump(): void {
    if (this.opts.signal?.cancelled && !this.stopped) {
      this.stop();
      return;
    }
    while (this.active < this.opts.inFlight && this.head < this.queue.length) {
      const { index, path } = this.queue[this.head++];
      if (this.head > 1024 && this.head * 2 > this.queue.length) {
        this.queue.splice(0, this.head);
        this.head = 0;
      }
      this.active++;
      this.start(path).then(
        (read) => this.finish(index, path, read, undefined),
        (err: unknown) => this.finish(index, path, undefined, err),
      );
    }
  }

  private start(path: string): Promise<Decoded> {
    const profile = this.opts.profile;
    try {
      const watch = profile?.stopwatch();
      // Synchronous read: ~17 us from the page cache, versus 100-300 us of libuv round trips that would
      // compete with the decoders for the same pool threads.
      const file = readFileBytes(path, this.opts.decode.maxFileBytes, fileBytesPool);
      watch?.lap('read');
      const t0 = performance.now();
      const decoding = decodeImageBuffer(file.data, path, this.decodeOptions, file.size, file.mtimeMs).then(
        (img) => {
          profile?.add('decode', performance.now() - t0, 'pool');
          return img;
        },
        (err: unknown) => {
          fileBytesPool.release(file.data); // nothing reads the bytes of a file that failed
          throw err;
        },
      );
      watch?.lap('decode'); // this thread's part: sniffing the format and handing the bytes to the pool
      // The fingerprint of exactly the bytes that are hashed (no second read, no window for a change
      // between), taken after the decode is queued: this thread hashes the bytes while the pool decodes them.
      const sha256 = this.opts.fingerprint ? createHash('sha256').update(file.data).digest('hex') : undefined;
      if (sha256) watch?.lap('fingerprint');
      const jpegQuality = this.opts.keepStats ? jpegQualityOf(file.data) : undefined;
      if (this.opts.keepStats) watch?.lap('keep facts');
      return decoding.then((img) => {
        const decoded = { img, bytes: file.data, sha256, jpegQuality };
        // The crop views on the pool too, right after the decode, so this thread only encodes them.
        const t1 = performance.now();
        const crop = this.cropHasher && startCropPass(img, this.cropHasher);
        if (!crop) return decoded;
        return crop.then((facts) => {
          if (!facts) return decoded;
          profile?.add('crop pass', performance.now() - t1, 'pool');
          return { ...decoded, crop: facts };
        });
      });
    } catch (e) {
      return Promise.reject(e);
    }
  }

  private finish(index: number, path: string, read: Decoded | undefined, err: unknown): void {
    this.active--;
    this.pump(); // keep the decoders busy while this thread hashes
    let outcome: HashOutcome;
    if (read) {
      const { img, sha256 } = read;
      const watch = this.opts.profile?.stopwatch();
      try {
        outcome = hashDecoded(path, img, this.opts.hashers, this.opts.isometric, this.opts.format);
        watch?.lap('hash');
        if (this.opts.cropResistant) {
          const c = hashCrops(path, img, this.opts.hashers, this.opts.format, read.crop);
          outcome = { ...outcome, crops: c.hashes, cropColors: c.colors };
          watch?.lap('crop hashes');
        }
        if (this.opts.colorSignature) {
          outcome = { ...outcome, color: encodeColorSignature(colorSignature(img)) };
          watch?.lap('colour signature');
        }
        if (sha256 !== undefined) outcome = { ...outcome, sha256 };
        if (this.opts.keepStats) {
          outcome = { ...outcome, keep: keepStatsOf(img, read.jpegQuality) };
          watch?.lap('keep facts');
        }
      } catch (e) {
        outcome = failure(path, e);
      }
      releasePixels(img.data); // hashed: the next image may decode into these bytes
      fileBytesPool.release(read.bytes); // and the next file be read into these
    } else outcome = failure(path, err);
    try {
      this.opts.onOutcome(outcome, index);
    } finally {
      this.settle();
    }
  }

  private settle(): void {
    if (this.pending !== 0) return;
    const w = this.waiters;
    this.waiters = [];
    for (const f of w) f();
  }
}

/**
 * The crop pass of a decoded file on the pool: its facts, undefined when it failed there (out of memory),
 * or undefined instead of a promise when it does not apply or the addon did not take the work (it throws
 * when it cannot allocate or queue it, or rejects the arguments). In every case but the facts hashCrops
 * measures the views on this thread, so the file is still hashed and its pixels and bytes given back.
 */
export function startCropPass(
  img: DecodedImage,
  hasher: CropPassHasher,
  pass: (img: DecodedImage, hasher: CropPassHasher) => Promise<CropFacts> | undefined = cropPass,
): Promise<CropFacts | undefined> | undefined {
  let crop: Promise<CropFacts> | undefined;
  try {
    crop = pass(img, hasher);
  } catch {
    return undefined;
  }
  return crop?.then(
    (facts) => facts,
    () => undefined,
  );
}

export function failure(path: string, e: unknown): HashOutcome {
  const m = toMediaError(e, path);
  return { path, ok: false, error: { code: m.code, message: m.message } };
}
