import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

describe('datasetOf: the scanned folder of an image for Find Similar Images', () => {
  it('finds the scanned folder an image belongs to, deepest first', async () => {
    const { datasetFor } = await import('./datasetOf.js');
    const scanned = new Set(['/ws', '/ws/data']);
    assert.equal(
      datasetFor('/ws/data/cats/1.jpg', ['/ws', '/ws/data'], (d) => scanned.has(d), '/'),
      '/ws/data',
    );
    assert.equal(
      datasetFor('/ws/other/1.jpg', ['/ws/data', '/ws'], (d) => scanned.has(d), '/'),
      '/ws',
    );
    assert.equal(
      datasetFor('/wsx/1.jpg', ['/ws'], () => true, '/'),
      undefined,
      'a prefix of the name is not a parent folder',
    );
    assert.equal(
      datasetFor('/ws/1.jpg', ['/ws'], () => false, '/'),
      undefined,
    );
  });

  it('asks for the configured hasher: its size unless fixed, its threshold when set', async () => {
    const { similarHasher } = await import('./datasetOf.js');
    assert.deepEqual(similarHasher({ hasher: 'phash', hashSize: 16, threshold: null }), { name: 'phash', hashSize: 16 });
    assert.deepEqual(similarHasher({ hasher: 'dhash', hashSize: 8, threshold: 0.1 }), { name: 'dhash', hashSize: 8, threshold: 0.1 });
    assert.deepEqual(similarHasher({ hasher: 'pdq', hashSize: 16, threshold: null }), { name: 'pdq' });
  });
});
