import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { FileView, PairView } from '../../src/shared/protocol.js';
import { baseName, folderOf, formatBytes, formatDistance, formatResolution } from '../../webview/format.js';
import { BINDINGS, commandForKey } from '../../webview/keymap.js';
import { sideVerdict } from '../../webview/labels.js';
import { DEFAULT_FILTER, History, histogram, isInFolder, nextAfterDecision, pairFolders, parsePersisted, visiblePairs } from '../../webview/model.js';

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

describe('keyboard triage', () => {
  it('maps the documented keys, ignoring modified ones', () => {
    assert.equal(commandForKey({ key: 'ArrowLeft' }), 'keep-left');
    assert.equal(commandForKey({ key: 'A' }), 'keep-left');
    assert.equal(commandForKey({ key: 'd' }), 'keep-right');
    assert.equal(commandForKey({ key: 'b' }), 'keep-both');
    assert.equal(commandForKey({ key: 'n' }), 'not-duplicate');
    assert.equal(commandForKey({ key: 's' }), 'not-duplicate');
    assert.equal(commandForKey({ key: 'Backspace' }), 'undo');
    assert.equal(commandForKey({ key: 'j' }), 'next');
    assert.equal(commandForKey({ key: 'ArrowUp' }), 'prev');
    assert.equal(commandForKey({ key: ' ' }), 'flicker');
    assert.equal(commandForKey({ key: 'o' }), 'overlay');
    assert.equal(commandForKey({ key: 'a', ctrlKey: true }), undefined);
    assert.equal(commandForKey({ key: 'p', metaKey: true }), undefined);
    assert.equal(commandForKey({ key: 'x' }), undefined);
  });

  it('binds no key twice and shows a hint for every command', () => {
    const keys = BINDINGS.flatMap((b) => b.keys);
    assert.equal(new Set(keys).size, keys.length);
    for (const b of BINDINGS) assert.ok(b.hint && b.label);
  });

  it('says which side a decision keeps', () => {
    assert.equal(sideVerdict('keep-a', 'left'), 'keep');
    assert.equal(sideVerdict('keep-a', 'right'), 'remove');
    assert.equal(sideVerdict('keep-b', 'left'), 'remove');
    assert.equal(sideVerdict('not-duplicate', 'right'), 'keep');
    assert.equal(sideVerdict('undecided', 'left'), '');
  });
});

describe('formatting', () => {
  it('formats sizes, distances, resolutions and paths', () => {
    assert.equal(formatBytes(512), '512 B');
    assert.equal(formatBytes(85_676), '84 KB');
    assert.equal(formatBytes(1_500_000), '1.4 MB');
    assert.equal(formatDistance(0.0234375), '0.023');
    assert.equal(formatDistance(12.5), '12.50');
    assert.equal(formatResolution(640, 480), '640×480');
    assert.equal(formatResolution(0, 0), 'unknown size');
    assert.equal(folderOf('a/b/c.jpg'), 'a/b');
    assert.equal(folderOf('c.jpg'), '.');
    assert.equal(baseName('a/b/c.jpg'), 'c.jpg');
  });
});

describe('video pairs in the gallery (pure)', () => {
  it('formats timestamps and tells GIFs (played as images) from videos', async () => {
    const { formatTime, playsAsImage } = await import('../../webview/format.js');
    assert.equal(formatTime(0), '0:00.0');
    assert.equal(formatTime(1.26), '0:01.3');
    assert.equal(formatTime(83.04), '1:23.0');
    assert.equal(formatTime(3723.5), '1:02:03.5');
    assert.equal(formatTime(-1.2), '-0:01.2');
    assert.equal(playsAsImage('a/clip.GIF'), true);
    assert.equal(playsAsImage('a/clip.mp4'), false);
  });

  it('lists every matched frame, or an even spread of a long list with both ends', async () => {
    const { framesToShow, frameLabel } = await import('../../webview/frameList.js');
    const frames = Array.from({ length: 500 }, (_, i) => ({ a: i, b: i + 1.5, distance: 0.01 }));
    assert.equal(framesToShow(frames.slice(0, 5)).length, 5);
    const shown = framesToShow(frames, 10);
    assert.equal(shown.length, 10);
    assert.equal(shown[0], frames[0]);
    assert.equal(shown[9], frames[499]);
    assert.ok(shown.every((f, i) => i === 0 || f.a > shown[i - 1]!.a));
    assert.equal(frameLabel({ a: 1, b: 2.3, distance: 0.03125 }), '0:01.0 ↔ 0:02.3 · 0.031');
  });

  it("carries a video pair's matched frames and offset from the scan to the webview", async () => {
    const { galleryFiles, galleryInit } = await import('../../src/extension/gallery/galleryModel.js');
    const { DEFAULT_SCAN_OPTIONS } = await import('../../src/core/scan/options.js');
    const file = (path: string, kind: 'image' | 'video') => ({
      path,
      kind,
      size: 10,
      mtimeMs: 0,
      width: 16,
      height: 9,
      fingerprint: 'f',
      ...(kind === 'video' ? { durationSec: 4 } : {}),
    });
    const result = {
      root: '/r',
      options: DEFAULT_SCAN_OPTIONS,
      files: [file('a.mp4', 'video'), file('b.webm', 'video')],
      skipped: [],
      pairs: [{ a: 'a.mp4', b: 'b.webm', distance: 0.03, hasher: 'video:phash', transform: 'fh', offsetSec: -1.2, frames: [{ a: 1.2, b: 0, distance: 0.02 }] }],
      clusters: [],
      stats: { files: 2, hashed: 2, cached: 0, skipped: 0, pairs: 1, clusters: 0, seconds: 0 },
      cancelled: false,
    };
    const files = galleryFiles(result);
    assert.deepEqual(
      files.files.map((f) => [f.kind, f.thumb, f.durationSec]),
      [
        ['video', true, 4],
        ['video', true, 4],
      ],
    );
    const init = galleryInit({ baseUri: 'b', result, statuses: ['undecided'], files, rootName: 'r', manifestPath: '/r/m.json', scanEndedAt: 0 });
    assert.deepEqual(init.pairs[0], {
      a: 0,
      b: 1,
      distance: 0.03,
      hasher: 'video:phash',
      transform: 'fh',
      status: 'undecided',
      frames: [{ a: 1.2, b: 0, distance: 0.02 }],
      offsetSec: -1.2,
    });
  });
});
