import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MIN_PHASE_MS, ProgressDisplay, type ProgressView } from './progressDisplay.js';

function harness() {
  let t = 0;
  const seen: ProgressView[] = [];
  const d = new ProgressDisplay(
    (v) => seen.push(v),
    () => t,
  );
  return { d, seen, at: (ms: number) => (t = ms), last: () => seen.at(-1)! };
}

describe('progress display', () => {
  it('never shows a phase shorter than 300 ms, and shows a longer one once it has lasted that long', () => {
    const { d, seen, at, last } = harness();
    d.update({ phase: 'walk', done: 10, total: 0 });
    at(MIN_PHASE_MS - 1);
    d.tick();
    assert.equal(seen.length, 0, 'the walk has not lasted 300 ms yet');
    d.update({ phase: 'hash', done: 0, total: 100 });
    at(MIN_PHASE_MS + 50);
    d.tick();
    assert.equal(seen.length, 0, 'the walk ended before 300 ms and the hashing has just begun');
    at(2 * MIN_PHASE_MS + 10);
    d.tick();
    assert.equal(last().phase, 'hash');
    assert.match(last().message, /^Hashing images · 0 \/ 100/);
  });

  it('counts the time left down between events and drops it once it has run out', () => {
    const { d, at, last } = harness();
    d.update({ phase: 'video', done: 0, total: 4 });
    at(1000);
    d.update({ phase: 'video', done: 1, total: 4, ratePerSec: 1, etaSec: 3 });
    assert.match(last().message, /about 3 s left$/);
    at(2500);
    d.tick();
    assert.match(last().message, /about 2 s left$/);
    at(9000);
    d.tick();
    assert.doesNotMatch(last().message, /left/, 'no "1 s left" for seconds on end');
    assert.match(last().message, /9 s so far$/);
  });

  it('gives each phase its share of the bar: a finished hashing phase is not a full bar', () => {
    const { d, seen, at } = harness();
    d.update({ phase: 'hash', done: 50, total: 100 });
    at(1000);
    d.update({ phase: 'hash', done: 100, total: 100 });
    d.update({ phase: 'search', done: 0, total: 100 });
    at(2000);
    d.tick();
    d.update({ phase: 'cluster', done: 0, total: 5 });
    at(3000);
    d.tick();
    const total = seen.reduce((s, v) => s + (v.increment ?? 0), 0);
    assert.ok(total < 100, `the bar is not full before the scan ends (${total})`);
    const afterHash = seen.filter((v) => v.phase === 'hash').reduce((s, v) => s + (v.increment ?? 0), 0);
    assert.ok(afterHash <= 64, `hashing fills its share only (${afterHash})`);
    assert.equal(seen.find((v) => v.phase === 'search')?.fraction, undefined, 'a phase without a count has no fraction');
  });

  it('stays on "Cancelling…" once Cancel is pressed, whatever the worker reports after', () => {
    const { d, at, last } = harness();
    d.update({ phase: 'hash', done: 5, total: 100 });
    d.cancelling();
    at(5000);
    d.update({ phase: 'search', done: 0, total: 5 });
    d.tick();
    assert.equal(last().phase, 'cancelling');
    assert.match(last().message, /^Cancelling…/);
  });
});
