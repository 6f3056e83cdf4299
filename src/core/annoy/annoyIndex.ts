/**
 * The persistent Annoy index over bit hashes (design card: annoy-node), for query-by-example only (pairs
 * over a whole set are src/core/pairs' job: Annoy needs ~20 minutes where LSH or exact search take
 * seconds, see bench/annoy.ts). Hashes become 0/1 vectors under the Manhattan metric, which is Hamming distance.
 *
 * Annoy answers k-nearest approximately, and annoy-node 0.1.8 gives no search_k (it asks for n x trees
 * nodes): so every answer is re-ranked with exact Hamming distances from the hashes we store beside the
 * index, and callers widen the search by asking Annoy for more neighbours than they need.
 *
 * On disk, in the folder given (the dataset's `.media-dedupe/`): the Annoy file, the raw hashes, and a
 * sidecar JSON naming both with their size and SHA-256, the hasher key, and the path of every item id.
 * The sidecar is written last and renamed into place, so a reader sees the old index or the new one.
 * annoy-node's load() reports no errors and a damaged file can crash the process, so nothing is handed
 * to it before the checksums match; any doubt makes load fail with a typed error and the caller rebuilds.
 */
import { createHash, randomBytes } from 'node:crypto';
import { closeSync, existsSync, mkdirSync, openSync, readdirSync, readFileSync, readSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { hammingBytes, unpackBits } from '../hashers/format.js';
import { writeFileAtomicSync } from '../files/atomicWrite.js';
import { loadAnnoy, type NativeAnnoyIndex } from './annoyAddon.js';
import { AnnoyIndexError } from './annoyErrors.js';

export const ANNOY_SIDECAR_FORMAT = 'media-dedupe-annoy';
export const ANNOY_SIDECAR_VERSION = 1;
/**
 * From bench/annoy.ts (random 256-bit hashes with planted copies within 51 bits): at 100k hashes a planted
 * copy found its original among the 10 nearest 0.70 / 0.86 / 0.96 / 0.99 of the time with 8 / 16 / 32 / 64
 * trees when 200 neighbours were asked; 64 trees cost ~15% more disk than 32 (2.8 KB per hash in all).
 */
export const DEFAULT_TREES = 64;
/** Neighbours asked of Annoy per query at least (see DEFAULT_TREES): 10 gave 0.69 at 100k, 200 gave 0.99. */
export const DEFAULT_SEARCH_NEIGHBOURS = 200;

export interface IndexedHash {
  /** The item's file, as the caller names it (the scan uses POSIX paths relative to the dataset). */
  readonly path: string;
  /** Packed hash bytes, perception's layout (MSB-first), all the same length. */
  readonly hash: Uint8Array;
}

export interface AnnoyBuildOptions {
  /** Identifies hasher and settings (e.g. "phash:16"); an index built with another key is never used. */
  readonly hasherKey: string;
  readonly trees?: number;
  /** Build threads; -1 (default) uses every core. */
  readonly threads?: number;
}

export interface AnnoyExpectation {
  readonly hasherKey: string;
  /** Hash length in bits, when the caller knows it. */
  readonly bits?: number;
}

export interface NeighbourHit {
  readonly id: number;
  readonly path: string;
  /** Exact Hamming distance in bits. */
  readonly distance: number;
}

export interface QueryOptions {
  /** How many neighbours to ask Annoy for before exact re-ranking (default max(10 x k, 200)): more is slower and finds more. */
  readonly searchNeighbours?: number;
}

interface FileRef {
  readonly file: string;
  readonly bytes: number;
  readonly sha256: string;
}

export interface AnnoySidecar {
  readonly format: typeof ANNOY_SIDECAR_FORMAT;
  readonly version: typeof ANNOY_SIDECAR_VERSION;
  readonly hasherKey: string;
  readonly bits: number;
  readonly metric: 'manhattan';
  readonly trees: number;
  readonly count: number;
  readonly annoy: FileRef;
  readonly hashes: FileRef;
  readonly paths: readonly string[];
}

export type AnnoyLoadResult = { readonly ok: true; readonly index: AnnoyHashIndex } | { readonly ok: false; readonly error: AnnoyIndexError };

export class AnnoyHashIndex {
  private closed = false;

  private constructor(
    private native: NativeAnnoyIndex,
    readonly hasherKey: string,
    readonly bits: number,
    readonly trees: number,
    readonly paths: readonly string[],
    /** count x (bits / 8) bytes: the exact hashes every answer is checked against. */
    private readonly store: Uint8Array,
  ) {}

  get size(): number {
    return this.paths.length;
  }

  private get bytesPerHash(): number {
    return this.bits / 8;
  }

  /** Builds in memory; `save` writes it. Throws AnnoyIndexError('unavailable') without the addon. */
  static build(items: readonly IndexedHash[], opts: AnnoyBuildOptions): AnnoyHashIndex {
    const trees = opts.trees ?? DEFAULT_TREES;
    if (!Number.isInteger(trees) || trees < 1 || trees > 1000) throw invalid('trees', 'an integer between 1 and 1000', trees);
    const threads = opts.threads ?? -1;
    if (!Number.isInteger(threads) || threads === 0 || threads < -1) throw invalid('threads', '-1 (every core) or a positive integer', threads);
    if (typeof opts.hasherKey !== 'string' || !opts.hasherKey) throw invalid('hasherKey', 'a non-empty string', opts.hasherKey);
    if (items.length === 0) throw invalid('items', 'at least one hash', 0);
    const bytes = items[0].hash.length;
    if (bytes === 0) throw invalid('hash', 'at least one byte', 0);
    const bits = bytes * 8;
    const store = new Uint8Array(items.length * bytes);
    const native = loadAnnoy().create(bits);
    const vec = new Float64Array(bits);
    items.forEach((it, id) => {
      if (it.hash.length !== bytes) throw invalid(`hash of ${it.path}`, `${bytes} bytes like the others`, `${it.hash.length} bytes`);
      store.set(it.hash, id * bytes);
      const b = unpackBits(it.hash, bits);
      for (let q = 0; q < bits; q++) vec[q] = b[q];
      native.addItem(id, vec);
    });
    native.build(trees, threads);
    return new AnnoyHashIndex(
      native,
      opts.hasherKey,
      bits,
      trees,
      items.map((it) => it.path),
      store,
    );
  }

  /** Loads a saved index after checking it completely; throws AnnoyIndexError (see `problem`). */
  static load(dir: string, expect: AnnoyExpectation): AnnoyHashIndex {
    const sidecarPath = join(dir, sidecarName(expect.hasherKey));
    if (!existsSync(sidecarPath)) throw new AnnoyIndexError('missing', `No Annoy index for ${expect.hasherKey} in ${dir}`, sidecarPath);
    const meta = readSidecar(sidecarPath);
    if (meta.hasherKey !== expect.hasherKey) {
      throw new AnnoyIndexError('mismatch', `The index was built for ${meta.hasherKey}, not ${expect.hasherKey}`, sidecarPath);
    }
    if (expect.bits !== undefined && meta.bits !== expect.bits) {
      throw new AnnoyIndexError('mismatch', `The index holds ${meta.bits}-bit hashes, not ${expect.bits}-bit`, sidecarPath);
    }
    const annoyPath = join(dir, meta.annoy.file);
    const hashesPath = join(dir, meta.hashes.file);
    checkFile(annoyPath, meta.annoy);
    const store = readChecked(hashesPath, meta.hashes);
    if (store.length !== meta.count * (meta.bits / 8)) {
      throw new AnnoyIndexError('corrupt', `The hashes file holds ${store.length} bytes, not ${meta.count} hashes of ${meta.bits} bits`, hashesPath);
    }
    const native = loadAnnoy().create(meta.bits);
    native.load(annoyPath);
    const index = new AnnoyHashIndex(native, meta.hasherKey, meta.bits, meta.trees, meta.paths, new Uint8Array(store));
    index.selfCheck(annoyPath);
    return index;
  }

  /** Like load, but returns the problem instead of throwing it (still throws for anything unexpected). */
  static tryLoad(dir: string, expect: AnnoyExpectation): AnnoyLoadResult {
    try {
      return { ok: true, index: AnnoyHashIndex.load(dir, expect) };
    } catch (e) {
      if (e instanceof AnnoyIndexError) return { ok: false, error: e };
      throw e;
    }
  }

  /** Writes the index into dir (created if needed), replacing any previous one for the same hasher key. */
  save(dir: string): void {
    this.assertOpen();
    mkdirSync(dir, { recursive: true });
    const sidecarPath = join(dir, sidecarName(this.hasherKey));
    const stem = `${fileStem(this.hasherKey)}-${randomBytes(4).toString('hex')}`;
    const annoyFile = `${stem}.ann`;
    const hashesFile = `${stem}.hashes`;
    // Annoy re-opens the index from the file it saved, so it is saved under its final name.
    this.native.save(join(dir, annoyFile));
    if (!existsSync(join(dir, annoyFile)) || statSync(join(dir, annoyFile)).size === 0) {
      throw new AnnoyIndexError('corrupt', `annoy-node did not write ${annoyFile} in ${dir}`, join(dir, annoyFile));
    }
    writeFileSync(join(dir, hashesFile), this.store);
    const meta: AnnoySidecar = {
      format: ANNOY_SIDECAR_FORMAT,
      version: ANNOY_SIDECAR_VERSION,
      hasherKey: this.hasherKey,
      bits: this.bits,
      metric: 'manhattan',
      trees: this.trees,
      count: this.size,
      annoy: describeFile(dir, annoyFile),
      hashes: describeFile(dir, hashesFile),
      paths: this.paths,
    };
    writeFileAtomicSync(sidecarPath, JSON.stringify(meta) + '\n');
    // Earlier files of this key (a replaced index, or one a crash left half-written) are no longer
    // referenced; a process that still has one open keeps its mmap on Linux.
    const prefix = `${fileStem(this.hasherKey)}-`;
    for (const f of readdirSync(dir)) {
      if (f.startsWith(prefix) && /\.(ann|hashes)$/.test(f) && f !== annoyFile && f !== hashesFile) rmSync(join(dir, f), { force: true });
    }
  }

  /** The k nearest stored hashes to `hash`, by exact distance (ties by id), among what Annoy proposes. */
  query(hash: Uint8Array, k: number, opts: QueryOptions = {}): NeighbourHit[] {
    this.assertOpen();
    if (hash.length !== this.bytesPerHash) throw invalid('hash', `${this.bytesPerHash} bytes`, `${hash.length} bytes`);
    if (!Number.isInteger(k) || k < 1) throw invalid('k', 'a positive integer', k);
    const ask = this.searchSize(k, opts);
    const bits = unpackBits(hash, this.bits);
    const vec = Float64Array.from(bits);
    const ids = this.cleanIds(this.native.get_nns_by_vector(vec, ask, false).neighbours);
    return ids
      .map((id) => ({ id, path: this.paths[id], distance: hammingBytes(this.hashOf(id), hash) }))
      .sort((a, b) => a.distance - b.distance || a.id - b.id)
      .slice(0, k);
  }

  /** Nearest neighbours of a stored item (itself excluded), exact distances. */
  queryItem(id: number, k: number, opts: QueryOptions = {}): NeighbourHit[] {
    this.assertOpen();
    if (!Number.isInteger(id) || id < 0 || id >= this.size) throw invalid('id', `an item id between 0 and ${this.size - 1}`, id);
    if (!Number.isInteger(k) || k < 1) throw invalid('k', 'a positive integer', k);
    const ids = this.cleanIds(this.native.get_nns_by_item(id, this.searchSize(k + 1, opts), false).neighbours);
    return ids
      .filter((j) => j !== id)
      .map((j) => ({ id: j, path: this.paths[j], distance: hammingBytes(this.hashOf(id), this.hashOf(j)) }))
      .sort((a, b) => a.distance - b.distance || a.id - b.id)
      .slice(0, k);
  }

  /** The stored hash bytes of an item (a view: do not modify). */
  hashOf(id: number): Uint8Array {
    return this.store.subarray(id * this.bytesPerHash, (id + 1) * this.bytesPerHash);
  }

  /** Frees the native index (its memory or its mmap). */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.native.unload();
  }

  private searchSize(k: number, opts: QueryOptions): number {
    const ask = opts.searchNeighbours ?? Math.max(k * 10, DEFAULT_SEARCH_NEIGHBOURS);
    if (!Number.isInteger(ask) || ask < 1) throw invalid('searchNeighbours', 'a positive integer', ask);
    return Math.min(this.size, Math.max(k, ask));
  }

  /** The binding returns an array of n with holes past the results; an id out of range would mean a bad index. */
  private cleanIds(raw: (number | undefined)[]): number[] {
    const out: number[] = [];
    for (const id of raw) {
      if (id === undefined) continue;
      if (!Number.isInteger(id) || id < 0 || id >= this.size) {
        throw new AnnoyIndexError('corrupt', `The Annoy index answered item ${id}, outside 0..${this.size - 1}`);
      }
      out.push(id);
    }
    return out;
  }

  /** After load: Annoy's own distances to a few items must equal the exact ones from the stored hashes. */
  private selfCheck(annoyPath: string): void {
    const probes = [...new Set([0, this.size >> 1, this.size - 1])];
    for (const id of probes) {
      const r = this.native.get_nns_by_item(id, Math.min(this.size, 4), true);
      const ids = r.neighbours.filter((x): x is number => x !== undefined);
      const dists = r.distances ?? [];
      const ok =
        ids.length > 0 && ids.every((j, q) => Number.isInteger(j) && j >= 0 && j < this.size && dists[q] === hammingBytes(this.hashOf(id), this.hashOf(j)));
      if (!ok) {
        this.close();
        throw new AnnoyIndexError('corrupt', `The Annoy index disagrees with its stored hashes (item ${id})`, annoyPath);
      }
    }
  }

  private assertOpen(): void {
    if (this.closed) throw invalid('index', 'an open index', 'a closed one');
  }
}

