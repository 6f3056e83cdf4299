/**
 * Bit-exactness with perception on every reference image, for PHash (+F, +U8), DHash, AverageHash and
 * WaveletHash in the configurations of reference/perception/hashes.json.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { REFERENCE_DIR, sharedSkipReason } from '../../src/core/testing/dataDirs.js';
import { decodeForTests, rgbMd5 } from '../../src/core/testing/decodeForTests.js';
import { createPHash, createPHashF, createPHashU8 } from '../../src/core/hashers/phash.js';
import { createDHash } from '../../src/core/hashers/dhash.js';
import { createAverageHash } from '../../src/core/hashers/ahash.js';
import { createWaveletHash } from '../../src/core/hashers/wavelet.js';
import { decodeHash, encodeHash, vectorDistance } from '../../src/core/hashers/format.js';
import { dct2Block } from '../../src/core/cv/dct.js';
import type { Hasher } from '../../src/core/hashers/types.js';
import type { RgbImage } from '../../src/core/cv/types.js';

const CONFIGS = [
  'phash',
  'phash16',
  'phash_zauner',
  'phash16_eft_fs1',
  'phashf',
  'phashf16',
  'phashu8',
  'phashu8_16',
  'dhash',
  'dhash16',
  'ahash',
  'ahash16',
  'whash',
  'whash16',
];

// libjpeg (OpenCV) and libvips convert CMYK to RGB differently, so the hashers see other pixels.
const DECODER_DIFFERS: Record<string, string> = {
  'edge_cmyk.jpg': 'CMYK JPEG: libvips and libjpeg convert CMYK to RGB differently (known decoder difference, not a hasher one)',
};

interface HasherInfo {
  class: string;
  params: Record<string, number | boolean | string | null>;
}

/** Builds our hasher from perception's class name and constructor parameters. */
function hasherFromReference(info: HasherInfo): Hasher {
  const p = info.params;
  const phashOpts = {
    hashSize: p.hash_size as number,
    highfreqFactor: p.highfreq_factor as number,
    excludeFirstTerm: p.exclude_first_term as boolean,
    freqShift: p.freq_shift as number,
    boxFilter: p.box_filter as boolean,
  };
  switch (info.class) {
    case 'PHash':
      return createPHash(phashOpts);
    case 'PHashF':
      return createPHashF(phashOpts);
    case 'PHashU8':
      return createPHashU8(phashOpts);
    case 'DHash':
      return createDHash({ hashSize: p.hash_size as number });
    case 'AverageHash':
      return createAverageHash({ hashSize: p.hash_size as number });
    case 'WaveletHash':
      return createWaveletHash({ hashSize: p.hash_size as number });
    default:
      throw new Error(`no hasher for ${info.class}`);
  }
}

function listImages(dir: string): string[] {
  const out: string[] = [];
  for (const n of readdirSync(dir).sort()) {
    const p = join(dir, n);
    if (statSync(p).isDirectory()) out.push(...listImages(p));
    else out.push(p);
  }
  return out;
}

/** float32 hashes: scipy's FFT and our matrix DCT differ in the last bits, so compare relative to the vector's scale. */
function floatAgrees(got: Float32Array, want: Float32Array): { ok: boolean; maxRel: number } {
  let scale = 0;
  for (const v of want) scale = Math.max(scale, Math.abs(v));
  let maxRel = 0;
  for (let i = 0; i < want.length; i++) maxRel = Math.max(maxRel, Math.abs(got[i] - want[i]) / (scale || 1));
  return { ok: got.length === want.length && maxRel <= 1e-6, maxRel };
}

const skip = sharedSkipReason('reference/perception');

