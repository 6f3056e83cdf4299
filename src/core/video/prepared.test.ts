import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decimate, prepareVideo } from './prepared.js';
import { recording, video } from '../testing/videoHashes.js';

test('decimate keeps every k-th frame and stretches segments over the gaps', () => {
  const moments = recording(40, 3);
  const p = prepareVideo(
    video(
      'd.mp4',
      moments.map((v, i) => ({ t: i / 4, v })),
    ),
  );
  const d = decimate(p, 3);
  assert.equal(d.n, 4);
  assert.deepEqual([...d.t], [0, 0.75, 1.5, 2.25]);
  assert.deepEqual([...d.segEnd], [0.75, 1.5, 2.25, p.segEnd[p.n - 1]]);
  assert.equal(d.interval, p.interval * 3);
  assert.deepEqual([...d.columns.full!.words!.subarray(8, 16)], [...p.columns.full!.words!.subarray(24, 32)]);
});
