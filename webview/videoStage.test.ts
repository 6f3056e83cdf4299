import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { VideoStage } from './videoStage.js';

describe('VideoStage: Flicker and Overlay on a video pair show the matched frames', () => {
  const frames = [
    { a: 1, b: 1.5, distance: 0.01 },
    { a: 2, b: 2.5, distance: 0.02 },
  ];

  it('starts at the first matched frame, asks once for each frame, and shows them when they arrive', () => {
    const asked: string[] = [];
    const s = new VideoStage((file, at) => asked.push(`${file}@${at}`));
    s.set({ a: 3, b: 7, frames });
    assert.deepEqual(s.stageUris(), ['', '']);
    assert.deepEqual(s.stageUris(), ['', ''], 'asked again: no second request');
    assert.deepEqual(asked, ['3@1', '7@1.5']);
    assert.equal(s.accept(3, 1, 'uri-a', undefined), true);
    assert.equal(s.accept(7, 2.5, 'other', undefined), false, 'not the moment shown');
    assert.equal(s.accept(7, 1.5, 'uri-b', undefined), true);
    assert.deepEqual(s.stageUris(), ['uri-a', 'uri-b']);
    assert.equal(s.label(), 'at 0:01.0 ↔ 0:01.5');
    assert.equal(s.label('right'), 'at 0:01.5');
  });

  it('follows the moment picked in the frame list', () => {
    const asked: string[] = [];
    const s = new VideoStage((file, at) => asked.push(`${file}@${at}`));
    s.set({ a: 0, b: 1, frames });
    s.seek(2, 2.5);
    s.stageUris();
    assert.deepEqual(asked, ['0@2', '1@2.5']);
  });

  it('says when a frame could not be made, and asks no more for it', () => {
    const asked: string[] = [];
    const s = new VideoStage((file, at) => asked.push(`${file}@${at}`));
    s.set({ a: 0, b: 1, frames });
    s.stageUris();
    s.accept(0, 1, undefined, 'ffmpeg produced no frame at 1 s');
    s.stageUris();
    assert.deepEqual(asked, ['0@1', '1@1.5']);
    assert.match(s.label(), /no frame: ffmpeg produced no frame at 1 s/);
  });

  it('a video pair without matched frames has the stage modes off, with the reason; an image pair is not its business', () => {
    const s = new VideoStage(() => assert.fail('nothing to ask for'));
    s.set({ a: 0, b: 1 });
    assert.equal(s.active, true);
    assert.match(s.unavailable ?? '', /none listed/);
    assert.deepEqual(s.stageUris(), ['', '']);
    s.set(undefined);
    assert.equal(s.active, false);
    assert.equal(s.unavailable, undefined);
  });
});
