import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { splitOfFile } from './leaksView.js';

describe('leaksView: the split of a file for its chip', () => {
  const leaks = { splits: ['train', 'val'], fileSplit: [0, 1, -1] };
  it('names the split by index, none for a file in no split or without a split scan', () => {
    assert.equal(splitOfFile(leaks, 0), 'train');
    assert.equal(splitOfFile(leaks, 1), 'val');
    assert.equal(splitOfFile(leaks, 2), undefined);
    assert.equal(splitOfFile(leaks, 9), undefined);
    assert.equal(splitOfFile(undefined, 0), undefined);
  });
});
