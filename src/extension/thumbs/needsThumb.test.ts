import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { browserCanShow, needsThumb } from './needsThumb.js';

describe('thumbnails', () => {
  it('are made for big files and formats a browser cannot draw', () => {
    assert.equal(needsThumb({ path: 'a.jpg', kind: 'image', size: 80_000, width: 640, height: 480 }), false);
    assert.equal(needsThumb({ path: 'a.jpg', kind: 'image', size: 3_000_000, width: 640, height: 480 }), true);
    assert.equal(needsThumb({ path: 'a.jpg', kind: 'image', size: 10_000, width: 4000, height: 10 }), true);
    assert.equal(needsThumb({ path: 'scan.TIFF', kind: 'image', size: 10, width: 1, height: 1 }), true);
    // A video always gets a poster frame (grabbed with ffmpeg): lists and clusters cannot show the video itself.
    assert.equal(needsThumb({ path: 'clip.mp4', kind: 'video', size: 10, width: 16, height: 16 }), true);
    assert.equal(needsThumb({ path: 'anim.gif', kind: 'video', size: 10, width: 16, height: 16 }), true);
    assert.equal(browserCanShow('x/y.WebP'), true);
    assert.equal(browserCanShow('noext'), false);
  });
});
