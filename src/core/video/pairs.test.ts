import { test } from 'node:test';
import assert from 'node:assert/strict';
import { matchVideos } from './match.js';
import { findVideoPairs } from './pairs.js';
import { recording, video, VIDEO_HASHER } from '../testing/videoHashes.js';

test('findVideoPairs returns every pair once, a < b, sorted; different frame hashers are never compared', () => {
  const moments = recording(12, 4);
  const vids = ['c.mp4', 'a.mp4', 'b.mp4'].map((p) =>
    video(
      p,
      moments.map((v, i) => ({ t: i / 4, v })),
    ),
  );
  const pairs = findVideoPairs(vids);
  assert.deepEqual(
    pairs.map((m) => `${m.a}|${m.b}`),
    ['a.mp4|b.mp4', 'a.mp4|c.mp4', 'b.mp4|c.mp4'],
  );
  assert.deepEqual(
    findVideoPairs(vids, {
      candidates: [
        [0, 1],
        [1, 0],
      ],
    }).map((m) => `${m.a}|${m.b}`),
    ['a.mp4|c.mp4'],
  );
  const other = { ...vids[0], path: 'd.mp4', hasher: { ...VIDEO_HASHER, key: 'dhash:hashSize=16' } };
  assert.equal(findVideoPairs([vids[1], other]).length, 0);
  assert.throws(() => matchVideos(vids[1], other), /same frame hasher/);
});
