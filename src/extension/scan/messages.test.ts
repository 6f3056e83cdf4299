import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { normalizeScanOptions } from '../../core/scan/options.js';
import { emptyFolderMessage } from './messages.js';

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
  it('lists videos only when they are scanned', () => {
    const noVideos = normalizeScanOptions({ videos: false, include: ['png'] });
    assert.match(emptyFolderMessage({ root: '/d', files: [], skipped: [], cancelled: false, options: noVideos })!, /supported: \.png\.$/);
  });
});
