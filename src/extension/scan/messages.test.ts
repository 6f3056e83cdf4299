import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { normalizeScanOptions } from '../../core/scan/options.js';
import { cancelledMessage, emptyFolderMessage, finishedMessage, foundSummary, identicalCopies, skippedTitle } from './messages.js';

describe('scan messages', () => {
  const options = normalizeScanOptions({});
  it('an empty folder says where the scan looked and what it looks for', () => {
    const m = emptyFolderMessage({ root: '/data/empty', files: [], skipped: [], cancelled: false, options })!;
    assert.match(m, /^No images or videos found under \/data\/empty; supported: \.jpg, \.jpeg, \.png, .* and \d+ more\.$/);
    assert.doesNotMatch(m, /0 files|0 duplicate/);
  });
  it('names the skipped files; says nothing when files were found or the scan was cancelled', () => {
    const skipped = [{ path: 'a.jpg', code: 'CORRUPT_IMAGE' as const, message: 'bad' }];
    assert.match(emptyFolderMessage({ root: '/d', files: [], skipped, cancelled: false, options })!, /1 file was skipped \(see "Skipped"\)\.$/);
    assert.equal(emptyFolderMessage({ root: '/d', files: [], skipped: [], cancelled: true, options }), undefined);
    const file = { path: 'a.jpg', kind: 'image', size: 1, mtimeMs: 0, width: 1, height: 1, fingerprint: '' } as const;
    assert.equal(emptyFolderMessage({ root: '/d', files: [file], skipped: [], cancelled: false, options }), undefined);
  });
  it('the Skipped picker counts its files with the one plural rule, not "file(s)"', () => {
    assert.equal(skippedTitle(1, 'photos'), '1 file skipped by the scan of photos (Enter reveals the file in the Explorer)');
    assert.match(skippedTitle(1204, 'photos'), /^1,204 files skipped by the scan of photos/);
    const many = Array.from({ length: 2 }, (_, k) => ({ path: `${k}.jpg`, code: 'CORRUPT_IMAGE' as const, message: 'bad' }));
    assert.match(emptyFolderMessage({ root: '/d', files: [], skipped: many, cancelled: false, options })!, /2 files were skipped/);
  });
  it('lists videos only when they are scanned', () => {
    const noVideos = normalizeScanOptions({ videos: false, include: ['png'] });
    assert.match(emptyFolderMessage({ root: '/d', files: [], skipped: [], cancelled: false, options: noVideos })!, /supported: \.png\.$/);
  });
});

describe('how a scan ended', () => {
  it('ends a cancel with the hashes kept, and a finished scan with its counts', () => {
    assert.equal(cancelledMessage({ hashed: 40, cached: 2 }), 'Cancelled: 42 hashes kept; scan again to resume');
    assert.equal(cancelledMessage({ hashed: 0, cached: 0 }), 'Cancelled before any file was hashed; nothing to keep');
    assert.equal(
      finishedMessage({ files: 12, hashed: 2, cached: 10, skipped: 1, pairs: 1, seconds: 3.2 }),
      'Scan finished in 4 s: 1 duplicate pair among 12 files (10 from the cache), 1 skipped',
    );
  });

  it('the status bar\'s summary writes every count the same way (it wrote "7,056 duplicate pairs among 1074 files")', () => {
    assert.equal(foundSummary({ files: 1074, skipped: 0, pairs: 7056 }, 0), '7,056 duplicate pairs among 1,074 files.');
    assert.equal(foundSummary({ files: 1, skipped: 1200, pairs: 0 }, 0), '0 duplicate pairs among 1 file, 1,200 skipped (see the log).');
    assert.equal(foundSummary({ files: 5, skipped: 0, pairs: 0 }, 3), '0 duplicate pairs and 3 identical copies among 5 files.');
  });

  it('a scan whose copies are all in identical-hash groups says how many copies, never just "0 duplicate pairs"', () => {
    const copies = identicalCopies({
      identical: [
        ['a', 'b', 'c'],
        ['d', 'e'],
      ],
    });
    assert.equal(copies, 3);
    assert.equal(identicalCopies({}), 0);
    assert.equal(
      finishedMessage({ files: 5, hashed: 5, cached: 0, skipped: 0, pairs: 0, seconds: 1 }, copies),
      'Scan finished in 1 s: 0 duplicate pairs and 3 identical copies among 5 files',
    );
  });
});
