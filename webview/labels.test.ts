import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { sideVerdict } from './labels.js';

describe('keyboard triage', () => {
  it('says which side a decision keeps', () => {
    assert.equal(sideVerdict('keep-a', 'left'), 'keep');
    assert.equal(sideVerdict('keep-a', 'right'), 'remove');
    assert.equal(sideVerdict('keep-b', 'left'), 'remove');
    assert.equal(sideVerdict('not-duplicate', 'right'), 'keep');
    assert.equal(sideVerdict('undecided', 'left'), '');
  });
});
