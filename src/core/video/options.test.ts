import { test } from 'node:test';
import assert from 'node:assert/strict';
import { resolveVideoHashOptions, resolveVideoMatchOptions, samplingRate } from './options.js';

test('bad video options fail at once with "Expected X for Y but received Z"', () => {
  assert.throws(() => resolveVideoHashOptions({ framesPerSecond: 0 }), /Expected a number between 0.001 and 240 for framesPerSecond but received 0/);
  assert.throws(() => resolveVideoHashOptions({ letterbox: 'yes' as never }), /Expected one of off, perception, bars for letterbox but received "yes"/);
  assert.throws(() => resolveVideoHashOptions({ compareWith: 'previous' as never }), /for compareWith/);
  assert.throws(() => resolveVideoHashOptions({ cropFraction: 0.2 }), /cropFraction \(0 = off\)/);
  assert.throws(() => resolveVideoMatchOptions({ minShare: 2 }), /Expected a number between 0 and 1 for minShare but received 2/);
  assert.equal(resolveVideoHashOptions({ cropFraction: 0, maxSide: 0 }).cropFraction, 0);
  const d = resolveVideoHashOptions();
  assert.equal(d.framesPerSecond, 1);
  assert.equal(d.compareWith, 'last-kept');
  assert.ok(Math.abs(resolveVideoMatchOptions({}, 0.2).strictThreshold - 0.045) < 1e-12);
});

test('short clips are sampled faster, on a whole fraction of their own frame rate', () => {
  assert.equal(samplingRate(1, 16, 100, 25), 1); // long video: the requested rate
  assert.equal(samplingRate(1, 16, 4, 25), 25 / 6); // needs 4 fps: every 6th frame (4.17 fps)
  assert.equal(samplingRate(1, 16, 0.64, 25), 25); // never faster than the file
  assert.equal(samplingRate(1, 0, 0.64, 25), 1); // minFrames 0: perception's behaviour
  assert.equal(samplingRate(1, 16, 2, 0), 8); // unknown rate
});