/**
 * The usual entry point: the saved index when it is sound and matches, else a fresh one built from `items`
 * and saved. `rebuiltBecause` says why a rebuild happened. Throws AnnoyIndexError('unavailable') without the addon.
 */
export function loadOrBuildAnnoyIndex(
  dir: string,
  items: readonly IndexedHash[],
  opts: AnnoyBuildOptions,
): { index: AnnoyHashIndex; rebuiltBecause?: AnnoyIndexError } {
  const bits = items.length ? items[0].hash.length * 8 : undefined;
  const r = AnnoyHashIndex.tryLoad(dir, { hasherKey: opts.hasherKey, bits });
  if (r.ok && sameItems(r.index, items)) return { index: r.index };
  if (r.ok) r.index.close();
  if (!r.ok && !r.error.rebuildable) throw r.error;
  const index = AnnoyHashIndex.build(items, opts);
  index.save(dir);
  return { index, rebuiltBecause: r.ok ? new AnnoyIndexError('mismatch', 'The saved index holds other files or hashes') : r.error };
}

/** The saved index is reused only when it holds exactly these paths with exactly these hashes, in order. */
function sameItems(index: AnnoyHashIndex, items: readonly IndexedHash[]): boolean {
  if (index.size !== items.length) return false;
  return items.every((it, id) => {
    if (index.paths[id] !== it.path) return false;
    const stored = index.hashOf(id);
    return stored.length === it.hash.length && stored.every((v, q) => v === it.hash[q]);
  });
}

