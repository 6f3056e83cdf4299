import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { cancelledMessage, finishedMessage, formatEta, identicalCopies, progressMessage } from './progressText.js';

describe('progress text', () => {
  it('shows each phase with its own count, rate and time left (or time spent)', () => {
    assert.equal(
      progressMessage({ phase: 'hash', done: 1200, total: 9000, cached: 200, ratePerSec: 812.4, etaSec: 95 }, { etaSec: 95 }),
      'Hashing images · 1,200 / 9,000 (200 from the cache) · 812 files/s · about 1 min 35 s left',
    );
    assert.equal(progressMessage({ phase: 'video', done: 2, total: 9, ratePerSec: 0.25 }), 'Hashing videos · 2 / 9 · 15.0 videos/min');
    assert.equal(progressMessage({ phase: 'walk', done: 0, total: 0 }), 'Listing files');
    assert.equal(progressMessage({ phase: 'walk', done: 4100, total: 0 }), 'Listing files · 4,100 found');
    assert.equal(progressMessage({ phase: 'search', done: 0, total: 330 }, { elapsedSec: 12.2 }), 'Finding pairs among 330 files · 13 s so far');
    assert.equal(progressMessage({ phase: 'verify', done: 0, total: 1 }), 'Checking colours of 1 pair');
    assert.equal(progressMessage({ phase: 'cluster', done: 0, total: 54285 }), 'Grouping 54,285 pairs into clusters');
    assert.equal(formatEta(42.2), '43 s');
    assert.equal(formatEta(120), '2 min');
  });

  it('ends a cancel with the hashes kept, and a finished scan with its counts', () => {
    assert.equal(cancelledMessage({ hashed: 40, cached: 2 }), 'Cancelled: 42 hashes kept; scan again to resume');
    assert.equal(cancelledMessage({ hashed: 0, cached: 0 }), 'Cancelled before any file was hashed; nothing to keep');
    assert.equal(
      finishedMessage({ files: 12, hashed: 2, cached: 10, skipped: 1, pairs: 1, seconds: 3.2 }),
      'Scan finished in 4 s: 1 duplicate pair among 12 files (10 from the cache), 1 skipped',
    );
  });

  it('a scan whose copies are all in identical-hash groups says how many copies, never just "0 duplicate pairs"', () => {
    const copies = identicalCopies({
      identical: [
        ['a', 'b', 'c'],
        ['d', 'e'],
      ],
    });
    assert.equal(copies, 3);
    assert.equal(identicalCopies({}), 0);
    assert.equal(
      finishedMessage({ files: 5, hashed: 5, cached: 0, skipped: 0, pairs: 0, seconds: 1 }, copies),
      'Scan finished in 1 s: 0 duplicate pairs and 3 identical copies among 5 files',
    );
  });
});
