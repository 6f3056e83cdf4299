import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  applyReview,
  assembleManifest,
  buildManifest,
  factsOf,
  manifestReader,
  measurementOf,
  pairStatus,
  pairVerdictFromManifest,
  serializeManifest,
  type Manifest,
} from './index.js';
import { parseManifestText, withHandEdits } from './io.js';
import { fakeResult } from '../testing/manifestFixtures.js';

const base = (): Manifest => buildManifest(fakeResult());
const decisionOf = (m: Manifest, path: string): [string, string] | undefined => {
  for (const c of m.clusters) {
    if (c.keep === path) return ['keep', 'anchor'];
    const x = c.members.find((y) => y.path === path);
    if (x) return [x.decision, x.by];
  }
  return undefined;
};

test('keep-a / keep-b: one file kept and the other removed, by review; pairStatus reads it from either side', () => {
  const m0 = base();
  assert.deepEqual(m0.remove, ['cats/a_copy.jpg', 'cats/a_small.jpg', 'dogs/d2.jpg']);
  // The person prefers the copy over the original the policy chose.
  const m1 = applyReview(m0, 'cats/a_copy.jpg', 'cats/a.jpg', 'keep-a');
  // a_small was measured as a copy of a only, not of a_copy: now that a_copy is kept it stays, flagged
  // (version 1 removed it through the chain).
  assert.deepEqual(m1.remove, ['cats/a.jpg', 'dogs/d2.jpg']);
  assert.match(m1.clusters[0].doubtful!.join(), /cats\/a_small\.jpg is only linked to cats\/a_copy\.jpg through cats\/a\.jpg/);
  assert.equal(m1.clusters[0].keep, 'cats/a_copy.jpg');
  assert.deepEqual(decisionOf(m1, 'cats/a.jpg'), ['remove', 'review']);
  assert.deepEqual(m1.reviews, [{ a: 'cats/a.jpg', b: 'cats/a_copy.jpg', decision: 'keep-b' }]);
  assert.equal(pairStatus(m1, 'cats/a_copy.jpg', 'cats/a.jpg'), 'keep-a');
  assert.equal(pairStatus(m1, 'cats/a.jpg', 'cats/a_copy.jpg'), 'keep-b');
  assert.equal(pairStatus(m1, 'dogs/d.jpg', 'dogs/d2.jpg'), 'undecided');
  // Pure: the input manifest is unchanged.
  assert.equal(serializeManifest(m0), serializeManifest(base()));
});

test('keep-both keeps both; not-duplicate unlinks the pair; undo restores the automatic decision', () => {
  const m0 = base();
  const both = applyReview(m0, 'dogs/d.jpg', 'dogs/d2.jpg', 'keep-both');
  assert.deepEqual(both.remove, ['cats/a_copy.jpg', 'cats/a_small.jpg']);
  assert.deepEqual(decisionOf(both, 'dogs/d2.jpg'), ['keep', 'review']);
  assert.equal(pairStatus(both, 'dogs/d2.jpg', 'dogs/d.jpg'), 'keep-both');

  const notDup = applyReview(both, 'dogs/d.jpg', 'dogs/d2.jpg', 'not-duplicate');
  assert.deepEqual(notDup.notDuplicates, [['dogs/d.jpg', 'dogs/d2.jpg']]);
  assert.deepEqual(notDup.reviews, []);
  assert.equal(notDup.clusters.length, 1, 'the dogs cluster is gone');
  assert.deepEqual(notDup.remove, ['cats/a_copy.jpg', 'cats/a_small.jpg']);
  assert.equal(pairStatus(notDup, 'dogs/d2.jpg', 'dogs/d.jpg'), 'not-duplicate');

  // Not a duplicate of the kept file, but still a duplicate of another member: stays removed.
  const partial = applyReview(m0, 'cats/a.jpg', 'cats/a_small.jpg', 'not-duplicate');
  assert.ok(!partial.remove.includes('cats/a_small.jpg'), 'a_small was linked only to a');
  const undone = applyReview(applyReview(notDup, 'dogs/d.jpg', 'dogs/d2.jpg', 'undo'), 'dogs/d2.jpg', 'dogs/d.jpg', 'undo');
  assert.equal(serializeManifest(undone), serializeManifest(m0));
});

