import { test } from 'node:test';
import assert from 'node:assert/strict';
import { COLOR_SIGNATURE_BYTES, colorSignature } from '../hashers/colorSignature.js';
import { transformGrid } from '../hashers/isometric.js';
import { ISOMETRIC_KEYS } from '../hashers/types.js';
import type { HashTable } from '../pairs/tablePairs.js';
import { patternPixels } from '../testing/images.js';
import type { Pair } from '../types.js';
import { FLAT_MAX_SPREAD, FLAT_TOLERANCE, findFlatPairs, flatDistance, isNearFlat, lumaSpread, standardGrid, type FlatPairsInput } from './flatPairs.js';
import { colorsAgree } from './verifyPairs.js';

/** A signature: every cell `rgb`, plus `f(cell)` added to all three channels. */
function sig(rgb: readonly [number, number, number], f: (cell: number) => number = () => 0): Uint8Array {
  const s = new Uint8Array(COLOR_SIGNATURE_BYTES);
  for (let k = 0; k < 256; k++) for (let c = 0; c < 3; c++) s[3 * k + c] = Math.max(0, Math.min(255, Math.round(rgb[c] + f(k))));
  return s;
}

/** Checkerboard of +-d: luma spread exactly d (each cell is d from the mean). */
const checker =
  (d: number) =>
  (k: number): number =>
    (k + (k >> 4)) % 2 === 0 ? d : -d;

/** A 256-bit hash string (base64) with the first `ones` bits set. */
function hash(ones: number): string {
  const b = Buffer.alloc(32);
  for (let i = 0; i < ones; i++) b[i >> 3] |= 0x80 >> (i & 7);
  return b.toString('base64');
}

function table(hashes: (string | null)[], extra: Partial<HashTable> = {}): HashTable {
  return { key: 'phash:hashSize=16', label: 'phash16', threshold: 0.2, dtype: 'bool', metric: 'hamming', length: 256, hashes, ...extra };
}

/** findFlatPairs on in-memory signatures; every image 64 x 64 (standard margin) unless `sizes` says otherwise. */
function run(sigs: Uint8Array[], opts: Partial<FlatPairsInput> & { hashes?: (string | null)[]; sizes?: { width: number; height: number }[] } = {}): Pair[] {
  const paths = sigs.map((_, i) => `img${String(i).padStart(3, '0')}.png`);
  const byPath = new Map(paths.map((p, i) => [p, i]));
  return findFlatPairs({
    paths,
    tables: opts.tables ?? [table(opts.hashes ?? sigs.map((_, i) => hash(i % 2 === 0 ? 0 : 128)))],
    isometric: opts.isometric ?? false,
    found: opts.found ?? [],
    ...(opts.groups ? { groups: opts.groups } : {}),
    signatureOf: (p) => sigs[byPath.get(p)!],
    sizeOf: (p) => opts.sizes?.[byPath.get(p)!] ?? { width: 64, height: 64 },
  }).pairs;
}

test('lumaSpread: 0 for a uniform signature, the cell deviation for a checkerboard; the gate is inclusive', () => {
  assert.equal(lumaSpread(sig([200, 10, 90])), 0);
  assert.ok(Math.abs(lumaSpread(sig([120, 120, 120], checker(4))) - 4) < 1e-9);
  assert.equal(isNearFlat(sig([120, 120, 120], checker(FLAT_MAX_SPREAD))), true);
  assert.equal(isNearFlat(sig([120, 120, 120], checker(FLAT_MAX_SPREAD + 1))), false);
  // A photo is far from flat.
  const photo = colorSignature({ data: new Uint8Array(patternPixels(3, 128, 96)), width: 128, height: 96 });
  assert.ok(lumaSpread(photo) > 4 * FLAT_MAX_SPREAD, `spread ${lumaSpread(photo)}`);
  assert.throws(() => lumaSpread(new Uint8Array(10)), RangeError);
});

test('flatDistance: RMS over every cell and channel; a uniform offset of d is d; permutations move b cells', () => {
  const a = sig([100, 100, 100], checker(3));
  assert.equal(flatDistance(a, a), 0);
  assert.ok(Math.abs(flatDistance(a, sig([103, 103, 103], checker(3))) - 3) < 1e-9);
  assert.ok(Math.abs(flatDistance(sig([0, 0, 0]), sig([0, 0, 6])) - Math.sqrt(12)) < 1e-9); // 6 in one channel of three
  const gradient = sig([100, 100, 100], (k) => (k % 16) - 8);
  const mirrored = transformGrid({ data: gradient, width: 16, height: 16 }, 3, 'fh').data;
  assert.ok(flatDistance(gradient, mirrored) > 5);
  const perm = transformGrid({ data: Uint8Array.from({ length: 256 }, (_, k) => k), width: 16, height: 16 }, 1, 'fh').data;
  assert.equal(flatDistance(gradient, mirrored, perm), 0);
});

