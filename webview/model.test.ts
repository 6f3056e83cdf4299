import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { FileView, PairView } from '../src/shared/protocol.js';
import { DEFAULT_FILTER, History, histogram, isInFolder, nextAfterDecision, pairFolders, parsePersisted, visiblePairs } from './model.js';

const file = (path: string): FileView => ({ path, thumb: false, renderable: true, kind: 'image', width: 1, height: 1, size: 1 });
const files = [file('cats/a.jpg'), file('cats/b.jpg'), file('dogs/c.jpg'), file('top.jpg'), file('dogs/x/d.jpg')];
const pair = (a: number, b: number, distance: number, status: PairView['status'] = 'undecided'): PairView => ({ a, b, distance, hasher: 'phash16', status });
const pairs = [pair(0, 1, 0.1), pair(0, 2, 0.02, 'keep-a'), pair(2, 4, 0.05), pair(3, 4, 0.15, 'not-duplicate')];

describe('webview model (pure)', () => {
  it('filters by status, distance and folder, and sorts closest first (stable)', () => {
    assert.deepEqual(visiblePairs(pairs, files, DEFAULT_FILTER, 'distance'), [1, 2, 0, 3]);
    assert.deepEqual(visiblePairs(pairs, files, DEFAULT_FILTER, 'path'), [0, 1, 2, 3]);
    assert.deepEqual(visiblePairs(pairs, files, { ...DEFAULT_FILTER, status: 'undecided' }, 'path'), [0, 2]);
    assert.deepEqual(visiblePairs(pairs, files, { ...DEFAULT_FILTER, status: 'decided' }, 'path'), [1, 3]);
    assert.deepEqual(visiblePairs(pairs, files, { ...DEFAULT_FILTER, minDistance: 0.05, maxDistance: 0.1 }, 'path'), [0, 2]);
    assert.deepEqual(visiblePairs(pairs, files, { ...DEFAULT_FILTER, folder: 'dogs' }, 'path'), [1, 2, 3]);
    assert.deepEqual(visiblePairs(pairs, files, { ...DEFAULT_FILTER, folder: '.' }, 'path'), [3]);
    assert.equal(isInFolder('dogsled/a.jpg', 'dogs'), false);
  });

  it('lists every folder (and its ancestors) holding a paired file', () => {
    assert.deepEqual(pairFolders(pairs, files), ['.', 'cats', 'dogs', 'dogs/x']);
  });

  it('moves to the next undecided pair after a decision, else the next one, else stays', () => {
    const status = ['undecided', 'keep-a', 'undecided', 'keep-b'] as const;
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

  it('keeps an undo history with a limit', () => {
    const hist = new History(2);
    hist.push(1);
    hist.push(2);
    hist.push(3);
    assert.equal(hist.size, 2);
    assert.equal(hist.pop(), 3);
    assert.equal(hist.pop(), 2);
    assert.equal(hist.pop(), undefined);
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
    assert.deepEqual(parsePersisted({ current: -1, sort: 'size', view: 'grid' }), {});
  });
});
