import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fileLabel, verdictLabel } from './labels.js';

describe('verdict labels', () => {
  it('marks the keep policy’s verdicts apart from a person’s', () => {
    assert.equal(verdictLabel('keep-left', 'review'), 'kept left');
    assert.equal(verdictLabel('keep-left', 'auto'), 'auto: remove right');
    assert.equal(verdictLabel('keep-right', 'auto'), 'auto: remove left');
    assert.equal(verdictLabel('undecided', 'auto'), 'auto: undecided');
    assert.equal(verdictLabel('not-duplicate', 'review'), 'not a duplicate');
  });

  it('says who decided a file', () => {
    assert.equal(fileLabel('remove', 'auto'), 'remove · auto');
    assert.equal(fileLabel('keep', 'protect'), 'keep · protected');
    assert.equal(fileLabel('keep', 'auto', true), 'keep · auto proposes remove');
  });
});