test('standardGrid: a standard margin is returned as is; a tiny image (no margin) is resampled onto the central 7/8', () => {
  const s = sig([50, 60, 70], checker(2));
  assert.equal(standardGrid(s, 64, 64), s);
  assert.equal(standardGrid(s, 640, 480), s);
  // A 64 x 64 horizontal gradient and its 16 x 16 area-average: cell k of the small one covers a wider strip.
  const big = new Uint8Array(64 * 64 * 3);
  for (let y = 0; y < 64; y++) for (let x = 0; x < 64; x++) big.fill(40 + 3 * x, (y * 64 + x) * 3, (y * 64 + x) * 3 + 3);
  const small = new Uint8Array(16 * 16 * 3);
  for (let y = 0; y < 16; y++) for (let x = 0; x < 16; x++) small.fill(40 + 12 * x + 4.5, (y * 16 + x) * 3, (y * 16 + x) * 3 + 3);
  const sBig = colorSignature({ data: big, width: 64, height: 64 });
  const sSmall = colorSignature({ data: small, width: 16, height: 16 });
  const raw = flatDistance(sBig, sSmall);
  const aligned = flatDistance(standardGrid(sBig, 64, 64), standardGrid(sSmall, 16, 16));
  // What is left once aligned is the snapping of the big grid's cells to whole pixels (up to half a pixel, 1.5 levels here).
  assert.ok(raw > 6 && aligned < 2 && aligned < raw / 4, `unaligned ${raw}, aligned ${aligned}`);
  // Resampling keeps a uniform signature uniform.
  const u = standardGrid(sig([10, 20, 30]), 16, 16);
  assert.ok(Array.from(u).every((v, i) => Math.abs(v - [10, 20, 30][i % 3]) < 1e-9));
});

test('findFlatPairs pairs near-flat images whose signatures agree, with the real hash distance and via flat', () => {
  const a = sig([86, 86, 74], checker(4));
  const b = sig([87, 86, 75], checker(4));
  const pairs = run([a, b], { hashes: [hash(0), hash(80)] });
  assert.deepEqual(pairs, [{ a: 'img000.png', b: 'img001.png', distance: 80 / 256, hasher: 'phash16', via: 'flat' }]);
  // The smallest distance over the hashers that hashed both; a null hash takes a hasher out.
  const two = run([a, b], {
    tables: [table([hash(0), hash(80)]), table([hash(0), hash(60)], { label: 'dhash16' }), table([null, hash(0)], { label: 'ahash16' })],
  });
  assert.deepEqual(
    two.map((p) => [p.distance, p.hasher]),
    [[60 / 256, 'dhash16']],
  );
  // No hasher hashed both: nothing to report a distance with, no pair.
  assert.deepEqual(run([a, b], { hashes: [hash(0), null] }), []);
});

test('findFlatPairs tolerance edges: an RMS of exactly the tolerance pairs, a hair above does not', () => {
  const a = sig([100, 100, 100]);
  const atEdge = sig([100 + FLAT_TOLERANCE, 100 + FLAT_TOLERANCE, 100 + FLAT_TOLERANCE]);
  assert.equal(flatDistance(a, atEdge), FLAT_TOLERANCE);
  assert.equal(run([a, atEdge]).length, 1);
  const over = atEdge.slice();
  over[0] += 1; // one value of 768 one level further: RMS just above the tolerance
  assert.ok(flatDistance(a, over) > FLAT_TOLERANCE);
  assert.equal(run([a, over]).length, 0);
  // Same means, different patterns (two different foggy pictures): the pattern counts.
  assert.equal(run([sig([100, 100, 100], checker(3)), sig([100, 100, 100], checker(-3))]).length, 0);
});

test('findFlatPairs leaves out images that are not near-flat, even with identical signatures (emoji skin tones live there)', () => {
  const busy = sig([128, 128, 128], checker(FLAT_MAX_SPREAD + 2));
  assert.deepEqual(run([busy, busy.slice()]), []);
  const flat = sig([128, 128, 128], checker(FLAT_MAX_SPREAD - 1));
  assert.equal(run([flat, flat.slice()]).length, 1);
});

