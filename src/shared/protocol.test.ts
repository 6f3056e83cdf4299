import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fileUri, isHostMessage, MAX_THUMB_REQUEST, parseWebviewMessage } from './protocol.js';

describe('protocol: messages from the webview are validated', () => {
  it('accepts every well-formed message', () => {
    for (const m of [
      { type: 'ready' },
      { type: 'pairs/decide', index: 3, action: 'keep-a' },
      { type: 'pairs/decide', index: 0, action: 'undo' },
      { type: 'thumbs/request', files: [0, 1, 2] },
      { type: 'frames/request', file: 3, at: 1.5 },
      { type: 'history/step', direction: 'redo' },
      { type: 'clusters/act', action: 'keep-this', cluster: 2, file: 5 },
      { type: 'clusters/act', action: 'not-duplicates', cluster: 0 },
      { type: 'clusters/accept', clusters: [0, 3] },
      { type: 'skipped/show' },
      { type: 'file/copyPath', file: 1 },
      { type: 'file/findSimilar', file: 0 },
      { type: 'file/open', file: 7 },
      { type: 'file/reveal', file: 7 },
      { type: 'manifest/write' },
      { type: 'manifest/open' },
      { type: 'files/trash' },
      { type: 'metrics/report', name: 'firstPair', ms: 12.5 },
    ]) {
      const r = parseWebviewMessage(m);
      assert.ok(r.ok, `${JSON.stringify(m)}: ${r.ok ? '' : r.error}`);
      assert.deepEqual(r.message, m);
    }
  });

  it('rejects anything else with a reason', () => {
    const bad: [unknown, RegExp][] = [
      [null, /expected an object/],
      ['ready', /expected an object/],
      [[{ type: 'ready' }], /expected an object/],
      [{}, /unknown message type/],
      [{ type: 'pairs/delete', index: 1 }, /unknown message type "pairs\/delete"/],
      [{ type: '__proto__' }, /unknown message type/],
      [{ type: 'toString' }, /unknown message type/],
      [{ type: 'ready', extra: 1 }, /unexpected field "extra"/],
      [{ type: 'pairs/decide', index: -1, action: 'keep-a' }, /index/],
      [{ type: 'pairs/decide', index: 1.5, action: 'keep-a' }, /index/],
      [{ type: 'pairs/decide', index: '1', action: 'keep-a' }, /index/],
      [{ type: 'pairs/decide', index: 1, action: 'delete' }, /action must be one of/],
      [{ type: 'thumbs/request', files: [1, 'x'] }, /files/],
      [{ type: 'frames/request', file: 1, at: -1 }, /at must be/],
      [{ type: 'frames/request', file: 1, at: Number.NaN }, /at must be/],
      [{ type: 'frames/request', file: -1, at: 1 }, /file must be/],
      [{ type: 'thumbs/request', files: Array.from({ length: MAX_THUMB_REQUEST + 1 }, (_, i) => i) }, /at most/],
      [{ type: 'file/open', file: '../../etc/passwd' }, /file must be/],
      [{ type: 'metrics/report', name: 'firstPair', ms: Number.NaN }, /ms out of range/],
      [{ type: 'metrics/report', name: 'other', ms: 1 }, /unknown metric/],
      [{ type: 'history/step', direction: 'sideways' }, /undo or redo/],
      [{ type: 'clusters/act', action: 'delete-all', cluster: 0 }, /action must be one of/],
      [{ type: 'clusters/act', action: 'keep-this', cluster: 0 }, /needs a file/],
      [{ type: 'clusters/act', action: 'accept', cluster: -1 }, /cluster/],
      [{ type: 'clusters/accept', clusters: ['0'] }, /clusters must be/],
    ];
    for (const [m, re] of bad) {
      const r = parseWebviewMessage(m);
      assert.equal(r.ok, false, JSON.stringify(m));
      assert.match((r as { error: string }).error, re);
    }
  });

  it('recognises host messages and nothing else', () => {
    assert.ok(isHostMessage({ type: 'gallery/init', init: {} }));
    assert.ok(isHostMessage({ type: 'scan/status', state: 'running', rootName: 'x', text: '' }));
    assert.ok(isHostMessage({ type: 'files/versions', items: [] }));
    assert.ok(isHostMessage({ type: 'decisions/state', state: {} }));
    assert.ok(!isHostMessage({ type: 'ready' }));
    assert.ok(!isHostMessage('gallery/init'));
  });

  it('joins webview URIs segment by segment, encoding each', () => {
    const base = 'https://file+.vscode-resource.vscode-cdn.net/data/set';
    assert.equal(fileUri(base, 'a/b c.jpg'), `${base}/a/b%20c.jpg`);
    assert.equal(fileUri(`${base}/`, 'x.jpg'), `${base}/x.jpg`);
    assert.equal(fileUri(base, 'v/<img src=x>#?.jpg'), `${base}/v/%3Cimg%20src%3Dx%3E%23%3F.jpg`);
    assert.equal(fileUri(base, '100%.png'), `${base}/100%25.png`);
  });

  it('adds the version as a query, so a changed file gets a new URI', () => {
    const base = 'https://file+.vscode-resource.vscode-cdn.net/data';
    assert.equal(fileUri(base, 'a b.jpg', '3e8-lz8x0v'), `${base}/a%20b.jpg?version=3e8-lz8x0v`);
    assert.notEqual(fileUri(base, 'a.jpg', '1-1'), fileUri(base, 'a.jpg', '1-2'));
    assert.equal(fileUri(base, 'x?.jpg', 'v&1'), `${base}/x%3F.jpg?version=v%261`);
  });
});

