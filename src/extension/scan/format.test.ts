import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatEta, plural } from './format.js';

describe("the scan messages' counts and durations", () => {
  it('writes a time left or spent in seconds, then minutes', () => {
    assert.equal(formatEta(42.2), '43 s');
    assert.equal(formatEta(120), '2 min');
    assert.equal(formatEta(95), '1 min 35 s');
  });

  it('writes a count with its noun, singular for one', () => {
    assert.equal(plural(1, 'file'), '1 file');
    assert.equal(plural(12400, 'file'), '12,400 files');
    assert.equal(plural(2, 'identical copy', 'identical copies'), '2 identical copies');
  });
});
