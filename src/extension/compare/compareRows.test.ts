import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compareRows, compareTitle, datasetCandidates } from './compareRows.js';

const result = {
  searched: 40,
  hashers: [{ label: 'phash:16', threshold: 0.2, search: 'exact' }],
  files: [
    { path: 'incoming/a.jpg', matches: [] },
    {
      path: 'incoming/b.jpg',
      matches: [
        { path: 'train/b.jpg', distance: 0, hasher: 'phash:16' },
        { path: 'val/b2.jpg', distance: 0.0625, hasher: 'phash:16' },
      ],
    },
  ],
  skipped: [{ path: 'incoming/bad.jpg', code: 'CORRUPT_IMAGE' as const, message: 'not a JPEG' }],
};

describe('compareRows: what Check Files Against Dataset shows', () => {
  it('lists matched files first with every match nearest first, then new files, then skipped files with their code', () => {
    const rows = compareRows(result);
    assert.deepEqual(
      rows.map((r) => [r.file, r.description, r.nearest]),
      [
        ['incoming/b.jpg', 'in the dataset: 2 matches', 'train/b.jpg'],
        ['incoming/a.jpg', 'new: no match', undefined],
        ['incoming/bad.jpg', 'skipped: CORRUPT_IMAGE', undefined],
      ],
    );
    assert.equal(rows[0]!.detail, 'train/b.jpg (0.000, phash:16) · val/b2.jpg (0.063, phash:16)');
    assert.equal(compareTitle(result, 'data'), '1 of 2 new files already in data (40 files; phash:16 < 0.2)');
  });

  it('offers each scanned folder once, workspace folders first', () => {
    const scanned = new Set(['/ws', '/ws/sub']);
    assert.deepEqual(
      datasetCandidates(['/ws', '/other'], '/ws/sub', (d) => scanned.has(d)),
      ['/ws', '/ws/sub'],
    );
    assert.deepEqual(
      datasetCandidates(['/ws'], '/ws', (d) => scanned.has(d)),
      ['/ws'],
    );
    assert.deepEqual(
      datasetCandidates(['/other'], undefined, (d) => scanned.has(d)),
      [],
    );
  });
});
