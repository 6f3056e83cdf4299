import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { changedVersions, resourceVersion, stampVersion } from './resourceVersion.js';

describe('?version= of file URIs', () => {
  it('changes with the size or the mtime, and not otherwise', () => {
    const v = stampVersion({ size: 1000, mtimeMs: 1_700_000_000_123.5 });
    assert.equal(v, stampVersion({ size: 1000, mtimeMs: 1_700_000_000_123 }));
    assert.notEqual(v, stampVersion({ size: 1001, mtimeMs: 1_700_000_000_123 }));
    assert.notEqual(v, stampVersion({ size: 1000, mtimeMs: 1_700_000_000_124 }));
    assert.match(v, /^[0-9a-z]+-[0-9a-z]+$/);
  });

  it('asks stat, and the fallback when stat fails', async () => {
    const stat = async (p: string) => {
      if (p === '/gone.jpg') throw new Error('ENOENT');
      return { size: 5, mtimeMs: 7 };
    };
    assert.equal(await resourceVersion('/a.jpg', stat, () => 'fallback'), stampVersion({ size: 5, mtimeMs: 7 }));
    assert.equal(await resourceVersion('/gone.jpg', stat, (p) => `fallback ${p}`), 'fallback /gone.jpg');
  });

  it('lists the files whose version on disk differs from the one the page has', async () => {
    const disk: Record<string, { size: number; mtimeMs: number }> = {
      '/r/same.jpg': { size: 1, mtimeMs: 1 },
      '/r/edited.jpg': { size: 2, mtimeMs: 99 },
      '/r/new.jpg': { size: 3, mtimeMs: 3 },
    };
    const stat = async (p: string) => {
      const s = disk[p];
      if (!s) throw new Error('ENOENT');
      return s;
    };
    const files = [
      { path: 'same.jpg', version: stampVersion({ size: 1, mtimeMs: 1 }) },
      { path: 'edited.jpg', version: stampVersion({ size: 2, mtimeMs: 2 }) },
      { path: 'gone.jpg', version: 'x' },
      { path: 'new.jpg' },
    ];
    assert.deepEqual(await changedVersions(files, (rel) => `/r/${rel}`, stat), [
      { file: 1, version: stampVersion({ size: 2, mtimeMs: 99 }) },
      { file: 3, version: stampVersion({ size: 3, mtimeMs: 3 }) },
    ]);
  });

  it('keeps the version of a file whose name the path mapping refuses (outside the scanned folder), without failing the others', async () => {
    const stat = async () => ({ size: 4, mtimeMs: 4 });
    const absPath = (rel: string) => {
      if (rel.startsWith('..')) throw new Error('not a file of /r');
      return `/r/${rel}`;
    };
    const files = [{ path: '../outside.jpg', version: 'old' }, { path: 'in.jpg' }];
    assert.deepEqual(await changedVersions(files, absPath, stat), [{ file: 1, version: stampVersion({ size: 4, mtimeMs: 4 }) }]);
  });
});
