import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { FileView, PairView } from '../src/shared/protocol.js';
import { DEFAULT_FILTER, clusterOrder, histogram, isInFolder, nextAfterDecision, pairFolders, parsePersisted, visiblePairs, type PairFacts } from './model.js';

const file = (path: string, size = 1, width = 1): FileView => ({ path, thumb: false, renderable: true, kind: 'image', width, height: 1, size });
const files = [file('cats/a.jpg', 5), file('cats/b.jpg'), file('dogs/c.jpg', 1, 9), file('top.jpg'), file('dogs/x/d.jpg')];
const pair = (a: number, b: number, distance: number): PairView => ({ a, b, distance, hasher: 'phash16' });
const pairs = [pair(0, 1, 0.1), pair(0, 2, 0.02), pair(2, 4, 0.05), pair(3, 4, 0.15)];
/** Pairs 1 and 3 were decided by a person; pair 2's files are in a 4-file cluster. */
const facts: PairFacts = { reviewed: (i) => i === 1 || i === 3, clusterSize: (i) => (i === 2 ? 4 : i === 0 ? 2 : 0) };

describe('webview model (pure)', () => {
  it('filters by status, distance and folder, and sorts closest first (stable)', () => {
    assert.deepEqual(visiblePairs(pairs, files, DEFAULT_FILTER, 'distance'), [1, 2, 0, 3]);
    assert.deepEqual(visiblePairs(pairs, files, DEFAULT_FILTER, 'path'), [0, 1, 2, 3]);
    assert.deepEqual(visiblePairs(pairs, files, { ...DEFAULT_FILTER, status: 'undecided' }, 'path', facts), [0, 2]);
    assert.deepEqual(visiblePairs(pairs, files, { ...DEFAULT_FILTER, status: 'decided' }, 'path', facts), [1, 3]);
    // A decision made since the page loaded changes what "undecided" shows.
    assert.deepEqual(visiblePairs(pairs, files, { ...DEFAULT_FILTER, status: 'undecided' }, 'path', { ...facts, reviewed: (i) => i !== 2 }), [2]);
    assert.deepEqual(visiblePairs(pairs, files, { ...DEFAULT_FILTER, minDistance: 0.05, maxDistance: 0.1 }, 'path'), [0, 2]);
    assert.deepEqual(visiblePairs(pairs, files, { ...DEFAULT_FILTER, folder: 'dogs' }, 'path'), [1, 2, 3]);
    assert.deepEqual(visiblePairs(pairs, files, { ...DEFAULT_FILTER, folder: '.' }, 'path'), [3]);
    assert.equal(isInFolder('dogsled/a.jpg', 'dogs'), false);
  });

  it('sorts by folder, size, resolution and cluster size', () => {
    assert.deepEqual(visiblePairs(pairs, files, DEFAULT_FILTER, 'folder'), [3, 0, 1, 2]);
    assert.deepEqual(visiblePairs(pairs, files, DEFAULT_FILTER, 'size'), [0, 1, 2, 3]);
    assert.deepEqual(visiblePairs(pairs, files, DEFAULT_FILTER, 'resolution'), [1, 2, 0, 3]);
    assert.deepEqual(visiblePairs(pairs, files, DEFAULT_FILTER, 'cluster', facts), [2, 0, 1, 3]);
  });

  it('filters clusters by folder, distance and whether automatic verdicts are left', () => {
    const m = (f: number, distance: number, by: 'auto' | 'review' = 'auto') => ({ file: f, distance, decision: 'remove' as const, by, reason: '' });
    const clusters = [
      { keep: 0, keepBy: 'auto' as const, keepReason: '', members: [m(1, 0.1)], doubtful: [], conflicts: [] },
      { keep: 2, keepBy: 'review' as const, keepReason: '', members: [m(4, 0.05, 'review'), m(3, 0.02, 'review')], doubtful: [], conflicts: [] },
    ];
    assert.deepEqual(clusterOrder(clusters, files, DEFAULT_FILTER, 'path'), [0, 1]);
    assert.deepEqual(clusterOrder(clusters, files, { ...DEFAULT_FILTER, folder: 'dogs' }, 'distance'), [1]);
    assert.deepEqual(clusterOrder(clusters, files, { ...DEFAULT_FILTER, maxDistance: 0.06 }, 'distance'), [1]);
    assert.deepEqual(clusterOrder(clusters, files, { ...DEFAULT_FILTER, status: 'undecided' }, 'distance'), [0]);
    assert.deepEqual(clusterOrder(clusters, files, DEFAULT_FILTER, 'cluster'), [1, 0]);
    // Sorted like the pairs, by the kept file: closest first (farthest member 0.05 before 0.1), folder, size, resolution.
    assert.deepEqual(clusterOrder(clusters, files, DEFAULT_FILTER, 'distance'), [1, 0]);
    assert.deepEqual(clusterOrder(clusters, files, DEFAULT_FILTER, 'folder'), [0, 1]);
    assert.deepEqual(clusterOrder(clusters, files, DEFAULT_FILTER, 'size'), [0, 1]);
    assert.deepEqual(clusterOrder(clusters, files, DEFAULT_FILTER, 'resolution'), [1, 0]);
  });

  it('lists every folder (and its ancestors) holding a paired file', () => {
    assert.deepEqual(pairFolders(pairs, files), ['.', 'cats', 'dogs', 'dogs/x']);
  });

  it('moves to the next undecided pair after a decision, else the next one, else stays', () => {
    const status = [false, true, false, true];
    assert.equal(
      nextAfterDecision([0, 1, 2, 3], 0, (i) => status[i]!),
      2,
    );
    assert.equal(
      nextAfterDecision([0, 1, 2, 3], 2, (i) => status[i]!),
      3,
    );
    assert.equal(
      nextAfterDecision([0, 1, 2, 3], 3, (i) => status[i]!),
      3,
    );
  });

  it('bins distances with the threshold inside the chart', () => {
    const h = histogram([0, 0.05, 0.1, 0.19], 0.2, 10);
    assert.ok(h.hi > 0.2);
    assert.equal(
      h.counts.reduce((a, b) => a + b, 0),
      4,
    );
    assert.equal(h.max, 1);
    assert.equal(histogram([], 0, 4).hi, 1);
  });

  it('reads back only well-formed persisted state', () => {
    assert.deepEqual(parsePersisted(null), {});
    assert.deepEqual(
      parsePersisted({
        rootPath: '/d',
        current: 3,
        sort: 'path',
        view: 'clusters',
        filter: { status: 'decided', minDistance: 0.1, maxDistance: 'x', folder: 'a' },
      }),
      {
        rootPath: '/d',
        current: 3,
        sort: 'path',
        view: 'clusters',
        filter: { status: 'decided', minDistance: 0.1, maxDistance: null, folder: 'a' },
      },
    );
    assert.deepEqual(parsePersisted({ current: -1, sort: 'shuffle', view: 'grid' }), {});
  });
});
