import { test } from 'node:test';
import assert from 'node:assert/strict';
import { COLOR_SIGNATURE_BYTES, decodeColorSignature, encodeColorSignature } from '../hashers/colorSignature.js';
import { verifyPairs } from '../colorcheck/verifyPairs.js';
import { xorshift32 } from '../testing/plantedHashes.js';
import { bundleWorkers } from '../testing/workerBundles.js';
import type { Pair } from '../types.js';
import { checkPairColors } from './colorStage.js';

/**
 * Signatures of 60 pictures, some exact copies of others (same string), some slightly changed (kept by
 * the check), some recoloured (dropped), one file without a signature; pairs between all of them, some
 * with a transform. The stage must give verifyPairs' own result, in order, however it shares the work.
 */
function scenario(): { pairs: Pair[]; colors: Map<string, string | undefined> } {
  const next = xorshift32(7);
  const base = Array.from({ length: 20 }, () => Uint8Array.from({ length: COLOR_SIGNATURE_BYTES }, () => next() & 0xff));
  const colors = new Map<string, string | undefined>();
  base.forEach((b, i) => {
    colors.set(`p${i}/orig.jpg`, encodeColorSignature(b));
    colors.set(`p${i}/copy.jpg`, encodeColorSignature(b)); // identical picture: the same question as orig
    colors.set(`p${i}/jpeg.jpg`, encodeColorSignature(b.map((v) => Math.max(0, Math.min(255, v + ((next() % 5) - 2))))));
    colors.set(`p${i}/recolour.jpg`, encodeColorSignature(b.map((v, k) => (k % 3 === 0 ? 255 - v : v))));
  });
  colors.set('p0/none.jpg', undefined);
  colors.set('p1/bad.jpg', 'not a signature');
  const paths = [...colors.keys()].sort();
  const transforms = [undefined, undefined, undefined, 'fh', 'r90'];
  const pairs: Pair[] = [];
  for (let i = 0; i < paths.length; i++)
    for (let j = i + 1; j < paths.length; j++) {
      if (paths[i].split('/')[0] !== paths[j].split('/')[0] && next() % 8 !== 0) continue;
      const t = transforms[next() % transforms.length];
      pairs.push({ a: paths[i], b: paths[j], distance: (next() % 50) / 256, hasher: 'phash16', ...(t ? { transform: t } : {}) });
    }
  return { pairs, colors };
}

function reference(pairs: readonly Pair[], colors: ReadonlyMap<string, string | undefined>) {
  return verifyPairs(pairs, (p) => decodeColorSignature(colors.get(p)));
}

test('checkPairColors: verifyPairs decisions, in order, on one thread (each question asked once)', async () => {
  const { pairs, colors } = scenario();
  const want = reference(pairs, colors);
  assert.ok(want.rejected > 20 && want.kept.length > 20 && want.unchecked > 0, JSON.stringify({ ...want, kept: want.kept.length }));
  const got = await checkPairColors(pairs, (p) => colors.get(p), { threads: 1 });
  assert.deepEqual(got, want);
});

test('checkPairColors: the same with the questions shared out between this thread and worker threads', async () => {
  const { pairs, colors } = scenario();
  const want = reference(pairs, colors);
  const workers = await bundleWorkers();
  try {
    for (const threads of [2, 3]) {
      const got = await checkPairColors(pairs, (p) => colors.get(p), { threads, workerDir: workers.dir, parallelMin: 1 });
      assert.deepEqual(got, want, `${threads} threads`);
    }
  } finally {
    workers.remove();
  }
});

test('checkPairColors: no pairs, or no signatures at all', async () => {
  assert.deepEqual(await checkPairColors([], () => undefined), { kept: [], rejected: 0, unchecked: 0 });
  const pairs: Pair[] = [{ a: 'a', b: 'b', distance: 0, hasher: 'phash16' }];
  assert.deepEqual(await checkPairColors(pairs, () => undefined, { threads: 2, parallelMin: 0 }), { kept: pairs, rejected: 0, unchecked: 1 });
});