function invalid(name: string, expected: string, received: unknown): AnnoyIndexError {
  const shown = typeof received === 'string' ? JSON.stringify(received) : String(received);
  return new AnnoyIndexError('invalid', `Expected ${expected} for ${name} but received ${shown}`);
}

/** File names must not carry the key's punctuation (":", "@", "/"); a digest keeps distinct keys apart. */
function fileStem(hasherKey: string): string {
  const slug = hasherKey.replace(/[^A-Za-z0-9._-]+/g, '_').slice(0, 40);
  const digest = createHash('sha256').update(hasherKey).digest('hex').slice(0, 8);
  return `annoy-${slug}-${digest}`;
}

export function sidecarName(hasherKey: string): string {
  return `${fileStem(hasherKey)}.json`;
}

/** Hashed in chunks: the Annoy file is ~2.8 KB per item (hundreds of MB), and reading it whole would double the RSS. */
function sha256File(path: string): { bytes: number; sha256: string } {
  const h = createHash('sha256');
  const buf = Buffer.allocUnsafe(4 << 20);
  const fd = openSync(path, 'r');
  let bytes = 0;
  try {
    for (let got; (got = readSync(fd, buf, 0, buf.length, null)) > 0; bytes += got) h.update(buf.subarray(0, got));
  } finally {
    closeSync(fd);
  }
  return { bytes, sha256: h.digest('hex') };
}

