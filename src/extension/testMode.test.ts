import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isTestMode, TEST_MODE_ENV } from './testMode.js';

describe('test mode', () => {
  it('is on only when the e2e test sets its variable to 1', () => {
    assert.equal(isTestMode({}), false);
    assert.equal(isTestMode({ [TEST_MODE_ENV]: '0' }), false);
    assert.equal(isTestMode({ [TEST_MODE_ENV]: 'true' }), false);
    assert.equal(isTestMode({ [TEST_MODE_ENV]: '1' }), true);
    assert.equal(TEST_MODE_ENV, 'MEDIA_DEDUPE_E2E');
  });
});
