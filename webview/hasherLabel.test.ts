import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { hasherLabel } from './hasherLabel.js';

describe('hasher label', () => {
  it('names the hasher and its size, and says when it ran on video frames', () => {
    assert.equal(hasherLabel('video:phash:hashSize=16,highfreqFactor=4'), 'phash16 on video frames');
    assert.equal(hasherLabel('phash16'), 'phash16');
    assert.equal(hasherLabel('dhash:hashSize=8'), 'dhash8');
    assert.equal(hasherLabel('video:wavelet'), 'wavelet on video frames');
  });
});
