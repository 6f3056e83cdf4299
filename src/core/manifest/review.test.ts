import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyReview, buildManifest, pairStatus, serializeManifest, type Manifest } from './index.js';
import { fakeResult } from '../../../test/helpers/manifest-fixtures.js';

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
  assert.deepEqual(m1.remove, ['cats/a.jpg', 'cats/a_small.jpg', 'dogs/d2.jpg']);
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

test('review decisions survive a re-scan (buildManifest with the previous manifest), and vanish with their files', () => {
  let m = base();
  m = applyReview(m, 'cats/a_copy.jpg', 'cats/a.jpg', 'keep-a');
  m = applyReview(m, 'dogs/d.jpg', 'dogs/d2.jpg', 'not-duplicate');
  const rescanned = buildManifest(fakeResult(), JSON.parse(serializeManifest(m)) as Manifest);
  assert.equal(serializeManifest(rescanned), serializeManifest(m), 'same data + same decisions = same bytes');
  assert.deepEqual(rescanned.remove, ['cats/a.jpg', 'cats/a_small.jpg']);

  // dogs/d2.jpg deleted from the dataset: its notDuplicates entry goes with it.
  const r = fakeResult();
  const without = fakeResult({ files: r.files.filter((f) => f.path !== 'dogs/d2.jpg'), pairs: r.pairs.filter((p) => p.b !== 'dogs/d2.jpg') });
  assert.deepEqual(buildManifest(without, m).notDuplicates, []);
  // ... unless the scan was cancelled and simply did not see it.
  assert.deepEqual(buildManifest({ ...without, cancelled: true }, m).notDuplicates, [['dogs/d.jpg', 'dogs/d2.jpg']]);
});

test('a reviewed pair stays linked when a re-scan no longer measures it (say, after lowering the threshold)', () => {
  const m = applyReview(base(), 'dogs/d.jpg', 'dogs/d2.jpg', 'keep-a');
  const r = fakeResult();
  const lower = buildManifest(fakeResult({ pairs: r.pairs.filter((p) => p.a !== 'dogs/d.jpg') }), m);
  assert.ok(lower.remove.includes('dogs/d2.jpg'));
  const member = lower.clusters.find((c) => c.keep === 'dogs/d.jpg')?.members[0];
  assert.deepEqual(member, { path: 'dogs/d2.jpg', distance: null, decision: 'remove', by: 'review' });
});

test('decisions typed into the clusters by hand ("by": "review") are honoured on the next scan', () => {
  const m = JSON.parse(serializeManifest(base())) as { clusters: { keep: string; members: { path: string; decision: string; by: string }[] }[] };
  const member = m.clusters[0].members.find((x) => x.path === 'cats/a_small.jpg')!;
  member.decision = 'keep';
  member.by = 'review';
  const next = buildManifest(fakeResult(), m as unknown as Manifest);
  assert.deepEqual(next.reviews, [{ a: 'cats/a.jpg', b: 'cats/a_small.jpg', decision: 'keep-both' }]);
  assert.ok(!next.remove.includes('cats/a_small.jpg'));
});

test('when reviews disagree about a file, keeping wins', () => {
  let m = base();
  m = applyReview(m, 'cats/a.jpg', 'cats/a_copy.jpg', 'keep-a'); // a_copy removed
  m = applyReview(m, 'cats/a_copy.jpg', 'cats/a_small.jpg', 'keep-both'); // a_copy kept
  assert.ok(!m.remove.includes('cats/a_copy.jpg'));
});

test('applyReview rejects bad input with a clear message', () => {
  const m = base();
  assert.throws(() => applyReview(m, 'a.jpg', 'a.jpg', 'keep-a'), /Expected a file path other than "a.jpg" for b/);
  assert.throws(
    () => applyReview(m, 'a.jpg', 'b.jpg', 'delete' as never),
    /Expected one of keep-a, keep-b, keep-both, not-duplicate, undo for action but received "delete"/,
  );
});
