import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { GalleryInit } from '../src/shared/protocol.js';
import { withUris, withVersions } from './files.js';

describe('file URIs in the page', () => {
  const base = 'https://file+.vscode-resource.vscode-cdn.net/data';
  const file = (path: string, version?: string) => ({
    path,
    ...(version ? { version } : {}),
    thumb: false,
    renderable: true,
    kind: 'image' as const,
    width: 1,
    height: 1,
    size: 1,
  });

  it('joins each path to the folder with its version', () => {
    const files = withUris({ baseUri: base, files: [file('a.jpg', '1-1'), file('b c.jpg')] } as unknown as GalleryInit);
    assert.deepEqual(
      files.map((f) => f.uri),
      [`${base}/a.jpg?version=1-1`, `${base}/b%20c.jpg`],
    );
  });

  it('gives a changed file a new version and URI, and leaves the others alone', () => {
    const before = withUris({ baseUri: base, files: [file('a.jpg', '1-1'), file('b.jpg', '2-2')] } as unknown as GalleryInit);
    const after = withVersions(base, before, [{ file: 1, version: '2-3' }]);
    assert.equal(after[0], before[0]);
    assert.equal(after[1]!.version, '2-3');
    assert.equal(after[1]!.uri, `${base}/b.jpg?version=2-3`);
    assert.equal(before[1]!.version, '2-2', 'a new list: the old one is not changed');
  });
});
