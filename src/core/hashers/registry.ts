import { expectBoolean, expectInt, invalidOption, MediaError } from '../errors.js';
import { createAverageHash } from './ahash.js';
import { createBlockMean } from './blockmean.js';
import { createColorMoment } from './colormoment.js';
import { createDHash } from './dhash.js';
import { createMarrHildreth } from './marrhildreth.js';
import { createPDQ, createPDQF } from './pdq.js';
import { createPHash, createPHashF, createPHashU8 } from './phash.js';
import type { DistanceMetric, HashDtype, Hasher } from './types.js';
import { createWaveletHash } from './wavelet.js';

/** A hasher parameter as users spell it (kebab-case flag) and as code spells it (camelCase). */
export interface ParamSpec {
  readonly name: string; // camelCase, as the factories take it
  readonly flag: string; // kebab-case, as the CLI and messages show it
  readonly kind: 'int' | 'bool';
  readonly default: number | boolean;
  readonly min?: number;
  readonly max?: number;
  readonly description: string;
}

export type HasherParams = Readonly<Record<string, number | boolean>>;

interface Entry {
  readonly name: string;
  readonly aliases: readonly string[];
  readonly description: string;
  readonly params: readonly ParamSpec[];
  /** Cross-parameter rules a single range cannot express. */
  readonly check?: (p: Record<string, number | boolean>) => void;
  readonly create: (p: Record<string, number | boolean>) => Hasher;
}

// The product default is 16 (not perception's 8): perception's recommended thresholds are for 16.
const HASH_SIZE: ParamSpec = {
  name: 'hashSize',
  flag: 'hash-size',
  kind: 'int',
  default: 16,
  min: 2,
  max: 64,
  description: 'side of the hash grid; the hash has hash-size squared bits',
};

const PHASH_PARAMS: readonly ParamSpec[] = [
  HASH_SIZE,
  {
    name: 'highfreqFactor',
    flag: 'highfreq-factor',
    kind: 'int',
    default: 4,
    min: 1,
    max: 16,
    description: 'the image is resized to hash-size x highfreq-factor before the DCT',
  },
  { name: 'excludeFirstTerm', flag: 'exclude-first-term', kind: 'bool', default: false, description: 'drop the DC term (one bit fewer)' },
  { name: 'freqShift', flag: 'freq-shift', kind: 'int', default: 0, min: 0, max: 1024, description: 'skip this many lowest frequencies on each axis' },
  { name: 'boxFilter', flag: 'box-filter', kind: 'bool', default: false, description: 'box-blur before resizing (the Zauner variant)' },
];

/** The kept DCT block D[fs:fs+hs, fs:fs+hs] must fit inside the n x n DCT, n = hash-size x highfreq-factor. */
function checkPHash(p: Record<string, number | boolean>): void {
  const hs = p.hashSize as number;
  const n = hs * (p.highfreqFactor as number);
  const fs = p.freqShift as number;
  if (n > 1024) throw invalidOption('hash-size x highfreq-factor', 'at most 1024', `${hs} x ${p.highfreqFactor} = ${n}`);
  if (fs + hs > n) throw invalidOption('freq-shift', `an integer between 0 and ${n - hs} (with hash-size ${hs} and highfreq-factor ${p.highfreqFactor})`, fs);
}

function checkPowerOfTwo(p: Record<string, number | boolean>): void {
  const hs = p.hashSize as number;
  if ((hs & (hs - 1)) !== 0) throw invalidOption('hash-size', 'a power of two between 2 and 64 (the wavelet hasher needs one)', hs);
}

const phashOpts = (p: Record<string, number | boolean>) => ({
  hashSize: p.hashSize as number,
  highfreqFactor: p.highfreqFactor as number,
  excludeFirstTerm: p.excludeFirstTerm as boolean,
  freqShift: p.freqShift as number,
  boxFilter: p.boxFilter as boolean,
});

const ENTRIES: readonly Entry[] = [
  {
    name: 'phash',
    aliases: [],
    description: 'DCT perceptual hash (bits); the default',
    params: PHASH_PARAMS,
    check: checkPHash,
    create: (p) => createPHash(phashOpts(p)),
  },
  {
    name: 'phashf',
    aliases: [],
    description: 'PHash DCT coefficients as float32 (Euclidean distance)',
    params: PHASH_PARAMS,
    check: checkPHash,
    create: (p) => createPHashF(phashOpts(p)),
  },
  {
    name: 'phashu8',
    aliases: [],
    description: 'PHash DCT coefficients scaled to uint8 (Euclidean distance)',
    params: PHASH_PARAMS,
    check: checkPHash,
    create: (p) => createPHashU8(phashOpts(p)),
  },
  {
    name: 'dhash',
    aliases: [],
    description: 'difference hash: horizontal gradient signs',
    params: [HASH_SIZE],
    create: (p) => createDHash({ hashSize: p.hashSize as number }),
  },
  {
    name: 'ahash',
    aliases: ['averagehash'],
    description: 'average hash: pixels above the mean',
    params: [HASH_SIZE],
    create: (p) => createAverageHash({ hashSize: p.hashSize as number }),
  },
  {
    name: 'wavelet',
    aliases: ['whash', 'wavelethash'],
    description: 'Haar wavelet hash',
    params: [HASH_SIZE],
    check: checkPowerOfTwo,
    create: (p) => createWaveletHash({ hashSize: p.hashSize as number }),
  },
  { name: 'blockmean', aliases: [], description: 'OpenCV img_hash BlockMean (mode 1, 968 bits)', params: [], create: () => createBlockMean() },
  { name: 'marrhildreth', aliases: [], description: 'OpenCV img_hash Marr-Hildreth (576 bits)', params: [], create: () => createMarrHildreth() },
  { name: 'colormoment', aliases: [], description: 'OpenCV img_hash colour moments (42 float32, Euclidean)', params: [], create: () => createColorMoment() },
  { name: 'pdq', aliases: ['pdqhash'], description: "Facebook's PDQ (256 bits)", params: [], create: () => createPDQ() },
  { name: 'pdqf', aliases: ['pdqhashf'], description: 'PDQ before quantisation (256 float32, Euclidean)', params: [], create: () => createPDQF() },
];

