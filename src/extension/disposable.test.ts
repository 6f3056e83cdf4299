import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Disposable, disposeAll, MutableDisposable, ScheduledTask, timeout, toDisposable, type IDisposable } from './disposable.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

class Owner extends Disposable {
  own<T extends IDisposable>(d: T): T {
    return this._register(d);
  }
  get gone(): boolean {
    return this.isDisposed;
  }
}

describe('Disposable', () => {
  it('disposes what it registered, last first, once', () => {
    const log: string[] = [];
    const o = new Owner();
    o.own(toDisposable(() => log.push('a')));
    o.own(toDisposable(() => log.push('b')));
    o.dispose();
    o.dispose();
    assert.deepEqual(log, ['b', 'a']);
    assert.equal(o.gone, true);
  });

  it('disposes at once what is registered after it was disposed', () => {
    const o = new Owner();
    o.dispose();
    let n = 0;
    o.own(toDisposable(() => n++));
    assert.equal(n, 1);
  });

  it('goes on when one item throws, then rethrows the first error', () => {
    const log: string[] = [];
    const items = [
      toDisposable(() => log.push('a')),
      toDisposable(() => {
        throw new Error('first');
      }),
      toDisposable(() => {
        throw new Error('second');
      }),
    ];
    assert.throws(() => disposeAll(items), /second/);
    assert.deepEqual(log, ['a']);
    assert.equal(items.length, 0);
  });
});

describe('MutableDisposable', () => {
  it('disposes the value it replaces, and its value when disposed', () => {
    const log: string[] = [];
    const m = new MutableDisposable();
    m.value = toDisposable(() => log.push('one'));
    m.value = toDisposable(() => log.push('two'));
    assert.deepEqual(log, ['one']);
    m.dispose();
    assert.deepEqual(log, ['one', 'two']);
    m.value = toDisposable(() => log.push('late'));
    assert.deepEqual(log, ['one', 'two', 'late']);
    assert.equal(m.value, undefined);
  });
});

describe('timers that die with their owner', () => {
  it('timeout runs unless disposed first', async () => {
    let ran = 0;
    timeout(() => ran++, 1);
    timeout(() => ran++, 1).dispose();
    await sleep(20);
    assert.equal(ran, 1);
  });

  it('ScheduledTask runs once: after its delay, or soon when asked, never after dispose', async () => {
    let ran = 0;
    const early = new ScheduledTask(() => ran++, 10_000);
    early.soon();
    early.soon();
    await sleep(20);
    assert.equal(ran, 1, 'soon() runs it without waiting for the delay, once');
    new ScheduledTask(() => ran++, 5);
    await sleep(30);
    assert.equal(ran, 2);
    const cancelled = new ScheduledTask(() => ran++, 5);
    cancelled.dispose();
    cancelled.soon();
    await sleep(30);
    assert.equal(ran, 2);
  });
});
