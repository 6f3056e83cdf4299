import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

describe('video pairs in the gallery (pure)', () => {
  it('lists every matched frame, or an even spread of a long list with both ends', async () => {
    const { framesToShow, frameLabel } = await import('./frameList.js');
    const frames = Array.from({ length: 500 }, (_, i) => ({ a: i, b: i + 1.5, distance: 0.01 }));
    assert.equal(framesToShow(frames.slice(0, 5)).length, 5);
    const shown = framesToShow(frames, 10);
    assert.equal(shown.length, 10);
    assert.equal(shown[0], frames[0]);
    assert.equal(shown[9], frames[499]);
    assert.ok(shown.every((f, i) => i === 0 || f.a > shown[i - 1]!.a));
    assert.equal(frameLabel({ a: 1, b: 2.3, distance: 0.03125 }), '0:01.0 ↔ 0:02.3 · 0.031');
  });
});