const BY_NAME = new Map<string, Entry>();
for (const e of ENTRIES) for (const n of [e.name, ...e.aliases]) BY_NAME.set(n, e);

export const HASHER_NAMES: readonly string[] = ENTRIES.map((e) => e.name);

function entryFor(name: unknown): Entry {
  const e = typeof name === 'string' ? BY_NAME.get(name.trim().toLowerCase()) : undefined;
  if (!e) throw invalidOption('hasher', `one of ${HASHER_NAMES.join(', ')}`, name);
  return e;
}

/** Canonical name for a user's spelling (whash -> wavelet). */
export function canonicalHasherName(name: string): string {
  return entryFor(name).name;
}

/** The parameters a hasher takes (empty for the fixed OpenCV/PDQ hashers). */
export function hasherParamSpecs(name: string): readonly ParamSpec[] {
  return entryFor(name).params;
}

const camel = (k: string): string => k.replace(/[-_]([a-z])/g, (_, c: string) => c.toUpperCase());

/** Validates parameters (any of camelCase, snake_case, kebab-case) and fills in defaults, in declared order. */
export function resolveHasherParams(name: string, params: HasherParams = {}): Record<string, number | boolean> {
  const e = entryFor(name);
  const given: Record<string, number | boolean> = {};
  for (const [k, v] of Object.entries(params)) {
    if (v === undefined) continue;
    const key = camel(k);
    const spec = e.params.find((p) => p.name === key);
    if (!spec) {
      const known = e.params.length ? `Known parameters: ${e.params.map((p) => p.flag).join(', ')}` : `${e.name} takes no parameters`;
      throw new MediaError('INVALID_OPTION', `Unknown parameter ${JSON.stringify(k)} for hasher ${e.name}. ${known}`);
    }
    if (key in given && given[key] !== v) throw invalidOption(spec.flag, `one value (it was given twice: ${given[key]})`, v);
    given[key] = v;
  }
  const out: Record<string, number | boolean> = {};
  for (const spec of e.params) {
    const v = key(given, spec);
    out[spec.name] = spec.kind === 'int' ? expectInt(spec.flag, v, spec.min!, spec.max!) : expectBoolean(spec.flag, v);
  }
  e.check?.(out);
  return out;
}

function key(given: Record<string, number | boolean>, spec: ParamSpec): number | boolean {
  return spec.name in given ? given[spec.name] : spec.default;
}

/** Builds a hasher by perception's name, with validated parameters (product default hash size 16). */
export function createHasher(name: string, params: HasherParams = {}): Hasher {
  const e = entryFor(name);
  return e.create(resolveHasherParams(e.name, params));
}

/** What a hasher configuration is made of; HasherConfig (with its threshold) fits. */
export interface HasherSpec {
  readonly name: string;
  readonly hashSize?: number;
  readonly params?: HasherParams;
}

function specParams(spec: HasherSpec): HasherParams {
  if (spec.hashSize === undefined) return spec.params ?? {};
  const p = { ...(spec.params ?? {}) };
  const inParams = p.hashSize ?? p.hash_size ?? p['hash-size'];
  if (inParams !== undefined && inParams !== spec.hashSize)
    throw invalidOption('hash-size', `one value (hashSize is ${spec.hashSize} but params say ${inParams})`, inParams);
  return { ...p, hashSize: spec.hashSize };
}

export function createHasherFromSpec(spec: HasherSpec): Hasher {
  return createHasher(spec.name, specParams(spec));
}

/**
 * A stable id of a configuration, used as a cache key and as the key of hashes in results: the canonical
 * name and every parameter with defaults filled in, so "whash" and "wavelet:hashSize=16" share one key and
 * a change of product defaults can never make an old cache entry look current.
 */
export function hasherKey(spec: HasherSpec): string {
  const name = canonicalHasherName(spec.name);
  const p = resolveHasherParams(name, specParams(spec));
  const parts = Object.entries(p).map(([k, v]) => `${k}=${v}`);
  return parts.length ? `${name}:${parts.join(',')}` : name;
}

export interface HasherInfo {
  readonly name: string;
  readonly aliases: readonly string[];
  readonly description: string;
  readonly dtype: HashDtype;
  readonly distanceMetric: DistanceMetric;
  readonly hashLength: number; // with default parameters
  readonly defaultThreshold: number; // for the default configuration
  readonly params: readonly ParamSpec[];
}

export function listHashers(): HasherInfo[] {
  return ENTRIES.map((e) => {
    const h = e.create(resolveHasherParams(e.name));
    return {
      name: e.name,
      aliases: e.aliases,
      description: e.description,
      dtype: h.dtype,
      distanceMetric: h.distanceMetric,
      hashLength: h.hashLength,
      defaultThreshold: h.defaultThreshold,
      params: e.params,
    };
  });
}

/** perception's recommended thresholds ("<1% false positives"), for the configurations its table covers. */
export const PERCEPTION_THRESHOLDS: Readonly<Record<string, number>> = {
  ahash: 0.008, // ahash16
  blockmean: 0.008,
  dhash: 0.07, // dhash16
  marrhildreth: 0.1,
  pdq: 0.2,
  phash: 0.2, // phash16
  wavelet: 0.02, // wavelet16
};
