import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { makeNonce } from './nonce.js';

describe('gallery page: CSP and escaping', () => {
  it('makes a fresh, unguessable nonce each time', () => {
    const seen = new Set(Array.from({ length: 100 }, makeNonce));
    assert.equal(seen.size, 100);
    for (const n of seen) assert.match(n, /^[A-Za-z0-9_-]{24}$/);
  });
});
