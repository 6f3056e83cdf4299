import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decide } from '../decisions/decide.js';
import { NO_FACTS, type DecideEdge, type DecideFile } from '../decisions/types.js';
import { defaultDropFrom, dropOrderFor, dropOrderOf, formatLeakCounts, leakCounts, leaksOf } from './leaks.js';

const file = (path: string, width = 100): DecideFile => ({ path, size: 1000, width, height: width, split: path.split('/')[0] });

test('drop order: the training split first, then the others as listed; a pair of two other splits drops the one listed first', () => {
  const splits = ['val', 'train', 'test'].map((name) => ({ name, glob: `${name}/**` }));
  assert.equal(defaultDropFrom(splits), 'train');
  assert.equal(defaultDropFrom(splits.filter((s) => s.name !== 'train')), 'val');
  assert.deepEqual(dropOrderOf(splits, 'train'), ['train', 'val', 'test']);
  assert.deepEqual(dropOrderOf(splits, 'test'), ['test', 'val', 'train']);
});

test('drop order for a --drop-from: as set when it names a split; unset or a stale name from earlier splits gives the default', () => {
  const splits = ['val', 'train', 'test'].map((name) => ({ name, glob: `${name}/**` }));
  assert.deepEqual(dropOrderFor(splits, 'test'), ['test', 'val', 'train']);
  assert.deepEqual(dropOrderFor(splits, undefined), ['train', 'val', 'test']);
  assert.deepEqual(dropOrderFor(splits, 'holdout'), ['train', 'val', 'test']);
});

test('decide with a drop order: evaluation files are kept over bigger training files, and a chained training file that leaks still goes', () => {
  // test/a ~ val/a ~ train/a, but train/a is not within threshold of test/a (only chained through val/a).
  const files = [file('test/a.jpg', 50), file('val/a.jpg', 60), file('train/a.jpg', 400), file('train/b.jpg'), file('test/b.jpg')];
  const edges: DecideEdge[] = [
    { a: 'test/a.jpg', b: 'val/a.jpg', distance: 0.05 },
    { a: 'train/a.jpg', b: 'val/a.jpg', distance: 0.1 },
    { a: 'test/b.jpg', b: 'train/b.jpg', distance: 0.02 },
  ];
  const order = ['train', 'val', 'test'];
  const d = decide({ files, edges, facts: NO_FACTS, dropOrder: order });
  assert.deepEqual(d.remove, ['train/a.jpg', 'train/b.jpg', 'val/a.jpg']);
  const c = d.clusters.find((x) => x.keep === 'test/a.jpg')!;
  assert.match(c.keepReason, /in test: leaks are dropped from val first/);
  const chained = c.members.find((m) => m.path === 'train/a.jpg')!;
  assert.equal(chained.chained, true);
  assert.match(chained.reason, /removed: leaks into val: copy of val\/a\.jpg/);
  // Without the order the keep policy keeps the largest file, a training file, and an evaluation file goes.
  const plain = decide({ files, edges, facts: NO_FACTS });
  assert.ok(plain.remove.includes('val/a.jpg') && !plain.remove.includes('train/a.jpg'));

  const leaks = leaksOf(edges, (p) => p.split('/')[0], order, d, NO_FACTS);
  assert.deepEqual(
    leaks.map((l) => [l.a, l.b, l.drop, l.resolved]),
    [
      ['test/a.jpg', 'val/a.jpg', 'val/a.jpg', true],
      ['test/b.jpg', 'train/b.jpg', 'train/b.jpg', true],
      ['train/a.jpg', 'val/a.jpg', 'train/a.jpg', true],
    ],
  );
  assert.equal(formatLeakCounts(leakCounts(leaks, order)), 'val↔train: 1, test↔train: 1, test↔val: 1');
  // removeMode reviewed: nothing is dropped yet, so nothing is resolved; a keep-both review resolves its pair.
  const facts = { ...NO_FACTS, reviews: [{ a: 'test/b.jpg', b: 'train/b.jpg', decision: 'keep-both' as const }] };
  const reviewed = decide({ files, edges, facts, dropOrder: order, removeMode: 'reviewed' });
  assert.deepEqual(reviewed.remove, []);
  assert.deepEqual(
    leaksOf(edges, (p) => p.split('/')[0], order, reviewed, facts).map((l) => l.resolved),
    [false, true, false],
  );
});
