import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

describe('video poster frames', () => {
  it('asks ffmpeg for one PNG frame at the given time, fitted inside the thumbnail size', async () => {
    const { posterArgs } = await import('./posterFrame.js');
    const args = posterArgs('/d/a b.mp4', '/t/x.png.tmp', 1);
    assert.deepEqual(args.slice(args.indexOf('-ss'), args.indexOf('-ss') + 4), ['-ss', '1', '-i', '/d/a b.mp4']);
    assert.deepEqual(args.slice(-5), ['-f', 'image2', '-c:v', 'png', '/t/x.png.tmp']);
    assert.ok(args.includes('-frames:v') && args[args.indexOf('-frames:v') + 1] === '1');
    assert.match(args[args.indexOf('-vf') + 1]!, /min\(256,iw\).*force_original_aspect_ratio=decrease/);
  });
});
