import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { hostMessage } from './vscodeApi.js';

describe('messages arriving at the page', () => {
  const own = 'vscode-webview://abc';
  const init = { type: 'gallery/error', message: 'x' };

  it('takes host messages relayed to this origin', () => {
    assert.deepEqual(hostMessage({ origin: own, data: init }, own), init);
  });

  it('ignores other origins and anything not shaped like a host message', () => {
    assert.equal(hostMessage({ origin: 'https://evil.example', data: init }, own), undefined);
    assert.equal(hostMessage({ origin: 'null', data: init }, own), undefined);
    assert.equal(hostMessage({ origin: own, data: { type: 'ready' } }, own), undefined);
    assert.equal(hostMessage({ origin: own, data: 'gallery/init' }, own), undefined);
  });
});
