import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { removalSummary, trashQuestion } from './removals.js';

describe('removal counts, reviewed and automatic apart', () => {
  it('says both everywhere', () => {
    assert.equal(removalSummary({ remove: 12, removeReviewed: 3, removeAuto: 9, suggested: 0 }), '12 to remove: 3 reviewed, 9 automatic');
    assert.match(removalSummary({ remove: 3, removeReviewed: 3, removeAuto: 0, suggested: 4 }), /4 more proposed/);
    assert.equal(
      trashQuestion({ remove: 1, removeReviewed: 0, removeAuto: 1 }),
      'Move 1 file marked "remove" to the trash? 0 by review, 1 automatic (by the keep policy).',
    );
  });
});