function describeFile(dir: string, file: string): FileRef {
  return { file, ...sha256File(join(dir, file)) };
}

/** The hashes file (32 bytes per item: small), checked after reading so what is checked is what is used. */
function readChecked(path: string, ref: FileRef): Buffer {
  let data: Buffer;
  try {
    data = readFileSync(path);
  } catch (e) {
    throw new AnnoyIndexError('corrupt', `Cannot read ${basename(path)}: ${(e as Error).message}`, path);
  }
  if (data.length !== ref.bytes || createHash('sha256').update(data).digest('hex') !== ref.sha256) {
    throw new AnnoyIndexError('corrupt', `${basename(path)} does not match its size and checksum`, path);
  }
  return data;
}

/** Size and checksum as the sidecar says, or AnnoyIndexError('corrupt'). */
function checkFile(path: string, ref: FileRef): void {
  let actual: { bytes: number; sha256: string };
  try {
    const size = statSync(path).size;
    if (size !== ref.bytes) throw new AnnoyIndexError('corrupt', `${basename(path)} is ${size} bytes, the sidecar says ${ref.bytes}`, path);
    actual = sha256File(path);
  } catch (e) {
    if (e instanceof AnnoyIndexError) throw e;
    throw new AnnoyIndexError('corrupt', `Cannot read ${basename(path)}: ${(e as Error).message}`, path);
  }
  if (actual.bytes !== ref.bytes || actual.sha256 !== ref.sha256) throw new AnnoyIndexError('corrupt', `${basename(path)} does not match its checksum`, path);
}

