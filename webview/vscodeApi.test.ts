import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { hostMessage, sayReady, type Timers } from './vscodeApi.js';

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

describe('ready until the host answers', () => {
  const fakeTimers = () => {
    let tick: (() => void) | undefined;
    const timers: Timers = {
      setInterval: (f) => ((tick = f), 1),
      clearInterval: () => (tick = undefined),
    };
    return { timers, tick: () => tick?.(), running: () => tick !== undefined };
  };

  it('says ready at once and again while the host is silent (an answer lost while the editor moved)', () => {
    const sent: string[] = [];
    const t = fakeTimers();
    const heard = sayReady((m) => sent.push(m.type), t.timers, 5000, 12);
    assert.deepEqual(sent, ['ready']);
    t.tick();
    t.tick();
    assert.deepEqual(sent, ['ready', 'ready', 'ready']);
    heard({ type: 'thumbs/ready', items: [] });
    t.tick();
    assert.equal(sent.length, 4, 'a thumbnail is no answer to ready');
    heard({ type: 'gallery/error', message: 'x' });
    assert.equal(t.running(), false, 'an answer stops the asking');
    t.tick();
    assert.equal(sent.length, 4);
  });

  it('gives up after the given number of tries', () => {
    const sent: string[] = [];
    const t = fakeTimers();
    sayReady((m) => sent.push(m.type), t.timers, 5000, 3);
    for (let i = 0; i < 10; i++) t.tick();
    assert.equal(sent.length, 3);
    assert.equal(t.running(), false);
  });
});
