import { test } from 'node:test';
import assert from 'node:assert/strict';
import { xorshift32 } from '../testing/plantedHashes.js';
import { decide } from './decide.js';
import { DEFAULT_KEEP_POLICY } from './keepPolicy.js';
import { decisionsOfClusters, reusableClusters, scanDecideFiles, type ScanDecisions } from './scanDecisions.js';
import { NO_FACTS, type DecideEdge, type DecideFile, type DecideInput } from './types.js';

/** A random scan's decide input: files of a few sizes and formats, pairs among neighbours (chains), identical groups, protected files. */
function randomInput(seed: number, over: Partial<DecideInput> = {}): DecideInput {
  const next = xorshift32(seed);
  const pick = (n: number): number => next() % n;
  const n = 20 + pick(60);
  const records = Array.from({ length: n }, (_, i) => ({
    path: `${['a', 'b', 'c'][pick(3)]}/f${String(i).padStart(3, '0')}.${['jpg', 'png', 'webp'][pick(3)]}`,
    kind: 'image' as const,
    size: 1000 + pick(5) * 100,
    mtimeMs: 1_700_000_000_000 + pick(4) * 5000,
    width: [64, 128, 256][pick(3)],
    height: [48, 96, 192][pick(3)],
    fingerprint: `fp${pick(n)}`,
    ...(pick(4) === 0 ? { jpegQuality: 50 + pick(50) } : {}),
    ...(pick(6) === 0 ? { reencoded: true } : {}),
  }));
  const protect = pick(2) === 0 ? ['b/*1.*'] : [];
  const files = scanDecideFiles(records, protect);
  const edges: DecideEdge[] = [];
  for (let i = 0; i < n; i++)
    for (let j = i + 1; j < Math.min(n, i + 4); j++)
      if (pick(3) === 0) edges.push({ a: files[pick(2) === 0 ? i : j].path, b: files[pick(2) === 0 ? j : i].path, distance: pick(20) / 100 });
  // Repeats, in either order, with another distance: decide keeps the smallest.
  if (edges.length > 0) edges.push({ ...edges[0], a: edges[0].b, b: edges[0].a, distance: 0.01 });
  const identical = pick(2) === 0 ? [[files[0].path, files[1].path, files[2].path]] : [];
  return { files, edges, identical, facts: NO_FACTS, ...over };
}

const plain = <T>(x: T): unknown => JSON.parse(JSON.stringify(x));

test('decisionsOfClusters: the same Decisions as decide, for inputs without facts (random scans, strict, reviewed mode, other policies)', () => {
  for (let seed = 1; seed <= 60; seed++) {
    const variants: Partial<DecideInput>[] = [{}, { strict: true }, { removeMode: 'reviewed' }, { policy: ['largest', 'shortest-path'] }];
    for (const over of variants) {
      const input = randomInput(seed, over);
      const full = decide(input);
      const derived = decisionsOfClusters(input, full.clusters);
      assert.deepEqual(plain(derived), plain(full), `seed ${seed} ${JSON.stringify(over)}`);
      assert.deepEqual(Object.keys(derived), Object.keys(full));
    }
  }
});

test('reusableClusters: only for the input the scan decided (no facts, default settings, the same files)', () => {
  const input = randomInput(7);
  const d: ScanDecisions = { files: input.files, clusters: decide(input).clusters, strict: false };
  assert.equal(reusableClusters(d, { ...input, files: input.files.map((f) => ({ ...f })) }), d.clusters);
  assert.equal(reusableClusters(d, { ...input, policy: [...DEFAULT_KEEP_POLICY] }), d.clusters);
  assert.equal(reusableClusters(undefined, input), undefined);
  const other: Partial<DecideInput>[] = [
    { facts: { ...NO_FACTS, notDuplicates: [[input.files[0].path, input.files[1].path]] } },
    { facts: { ...NO_FACTS, reviews: [{ a: input.files[0].path, b: input.files[1].path, decision: 'keep-a' }] } },
    { facts: { ...NO_FACTS, fileDecisions: [{ path: input.files[0].path, decision: 'remove' }] } },
    { removeMode: 'reviewed' },
    { strict: true },
    { policy: ['largest'] },
    { dropOrder: ['train', 'val'] },
    { distance: () => null },
    { files: input.files.slice(1) },
    { files: input.files.map((f, i) => (i === 3 ? { ...f, group: 'a' } : f)) },
    { files: input.files.map((f, i) => (i === 3 ? { ...f, protectedBy: 'x/*' } : f)) },
    { files: input.files.map((f, i) => (i === 3 ? { ...f, durationSec: 1.0004 } : f)) },
    { files: [...input.files, { path: 'gone.jpg', size: 1, width: 1, height: 1, orphaned: true } as DecideFile] },
  ];
  for (const over of other) assert.equal(reusableClusters(d, { ...input, ...over }), undefined, JSON.stringify(Object.keys(over)));
});

/** The input in a manifest's paths (a manifest outside the scanned folder): one prefix on every path. */
function mapped(input: DecideInput, map: (p: string) => string): DecideInput {
  return {
    ...input,
    files: input.files.map((f) => ({ ...f, path: map(f.path) })),
    edges: input.edges.map((e) => ({ ...e, a: map(e.a), b: map(e.b) })),
    identical: (input.identical ?? []).map((g) => g.map(map)),
  };
}

test('reusableClusters with a path map: the clusters in the manifest’s paths, as decide gives them (chains, more than ten linked members, protected files)', () => {
  const map = (p: string): string => `../data/${p}`;
  let reused = 0;
  for (let seed = 1; seed <= 60; seed++) {
    for (const over of [{}, { strict: true }] as Partial<DecideInput>[]) {
      const input = randomInput(seed, over);
      const d: ScanDecisions = { files: input.files, clusters: decide(input).clusters, strict: over.strict === true };
      const m = mapped(input, map);
      const clusters = reusableClusters(d, m, map);
      assert.ok(clusters, `seed ${seed}`);
      reused++;
      assert.deepEqual(plain(decisionsOfClusters(m, clusters)), plain(decide(m)), `seed ${seed} ${JSON.stringify(over)}`);
    }
  }
  // A chain of 14 files: 12 members only linked through others (ten named, "and 2 more").
  const files = scanDecideFiles(
    Array.from({ length: 14 }, (_, i) => ({ path: `c/${String(i).padStart(2, '0')}.jpg`, fingerprint: `f${i}`, size: 100 + i, width: 64, height: 48 })),
    [],
  );
  const chain: DecideInput = { files, edges: files.slice(1).map((f, i) => ({ a: files[i].path, b: f.path, distance: 0.1 })), facts: NO_FACTS };
  const d: ScanDecisions = { files, clusters: decide(chain).clusters, strict: false };
  assert.ok(d.clusters[0].doubtful.some((t) => t.startsWith('and 2 more')));
  const m = mapped(chain, map);
  assert.deepEqual(plain(decisionsOfClusters(m, reusableClusters(d, m, map)!)), plain(decide(m)));
  assert.ok(reused > 0);
  // Paths that are not the map's: decided again.
  assert.equal(
    reusableClusters(
      d,
      mapped(chain, (p) => `x/${p}`),
      map,
    ),
    undefined,
  );
});