function readSidecar(path: string): AnnoySidecar {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new AnnoyIndexError('corrupt', `The index sidecar is not readable JSON: ${(e as Error).message}`, path);
  }
  const m = raw as Partial<AnnoySidecar> | null;
  const bad = (what: string) => new AnnoyIndexError('corrupt', `The index sidecar has ${what}`, path);
  if (!m || typeof m !== 'object') throw bad('no object');
  if (m.format !== ANNOY_SIDECAR_FORMAT) throw bad(`format ${JSON.stringify(m.format)}`);
  if (m.version !== ANNOY_SIDECAR_VERSION)
    throw new AnnoyIndexError('mismatch', `The index sidecar is version ${m.version}, not ${ANNOY_SIDECAR_VERSION}`, path);
  if (typeof m.hasherKey !== 'string') throw bad('no hasherKey');
  if (!Number.isInteger(m.bits) || m.bits! < 8 || m.bits! % 8 !== 0) throw bad(`bits ${m.bits}`);
  if (m.metric !== 'manhattan') throw bad(`metric ${m.metric}`);
  if (!Number.isInteger(m.trees) || m.trees! < 1) throw bad(`trees ${m.trees}`);
  if (!Number.isInteger(m.count) || m.count! < 1) throw bad(`count ${m.count}`);
  if (!Array.isArray(m.paths) || m.paths.length !== m.count || !m.paths.every((p) => typeof p === 'string')) throw bad('paths that do not match count');
  for (const ref of [m.annoy, m.hashes]) {
    const r = ref as Partial<FileRef> | undefined;
    if (!r || typeof r.file !== 'string' || basename(r.file) !== r.file || !Number.isInteger(r.bytes) || typeof r.sha256 !== 'string') {
      throw bad('a malformed file reference');
    }
  }
  return m as AnnoySidecar;
}