test('review decisions survive a re-scan, and stay (orphaned) when their files are absent from it', () => {
  let m = base();
  m = applyReview(m, 'cats/a_copy.jpg', 'cats/a.jpg', 'keep-a');
  m = applyReview(m, 'dogs/d.jpg', 'dogs/d2.jpg', 'not-duplicate');
  const rescanned = buildManifest(fakeResult(), factsOf(JSON.parse(serializeManifest(m)) as Manifest));
  assert.equal(serializeManifest(rescanned), serializeManifest(m), 'same data + same decisions = same bytes');
  assert.deepEqual(rescanned.remove, ['cats/a.jpg']);

  // dogs/d2.jpg absent from the next scan (deleted, or its folder offline): version 1 dropped its
  // notDuplicates entry; now it is kept, the file is listed as orphaned with its last known record.
  const r = fakeResult();
  const without = fakeResult({ files: r.files.filter((f) => f.path !== 'dogs/d2.jpg'), pairs: r.pairs.filter((p) => p.b !== 'dogs/d2.jpg') });
  const next = buildManifest(without, factsOf(m), { previousFiles: m.files });
  assert.deepEqual(next.notDuplicates, [['dogs/d.jpg', 'dogs/d2.jpg']]);
  assert.deepEqual(next.orphaned, ['dogs/d2.jpg']);
  assert.equal(next.files.find((f) => f.path === 'dogs/d2.jpg')?.orphaned, true);
});

test('a reviewed pair stays linked when a re-scan no longer measures it (say, after lowering the threshold)', () => {
  const m = applyReview(base(), 'dogs/d.jpg', 'dogs/d2.jpg', 'keep-a');
  const r = fakeResult();
  const lower = buildManifest(fakeResult({ pairs: r.pairs.filter((p) => p.a !== 'dogs/d.jpg') }), m);
  assert.ok(lower.remove.includes('dogs/d2.jpg'));
  const member = lower.clusters.find((c) => c.keep === 'dogs/d.jpg')?.members[0];
  assert.deepEqual(member, { path: 'dogs/d2.jpg', distance: null, decision: 'remove', by: 'review', reason: 'removed by review (keep dogs/d.jpg)' });
});

test('decisions typed into the clusters by hand ("by": "review") are honoured on the next write', () => {
  const m = JSON.parse(serializeManifest(base())) as { clusters: { keep: string; members: { path: string; decision: string; by: string }[] }[] };
  const member = m.clusters[0].members.find((x) => x.path === 'cats/a_small.jpg')!;
  member.decision = 'keep';
  member.by = 'review';
  const next = withHandEdits(parseManifestText(JSON.stringify(m, null, 2), 'dedupe-manifest.json'), 'dedupe-manifest.json');
  assert.deepEqual(next.fileDecisions, [{ path: 'cats/a_small.jpg', decision: 'keep' }]);
  assert.ok(!next.remove.includes('cats/a_small.jpg'));
});

test('a file removed in favour of another stays removed when a review with a third file keeps both (keep-both is pair-local)', () => {
  // Version 1 let "keep" win, so the gallery showed a file as removed that the manifest kept; now the
  // removal holds and the keep-both pair says only that neither goes because of the other.
  let m = base();
  m = applyReview(m, 'cats/a.jpg', 'cats/a_copy.jpg', 'keep-a'); // a_copy removed
  m = applyReview(m, 'cats/a_copy.jpg', 'cats/a_small.jpg', 'keep-both');
  assert.ok(m.remove.includes('cats/a_copy.jpg'));
  assert.ok(!m.remove.includes('cats/a_small.jpg'));
  assert.deepEqual(pairVerdictFromManifest(m, 'cats/a_copy.jpg', 'cats/a_small.jpg'), { verdict: 'keep-both', by: 'review' });
  assert.deepEqual(pairVerdictFromManifest(m, 'cats/a_copy.jpg', 'cats/a.jpg'), { verdict: 'keep-right', by: 'review' });
});

test('applyReview rejects bad input with a clear message', () => {
  const m = base();
  assert.throws(() => applyReview(m, 'a.jpg', 'a.jpg', 'keep-a'), /Expected a file path other than "a.jpg" for b/);
  assert.throws(
    () => applyReview(m, 'a.jpg', 'b.jpg', 'delete' as never),
    /Expected one of keep-a, keep-b, keep-both, not-duplicate, undo for action but received "delete"/,
  );
});

test('pairVerdictFromManifest, from the file alone, says what decide said of every pair and file (reviewed, automatic, suggested, chained)', () => {
  let m = base();
  m = applyReview(m, 'cats/a_copy.jpg', 'cats/a.jpg', 'keep-a');
  m = applyReview(m, 'dogs/d.jpg', 'dogs/d2.jpg', 'keep-both');
  for (const mode of ['all', 'reviewed'] as const) {
    const built = assembleManifest(measurementOf(m), factsOf(m), { remove: mode });
    const reader = manifestReader(JSON.parse(serializeManifest(built.manifest)) as Manifest);
    for (const p of built.decisions.pairs) assert.deepEqual(reader.verdict(p.a, p.b), { verdict: p.verdict, by: p.by }, `${mode} ${p.a} ${p.b}`);
    for (const x of built.decisions.files) assert.equal(reader.decision(x.path), x.decision, x.path);
  }
});