describe('protocol: the initial state travels as columns', () => {
  it('decodes to exactly what was encoded', async () => {
    const { encodeInit, decodeInit } = await import('./protocol.js');
    const init = {
      baseUri: 'https://b',
      rootName: 'r',
      rootPath: '/r',
      manifestPath: '/r/m.json',
      hasher: 'phash16',
      threshold: 0.2,
      files: [
        { path: 'a.jpg', thumb: false, renderable: true, kind: 'image' as const, width: 1, height: 2, size: 3 },
        { path: 'b.tif', version: 'f4-lz8x0v', thumb: true, renderable: false, kind: 'image' as const, width: 4, height: 5, size: 6 },
        { path: 'c.mp4', thumb: false, renderable: true, kind: 'video' as const, width: 7, height: 8, size: 9 },
        { path: 'd.webm', thumb: true, renderable: true, kind: 'video' as const, width: 7, height: 8, size: 9, durationSec: 4.5 },
      ],
      pairs: [
        { a: 0, b: 1, distance: 0.01, hasher: 'phash16' },
        { a: 1, b: 2, distance: 0.1, hasher: 'dhash16', transform: 'r90' },
        {
          a: 2,
          b: 3,
          distance: 0.03,
          hasher: 'video:phash',
          transform: 'fh',
          frames: [
            { a: 0, b: 1.3, distance: 0.02 },
            { a: 1.5, b: 2.8, distance: 0.04 },
          ],
          offsetSec: 1.3,
        },
        { a: 2, b: 3, distance: 0.03, hasher: 'video:phash', frames: [], offsetSec: 0 },
        { a: 0, b: 1, distance: 0.31, hasher: 'phash16', via: 'flat' as const },
        { a: 0, b: 2, distance: 0.05, hasher: 'phash16', via: 'content-box' as const },
        { a: 1, b: 2, distance: 0.12, hasher: 'phash16', via: 'crop-window' as const },
      ],
      skipped: 1,
      cancelled: false,
      scanEndedAt: 42,
    };
    const wire = encodeInit(init);
    assert.equal(wire.pairs.hashers.length, 3);
    assert.deepEqual(wire.pairs.flat, [4]);
    assert.deepEqual([wire.pairs.contentBox, wire.pairs.cropWindow], [[5], [6]]);
    assert.deepEqual(decodeInit(JSON.parse(JSON.stringify(wire))), init);
  });
});