test('perception parity: PHash family, DHash, AverageHash, WaveletHash on every reference image', { skip }, async (t) => {
  const ref: Record<string, Record<string, string | null>> = JSON.parse(readFileSync(join(REFERENCE_DIR, 'hashes.json'), 'utf8'));
  const infos: Record<string, HasherInfo> = JSON.parse(readFileSync(join(REFERENCE_DIR, 'hashers_and_versions.json'), 'utf8')).hashers;
  const manifest: Record<string, { decoded_rgb_md5: string }> = JSON.parse(readFileSync(join(REFERENCE_DIR, 'manifest.json'), 'utf8'));
  const hashers = new Map(CONFIGS.map((c) => [c, hasherFromReference(infos[c])]));

  const stats = new Map(CONFIGS.map((c) => [c, { agree: 0, total: 0, worstFloat: 0, mismatched: [] as string[] }]));
  const skipped: string[] = [];
  const decodeMismatch: string[] = [];
  const files = listImages(join(REFERENCE_DIR, 'images'));
  assert.equal(files.length, Object.keys(ref).length, 'every image in hashes.json is on disk');

  for (const file of files) {
    const name = basename(file);
    const want = ref[name];
    assert.ok(want, `${name} has reference hashes`);
    const image: RgbImage = await decodeForTests(file);
    if (rgbMd5(image) !== manifest[name].decoded_rgb_md5) decodeMismatch.push(name);
    const reason = DECODER_DIFFERS[name];
    const distances: string[] = [];
    for (const config of CONFIGS) {
      const h = hashers.get(config)!;
      const got = h.compute(image);
      const w = want[config];
      if (reason) {
        if (got && w) distances.push(`${config} ${vectorDistance(got, decodeHash(w, h.dtype, h.hashLength), h.distanceMetric).toFixed(4)}`);
        continue;
      }
      const s = stats.get(config)!;
      s.total++;
      let ok: boolean;
      if (got === null || w === null) ok = got === null && w === null;
      else if (h.dtype === 'float32') {
        const r = floatAgrees(got as Float32Array, decodeHash(w, 'float32', h.hashLength) as Float32Array);
        s.worstFloat = Math.max(s.worstFloat, r.maxRel);
        ok = r.ok;
      } else ok = encodeHash(got, h.dtype) === w;
      if (ok) s.agree++;
      else s.mismatched.push(name);
    }
    if (reason) skipped.push(`${name} skipped (${reason}); distances to perception: ${distances.join(', ')}`);
  }

  const lines = CONFIGS.map((c) => {
    const s = stats.get(c)!;
    const extra = hashers.get(c)!.dtype === 'float32' ? ` (max relative difference ${s.worstFloat.toExponential(1)})` : '';
    return `  ${c.padEnd(16)} ${s.agree}/${s.total}${extra}${s.mismatched.length ? ` mismatched: ${s.mismatched.join(', ')}` : ''}`;
  });
  for (const line of ['agreement per configuration:', ...lines, ...skipped]) t.diagnostic(line);
  if (decodeMismatch.length) t.diagnostic(`decoded bytes differ from cv2.imread for: ${decodeMismatch.join(', ')}`);

  for (const c of CONFIGS) {
    const s = stats.get(c)!;
    assert.deepEqual(s.mismatched, [], `${c}: ${s.agree}/${s.total} agree`);
  }
});

test('dct2Block (folded) matches the unnormalised DCT-II definition, rows then columns', () => {
  for (const n of [7, 8, 32, 33]) {
    const x = Uint8Array.from({ length: n * n }, (_, i) => (i * 37 + (i % 7) * 11) % 256);
    const naive = (k: number, l: number): number => {
      let s = 0;
      for (let a = 0; a < n; a++) {
        for (let b = 0; b < n; b++)
          s += x[a * n + b] * 2 * Math.cos((Math.PI * l * (2 * b + 1)) / (2 * n)) * 2 * Math.cos((Math.PI * k * (2 * a + 1)) / (2 * n));
      }
      return s;
    };
    const off = n > 8 ? 1 : 0;
    const size = Math.min(5, n - off);
    const got = dct2Block(x, n, off, size);
    for (let i = 0; i < size; i++) {
      for (let j = 0; j < size; j++) {
        const want = naive(off + i, off + j);
        assert.ok(Math.abs(got[i * size + j] - want) <= 1e-9 * Math.max(1, Math.abs(naive(0, 0))), `n=${n} (${off + i}, ${off + j})`);
      }
    }
  }
});

test('hasher options are validated with a message naming the option', () => {
  assert.throws(() => createPHash({ hashSize: 1 }), /Expected an integer between 2 and 64 for hashSize but received 1/);
  assert.throws(() => createPHash({ hashSize: 8, freqShift: 25 }), /for freqShift but received 25/);
  assert.throws(() => createPHashU8({ excludeFirstTerm: 'yes' as unknown as boolean }), /Expected true or false for excludeFirstTerm/);
  assert.throws(() => createWaveletHash({ hashSize: 12 }), /Expected a power of 2 for hashSize but received 12/);
  assert.throws(() => createDHash({ hashSize: 1.5 }), /for hashSize but received 1.5/);
  assert.equal(createPHash({ hashSize: 16, excludeFirstTerm: true }).hashLength, 255);
});
