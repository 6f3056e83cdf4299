import assert from 'node:assert/strict';
import { describe, it, test } from 'node:test';
import { DEFAULT_KEEP_POLICY, LEGACY_KEEP_POLICY, hasCopyMarker, keepPolicy, parseKeepPolicy } from './keepPolicy.js';
import type { DecideFile } from './types.js';

const f = (path: string, more: Partial<DecideFile> = {}): DecideFile => ({ path, size: 1000, width: 640, height: 427, ...more });
/** The file a policy keeps of these, and its reason against the runner-up. */
function kept(files: DecideFile[], criteria: readonly string[] = DEFAULT_KEEP_POLICY): [string, string] {
  const p = keepPolicy(criteria);
  const sorted = [...files].sort((a, b) => p.compare(a, b));
  return [sorted[0].path, p.reason(sorted[0], sorted[1])];
}

test('default policy: the JPEG original over its lossless re-encode, though the re-encode has more bytes (version 1 kept the PNG)', () => {
  const files = [f('photo.jpg', { size: 80_000, format: 'jpeg', jpegQuality: 92 }), f('photo.png', { size: 400_000, format: 'png', reencoded: true })];
  assert.deepEqual(kept(files), ['photo.jpg', 'not a re-encode (the other is a lossless copy of a JPEG)']);
  assert.equal(kept(files, LEGACY_KEEP_POLICY)[0], 'photo.png');
});

test('default policy: a padded copy is not "larger": frames that differ by about a border tie on resolution, and the re-save loses on quality', () => {
  // As on the benchmark: trimming a smeared border leaves a few pixels, so the content is 433x645, not 427x640.
  const original = f('o.jpg', { width: 427, height: 640, size: 50_000, jpegQuality: 95 });
  const padded = f('o_pad.jpg', { width: 435, height: 648, contentWidth: 433, contentHeight: 645, size: 60_000, jpegQuality: 90 });
  assert.deepEqual(kept([padded, original]), ['o.jpg', 'highest JPEG quality, 95']);
  // Version 1 had no border statistic or quality: it compared whole pixel counts.
  assert.equal(kept([f('o_pad.jpg', { width: 435, height: 648, size: 60_000 }), original], LEGACY_KEEP_POLICY)[0], 'o_pad.jpg');
  // The original has uniform borders of its own (an icon on a white ground): the padded copy still loses.
  const icon = f('icon.jpg', { width: 256, height: 256, contentWidth: 179, contentHeight: 227, jpegQuality: 95 });
  const iconPadded = f('icon_pad.jpg', { width: 262, height: 262, contentWidth: 257, contentHeight: 257, jpegQuality: 90, size: 2000 });
  assert.equal(kept([iconPadded, icon])[0], 'icon.jpg');
  // An original with a thin border of its own and its 2 % crop look like a pad by sizes: a tie, quality decides.
  const crop = f('o_crop.jpg', { width: 624, height: 420, contentWidth: 624, contentHeight: 406, jpegQuality: 90 });
  assert.equal(kept([crop, f('o2.jpg', { width: 640, height: 427, contentWidth: 637, contentHeight: 405, jpegQuality: 95 })])[0], 'o2.jpg');
  // A pad in the colour of the original's own ground: both trim to about the same picture, a tie.
  const ground = f('g.jpg', { width: 495, height: 640, contentWidth: 413, contentHeight: 552, jpegQuality: 95 });
  const groundPadded = f('g_pad.jpg', { width: 519, height: 664, contentWidth: 415, contentHeight: 552, jpegQuality: 90, size: 5000 });
  assert.equal(kept([groundPadded, ground])[0], 'g.jpg');
  // Same frame, whatever the trimming says: quality decides.
  const lowQ = f('o_q41.jpg', { width: 495, height: 640, contentWidth: 416, contentHeight: 560, jpegQuality: 41, size: 900 });
  const o = f('o3.jpg', { width: 495, height: 640, contentWidth: 413, contentHeight: 554, jpegQuality: 95, size: 800 });
  assert.deepEqual(kept([lowQ, o]), ['o3.jpg', 'highest JPEG quality, 95']);
  // A padded copy that really has more picture (an upscale) still wins on resolution.
  const bigger = f('big_pad.jpg', { width: 900, height: 1300, contentWidth: 854, contentHeight: 1280 });
  assert.deepEqual(kept([original, bigger]), ['big_pad.jpg', 'highest resolution, 900x1300']);
  // Frames without borders compare exactly (10x10 vs 11x10).
  assert.equal(kept([f('a.jpg', { width: 10, height: 10, size: 999 }), f('b.jpg', { width: 11, height: 10, size: 1 })])[0], 'b.jpg');
});