test('findFlatPairs never contradicts the colour check: a small coloured stamp within the RMS tolerance is not paired', () => {
  const page = sig([230, 220, 190]); // a cream page
  const stamped = page.slice();
  stamped.set([190, 200, 240], 3 * 120); // one cell turned blue (a small stamp): RMS about 2.4, a recolouring all the same
  const d = flatDistance(page, stamped);
  assert.ok(d <= FLAT_TOLERANCE, `distance ${d}`);
  assert.ok(!colorsAgree(page, stamped));
  assert.equal(run([page, stamped]).length, 0);
});

test('findFlatPairs skips pairs the hash search found, and pairs across --group-by groups', () => {
  const a = sig([40, 80, 120], checker(2));
  const b = sig([41, 80, 121], checker(2));
  const c = sig([40, 81, 120], checker(2));
  const found: Pair[] = [{ a: 'img000.png', b: 'img001.png', distance: 0.1, hasher: 'phash16' }];
  assert.deepEqual(
    run([a, b, c], { found }).map((p) => [p.a, p.b]),
    [
      ['img000.png', 'img002.png'],
      ['img001.png', 'img002.png'],
    ],
  );
  assert.deepEqual(
    run([a, b, c], { groups: ['x', 'y', 'x'] }).map((p) => [p.a, p.b]),
    [['img000.png', 'img002.png']],
  );
  assert.deepEqual(run([a, b, c], { groups: ['x', 'y', 'z'] }), []);
});

test("findFlatPairs with isometric matches a mirrored flat picture and reports the transform of b and that variant's hash distance", () => {
  const gradient = sig([90, 100, 110], (k) => ((k % 16) - 7.5) * 0.8);
  const mirrored = transformGrid({ data: gradient, width: 16, height: 16 }, 3, 'fh').data;
  assert.deepEqual(run([gradient, mirrored]), []);
  const iso = { r0: hash(128), fv: hash(120), fh: hash(20), r180: hash(120), r90: hash(120), r90fv: hash(120), r90fh: hash(120), r270: hash(120) };
  const t = table([hash(0), hash(128)], { isometric: [undefined, iso] });
  assert.deepEqual(run([gradient, mirrored], { isometric: true, tables: [t] }), [
    { a: 'img000.png', b: 'img001.png', distance: 20 / 256, hasher: 'phash16', transform: 'fh', via: 'flat' },
  ]);
});

test('findFlatPairs equals a brute-force oracle over every pair (candidate grid, mean bounds, groups, found pairs)', () => {
  let s = 7;
  const rnd = (): number => (s = (Math.imul(s, 1103515245) + 12345) >>> 0) / 2 ** 32;
  const bases: [number, number, number][] = [
    [30, 30, 30],
    [31, 32, 30],
    [128, 120, 100],
    [250, 250, 250],
    [90, 60, 60],
  ];
  const sigs: Uint8Array[] = [];
  for (let i = 0; i < 120; i++) {
    const b = bases[Math.floor(rnd() * bases.length)];
    const amp = rnd() * 14;
    const phase = Math.floor(rnd() * 3);
    sigs.push(
      sig(
        [b[0] + Math.round(rnd() * 4), b[1] + Math.round(rnd() * 4), b[2] + Math.round(rnd() * 4)],
        (k) => amp * Math.sin((k + phase) * 0.7) + (rnd() - 0.5) * 3,
      ),
    );
  }
  const groups = sigs.map((_, i) => (i % 7 === 0 ? 'other' : 'main'));
  const paths = sigs.map((_, i) => `img${String(i).padStart(3, '0')}.png`);
  const found: Pair[] = [{ a: paths[1], b: paths[2], distance: 0.1, hasher: 'phash16' }];
  for (const isometric of [false, true]) {
    const got = run(sigs, { groups, found, isometric }).map((p) => `${p.a} ${p.b} ${p.transform ?? 'r0'}`);
    const want: string[] = [];
    for (let i = 0; i < sigs.length; i++) {
      for (let j = i + 1; j < sigs.length; j++) {
        if (groups[i] !== groups[j] || !isNearFlat(sigs[i]) || !isNearFlat(sigs[j]) || (i === 1 && j === 2)) continue;
        let best = Infinity;
        let bestKey = 'r0';
        for (const key of isometric ? ISOMETRIC_KEYS : (['r0'] as const)) {
          const d = flatDistance(sigs[i], transformGrid({ data: sigs[j], width: 16, height: 16 }, 3, key).data);
          if (d < best) [best, bestKey] = [d, key];
        }
        if (best <= FLAT_TOLERANCE && colorsAgree(sigs[i], sigs[j], bestKey)) want.push(`${paths[i]} ${paths[j]} ${bestKey}`);
      }
    }
    assert.ok(want.length > 20, `the oracle should find pairs (${want.length})`);
    assert.deepEqual(got, want);
  }
});
