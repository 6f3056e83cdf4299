import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isAnimatedGif, isVideoPath } from './extensions.js';

test('video extensions and animated GIFs', () => {
  assert.ok(isVideoPath('a/b/Clip.MP4'));
  assert.ok(isVideoPath('x.webm') && isVideoPath('x.mkv') && isVideoPath('x.avi') && isVideoPath('x.mov') && isVideoPath('x.m4v'));
  assert.ok(!isVideoPath('x.gif') && !isVideoPath('x.ts') && !isVideoPath('noext'));
  const header = [0x47, 0x49, 0x46, 0x38, 0x39, 0x61, 1, 0, 1, 0, 0x00, 0, 0];
  const frame = [0x21, 0xf9, 4, 0, 10, 0, 0, 0, 0x2c, 0, 0, 0, 0, 1, 0, 1, 0, 0, 2, 2, 0x4c, 0x01, 0];
  assert.equal(isAnimatedGif(new Uint8Array([...header, ...frame, 0x3b])), false);
  assert.equal(isAnimatedGif(new Uint8Array([...header, ...frame, ...frame, 0x3b])), true);
  assert.equal(isAnimatedGif(new Uint8Array([1, 2, 3])), false);
});
