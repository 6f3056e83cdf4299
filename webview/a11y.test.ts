import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { pairAnnouncement } from './a11y.js';

describe('a11y', () => {
  it('announces the position and the verdict', () => {
    assert.equal(pairAnnouncement(2, 120, 'kept left'), 'Pair 3 of 120, kept left');
  });
});
