import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { baseName, folderOf, formatBytes, formatDistance, formatResolution } from './format.js';

describe('formatting', () => {
  it('formats sizes, distances, resolutions and paths', () => {
    assert.equal(formatBytes(512), '512 B');
    assert.equal(formatBytes(85_676), '84 KB');
    assert.equal(formatBytes(1_500_000), '1.4 MB');
    assert.equal(formatDistance(0.0234375), '0.023');
    assert.equal(formatDistance(12.5), '12.50');
    assert.equal(formatResolution(640, 480), '640×480');
    assert.equal(formatResolution(0, 0), 'unknown size');
    assert.equal(folderOf('a/b/c.jpg'), 'a/b');
    assert.equal(folderOf('c.jpg'), '.');
    assert.equal(baseName('a/b/c.jpg'), 'c.jpg');
  });
});

describe('video pairs in the gallery (pure)', () => {
  it('formats timestamps and tells GIFs (played as images) from videos', async () => {
    const { formatTime, playsAsImage } = await import('./format.js');
    assert.equal(formatTime(0), '0:00.0');
    assert.equal(formatTime(1.26), '0:01.3');
    assert.equal(formatTime(83.04), '1:23.0');
    assert.equal(formatTime(3723.5), '1:02:03.5');
    assert.equal(formatTime(-1.2), '-0:01.2');
    assert.equal(playsAsImage('a/clip.GIF'), true);
    assert.equal(playsAsImage('a/clip.mp4'), false);
  });
});

describe('paths shortened in the middle', () => {
  it('keeps the first folder and the file name', async () => {
    const { middleEllipsis } = await import('./format.js');
    assert.equal(middleEllipsis('train/cats/001.jpg', 40), 'train/cats/001.jpg');
    const s = middleEllipsis('train/very/deep/folder/of/many/levels/cats/0001.jpg', 30);
    assert.equal(s.length, 30);
    assert.ok(s.startsWith('train/…'), s);
    assert.ok(s.endsWith('cats/0001.jpg'), s);
  });

  it('in a narrow row, a first folder too long for the room gives way to the end of the path', async () => {
    const { middleEllipsis } = await import('./format.js');
    const s = middleEllipsis('synthetic/group041/08216_o000002__exact_copy.jpg', 18);
    assert.equal(s, '…2__exact_copy.jpg');
    assert.equal(s.length, 18);
    assert.ok(s.endsWith('__exact_copy.jpg'), s);
  });
});
