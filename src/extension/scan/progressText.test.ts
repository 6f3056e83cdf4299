import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatEta, progressMessage, ProgressTracker } from './progressText.js';

describe('progress text', () => {
  it('shows phase, counts, rate and time left', () => {
    assert.equal(
      progressMessage({ phase: 'hash', done: 1200, total: 9000, ratePerSec: 812.4, etaSec: 95 }),
      'Hashing · 1,200 / 9,000 · 812 files/s · about 1 min 35 s left',
    );
    assert.equal(progressMessage({ phase: 'walk', done: 0, total: 0 }), 'Listing files');
    assert.equal(formatEta(42.2), '43 s');
    assert.equal(formatEta(120), '2 min');
  });

  it('turns totals into increments, never going backwards', () => {
    const t = new ProgressTracker();
    assert.equal(t.increment({ phase: 'walk', done: 5, total: 0 }), undefined);
    assert.equal(t.increment({ phase: 'hash', done: 25, total: 100 }), 25);
    assert.equal(t.increment({ phase: 'hash', done: 25, total: 100 }), undefined);
    assert.equal(t.increment({ phase: 'hash', done: 100, total: 100 }), 75);
    assert.equal(t.increment({ phase: 'search', done: 1, total: 2 }), undefined);
  });
});