test('default policy: of two JPEGs, the higher quality; then no copy marker; then the larger file (a brightened copy with more bytes loses to quality)', () => {
  assert.deepEqual(kept([f('a.jpg', { jpegQuality: 75, size: 9_000 }), f('b.jpg', { jpegQuality: 92, size: 8_000 })]), ['b.jpg', 'highest JPEG quality, 92']);
  assert.deepEqual(kept([f('IMG_1 (1).jpg', { size: 9_000 }), f('IMG_1.jpg', { size: 8_000 })]), ['IMG_1.jpg', 'name without a copy marker']);
  assert.deepEqual(kept([f('a.jpg', { size: 8_000 }), f('b.jpg', { size: 9_000 })]), ['b.jpg', 'largest file, 9,000 bytes']);
  assert.deepEqual(kept([f('b.jpg'), f('a.jpg')]), ['a.jpg', 'first in path order']);
});

test('folder:GLOB, oldest (ties within 2 s), format, smallest, shortest-path', () => {
  assert.deepEqual(kept([f('copies/a.jpg'), f('originals/a.jpg')], ['folder:originals/**', 'resolution']), [
    'originals/a.jpg',
    'in originals/** (keep policy folder:originals/**)',
  ]);
  const day = Date.UTC(2024, 0, 2);
  assert.deepEqual(kept([f('a.jpg', { mtimeMs: day + 5000 }), f('b.jpg', { mtimeMs: day })], ['oldest']), ['b.jpg', 'oldest, modified 2024-01-02']);
  assert.deepEqual(kept([f('a.jpg', { mtimeMs: day + 1500 }), f('b.jpg', { mtimeMs: day })], ['oldest']), ['a.jpg', 'first in path order']);
  assert.deepEqual(kept([f('a.webp'), f('b.tif')], ['format']), ['b.tif', 'preferred format, TIFF']);
  assert.deepEqual(kept([f('a.jpg', { size: 2 }), f('b.jpg', { size: 1 })], ['smallest']), ['b.jpg', 'smallest file, 1 bytes']);
  assert.deepEqual(kept([f('deep/x/a.jpg'), f('z.jpg')], ['shortest-path']), ['z.jpg', 'shortest path']);
});

test('copy markers', () => {
  for (const p of [
    'a copy.jpg',
    'a (1).jpg',
    'a_edited.jpg',
    'x/a-resized.png',
    'thumb_a.jpg',
    'a.thumbnail.jpg',
    'Kopie von a.jpg'.replace('Kopie von ', 'kopie_'),
  ])
    assert.ok(hasCopyMarker(p), p);
  for (const p of ['copyright.jpg', 'a.jpg', 'photocopy/a.jpg', 'edits2/a.jpg']) assert.equal(hasCopyMarker(p), false, p);
});

test('parseKeepPolicy: a list, the default for an empty one, a clear error for an unknown criterion', () => {
  assert.deepEqual(parseKeepPolicy('resolution, largest'), ['resolution', 'largest']);
  assert.deepEqual(parseKeepPolicy(''), [...DEFAULT_KEEP_POLICY]);
  assert.throws(() => parseKeepPolicy('resolution,biggest'), /Expected a comma-separated list of .* for --keep-policy but received "biggest"/);
  assert.throws(() => parseKeepPolicy('folder:'), /folder:GLOB/);
});

describe('keep policy for videos', () => {
  it('highest resolution, then the longer video (whole seconds), then the larger file, then the shorter path', () => {
    const v = (width: number, durationSec: number, size: number) => ({ width, height: width, size, durationSec });
    const policy = keepPolicy();
    const best = (a: ReturnType<typeof v>, b: ReturnType<typeof v>, pa = 'x/a.mp4', pb = 'x/b.mp4') =>
      policy.compare({ path: pa, ...a }, { path: pb, ...b }) < 0 ? pa : pb;
    assert.equal(best(v(100, 1, 1), v(200, 1, 1)), 'x/b.mp4');
    assert.equal(best(v(100, 10, 1), v(100, 4, 99)), 'x/a.mp4');
    assert.equal(best(v(100, 10.02, 1), v(100, 10, 99)), 'x/b.mp4', 'a few milliseconds do not beat the size');
    assert.equal(best(v(100, 10, 5), v(100, 10, 5), 'x/long_name.mp4', 'x/b.mp4'), 'x/b.mp4');
  });
});
