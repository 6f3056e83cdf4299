import assert from 'node:assert/strict';
import { test } from 'node:test';
import { counted, formatCount } from './counted.js';
import { removalSummary, trashQuestion } from './removals.js';

test('counted: one format for every count (thousands separated) and the one plural rule', () => {
  assert.equal(formatCount(6214), '6,214');
  assert.equal(formatCount(999), '999');
  assert.equal(counted(1, 'pair'), '1 pair');
  assert.equal(counted(0, 'pair'), '0 pairs');
  assert.equal(counted(6214, 'pair'), '6,214 pairs');
  assert.equal(counted(2, 'identical copy', 'identical copies'), '2 identical copies');
  // The removal wording the header, the status bar and the trash dialog share writes its counts the same way.
  const t = { remove: 1500, removeReviewed: 1200, removeAuto: 300, suggested: 2000 };
  assert.equal(removalSummary(t), '1,500 to remove: 1,200 reviewed, 300 automatic · 2,000 more proposed (only reviewed removals count)');
  assert.match(trashQuestion(t), /^Move 1,500 files marked "remove" to the trash\? 1,200 by review, 300 automatic/);
});
