import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { pairsToReview, statusText } from './statusText.js';

describe('status bar text', () => {
  it('names the folder and the pairs no person has decided', () => {
    const reviewed = new Set(['a|b']);
    const state = {
      verdict: (a: string, b: string) => ({ verdict: 'keep-left' as const, by: reviewed.has(`${a}|${b}`) ? ('review' as const) : ('auto' as const) }),
    };
    const n = pairsToReview(state as never, [
      { a: 'a', b: 'b' },
      { a: 'a', b: 'c' },
      { a: 'c', b: 'd' },
    ]);
    assert.equal(n, 2);
    const t = { remove: 3, removeReviewed: 1, removeAuto: 2, suggested: 0, clusters: 2, doubtful: 0, conflicts: 0, orphaned: 0 };
    const s = statusText('photos', 1200, t);
    assert.equal(s.text, '$(copy) photos: 1,200 to review');
    assert.match(s.tooltip, /^Media Dedupe, photos: 1,200 pairs no one has decided yet; .*3.*; 2 clusters\. Click to open the gallery\.$/);
  });

  it('counts one of a thing in the singular, and conflicts as the files in them', () => {
    const t = { remove: 0, removeReviewed: 0, removeAuto: 0, suggested: 0, clusters: 1, doubtful: 0, conflicts: 3, orphaned: 0 };
    const s = statusText('photos', 1, t);
    assert.match(s.tooltip, /photos: 1 pair no one has decided yet; .*; 1 cluster, 3 files in conflict\. Click/);
  });
});
