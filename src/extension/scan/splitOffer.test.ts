import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { detectSplitFolders, splitOfferText } from './splitOffer.js';

describe('splitOffer: which folders look like dataset splits', () => {
  it('finds train/val/test and their other names, train first, as named on disk', () => {
    assert.deepEqual(detectSplitFolders(['test', 'cats', 'train', 'README']), ['train', 'test']);
    assert.deepEqual(detectSplitFolders(['Valid', 'Train', 'eval']), ['Train', 'Valid', 'eval']);
    assert.deepEqual(detectSplitFolders(['validation', 'training']), ['training', 'validation']);
  });

  it('offers nothing for one split folder or none', () => {
    assert.deepEqual(detectSplitFolders(['train', 'cats', 'dogs']), []);
    assert.deepEqual(detectSplitFolders([]), []);
  });

  it('names the folders in the question', () => {
    assert.match(splitOfferText('data', ['train', 'val']), /data has train, val folders/);
  });
});
