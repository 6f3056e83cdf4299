import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MIN_PHASE_MS, ProgressDisplay, progressMessage, type ProgressView } from './progressDisplay.js';

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

describe('progress text', () => {
  it('shows each phase with its own count, rate and time left (or time spent)', () => {
    assert.equal(
      progressMessage({ phase: 'hash', done: 1200, total: 9000, cached: 200, ratePerSec: 812.4, etaSec: 95 }, { etaSec: 95 }),
      'Hashing images · 1,200 / 9,000 (200 from the cache) · 812 files/s · about 1 min 35 s left',
    );
    assert.equal(progressMessage({ phase: 'video', done: 2, total: 9, ratePerSec: 0.25 }), 'Hashing videos · 2 / 9 · 15.0 videos/min');
    assert.equal(progressMessage({ phase: 'walk', done: 0, total: 0 }), 'Listing files');
    assert.equal(progressMessage({ phase: 'walk', done: 4100, total: 0 }), 'Listing files · 4,100 found');
    assert.equal(progressMessage({ phase: 'search', done: 0, total: 330 }, { elapsedSec: 12.2 }), 'Finding pairs among 330 files · 13 s so far');
    assert.equal(progressMessage({ phase: 'verify', done: 0, total: 1 }), 'Checking colours of 1 pair');
    assert.equal(progressMessage({ phase: 'cluster', done: 0, total: 54285 }), 'Grouping 54,285 pairs into clusters');
  });
});
