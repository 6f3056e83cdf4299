import { test } from 'node:test';
import assert from 'node:assert/strict';
import { groupLabels } from './groups.js';
import { insideSplit, normalizeSplits, parseSplitArg, splitFolder, splitLabels, splitsFromNames } from './splits.js';

test('split rules: top-level names, NAME=GLOB, first matching rule wins, files in no split are undefined', () => {
  const rules = [...splitsFromNames('train, val'), parseSplitArg('test=images/test/**')];
  assert.deepEqual(rules, [
    { name: 'train', glob: 'train/**' },
    { name: 'val', glob: 'val/**' },
    { name: 'test', glob: 'images/test/**' },
  ]);
  assert.deepEqual(splitLabels(['train/cat/a.jpg', 'val/b.png', 'images/test/x/c.jpg', 'trainer/d.jpg', 'e.jpg', 'sub/train/f.jpg'], rules), [
    'train',
    'val',
    'test',
    undefined,
    undefined,
    undefined,
  ]);
  assert.throws(() => parseSplitArg('train'), /NAME=GLOB/);
  assert.throws(() => normalizeSplits([{ name: 'train', glob: 'train/**' }]), /two or more splits/);
  assert.throws(() => normalizeSplits([...rules, { name: 'val', glob: 'v/**' }]), /each split named once/);
  assert.throws(() => normalizeSplits([{ name: 'a b', glob: 'x/**' }, ...rules]), /split name/);
});

test('--group-by with splits groups by the folder inside the split (same class, different split)', () => {
  const rules = [parseSplitArg('train=images/train/**'), parseSplitArg('val=images/val/**')];
  assert.equal(splitFolder('images/train/**'), 'images/train/');
  assert.equal(splitFolder('train/*.jpg'), 'train/');
  const paths = ['images/train/cat/a.jpg', 'images/val/cat/b.jpg', 'images/val/dog/c.jpg'];
  const labels = splitLabels(paths, rules);
  const inside = insideSplit(rules, (p) => labels[paths.indexOf(p)]);
  assert.deepEqual(groupLabels(paths, 'folder', inside), ['cat', 'cat', 'dog']);
  assert.deepEqual(groupLabels(paths, 'parent', inside), ['cat', 'cat', 'dog']);
  assert.deepEqual(groupLabels(paths, 'folder'), ['images', 'images', 'images']);
});
