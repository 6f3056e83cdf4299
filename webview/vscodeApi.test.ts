import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { hostMessage } from './vscodeApi.js';

describe('messages arriving at the page', () => {
  const parent = { name: 'the webview frame' };
  const own = { origin: 'vscode-webview://abc', parent };
  const init = { type: 'gallery/error', message: 'x' };

  it('takes host messages relayed by the parent frame to this origin', () => {
    assert.deepEqual(hostMessage({ origin: own.origin, source: parent, data: init }, own), init);
  });

  it('ignores other origins, other windows and anything not shaped like a host message', () => {
    assert.equal(hostMessage({ origin: 'https://evil.example', source: parent, data: init }, own), undefined);
    assert.equal(hostMessage({ origin: own.origin, source: { name: 'a frame inside the page' }, data: init }, own), undefined);
    assert.equal(hostMessage({ origin: own.origin, source: parent, data: { type: 'ready' } }, own), undefined);
    assert.equal(hostMessage({ origin: own.origin, source: parent, data: 'gallery/init' }, own), undefined);
  });
});
