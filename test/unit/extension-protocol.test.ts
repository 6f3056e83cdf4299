import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { countUndecided, fileUri, isHostMessage, MAX_THUMB_REQUEST, parseWebviewMessage } from '../../src/shared/protocol.js';

describe('protocol: messages from the webview are validated', () => {
  it('accepts every well-formed message', () => {
    for (const m of [
      { type: 'ready' },
      { type: 'pairs/decide', index: 3, action: 'keep-a' },
      { type: 'pairs/decide', index: 0, action: 'undo' },
      { type: 'thumbs/request', files: [0, 1, 2] },
      { type: 'clusters/request' },
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
      [{ type: 'thumbs/request', files: Array.from({ length: MAX_THUMB_REQUEST + 1 }, (_, i) => i) }, /at most/],
      [{ type: 'file/open', file: '../../etc/passwd' }, /file must be/],
      [{ type: 'metrics/report', name: 'firstPair', ms: Number.NaN }, /ms out of range/],
      [{ type: 'metrics/report', name: 'other', ms: 1 }, /unknown metric/],
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

  it('counts undecided pairs', () => {
    assert.equal(countUndecided([{ status: 'undecided' }, { status: 'keep-a' }, { status: 'undecided' }]), 2);
  });
});
