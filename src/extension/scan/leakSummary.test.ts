import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { FileRecord, Pair, ScanOptions } from '../../core/types.js';
import { leakSummary } from './leakSummary.js';

const file = (path: string, split?: string): FileRecord =>
  ({ path, kind: 'image', size: 1, mtimeMs: 0, width: 1, height: 1, fingerprint: '', ...(split ? { split } : {}) }) as FileRecord;
const pair = (a: string, b: string): Pair => ({ a, b, distance: 0.01, hasher: 'phash16' });
const options = { splits: ['train', 'val', 'test'].map((name) => ({ name, glob: `${name}/**` })) } as unknown as ScanOptions;

describe('leakSummary: the line shown after a scan across splits', () => {
  it('counts leaks per split pair as check --splits does, and the files in no split', () => {
    const files = [
      file('test/a.jpg', 'test'),
      file('test/b.jpg', 'test'),
      file('train/a.jpg', 'train'),
      file('train/b.jpg', 'train'),
      file('val/a.jpg', 'val'),
    ];
    const pairs = [pair('test/a.jpg', 'train/a.jpg'), pair('test/b.jpg', 'train/b.jpg'), pair('train/a.jpg', 'val/a.jpg')];
    assert.equal(
      leakSummary({ options, files, pairs, outsideSplits: ['extra/x.jpg'] }),
      '3 leaks across splits (val↔train: 1, test↔train: 2; dropped from train); 1 file in no split left out',
    );
  });

  it('says nothing after a plain scan', () => {
    assert.equal(leakSummary({ options: {} as ScanOptions, files: [], pairs: [] }), undefined);
  });
});
