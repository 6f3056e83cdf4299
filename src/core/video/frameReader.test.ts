import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ffmpegArgs, frameCountExpression, outputSize, selectExpression } from './frameReader.js';

test('sampling expressions and the ffmpeg arguments around them', () => {
  assert.match(
    selectExpression(1, 25),
    /^st\(1,if\(isnan\(t\),n\/25,t-start_t\)\+0\.000001\)\*0\+if\(gte\(ld\(1\),ld\(0\)\),st\(0,\(floor\(ld\(1\)\*1\)\+1\)\/1\),0\)$/,
  );
  assert.equal(frameCountExpression(1, 25), 'gt(floor(n/25)*25,n-1)');
  assert.equal(frameCountExpression(5, 0), 'gt(floor(n/2)*2,n-1)'); // no rate: OpenCV assumes 10 fps
  assert.deepEqual(outputSize({ width: 1920, height: 1080 }, 256), { width: 256, height: 144 });
  assert.deepEqual(outputSize({ width: 640, height: 360 }, 0), { width: 640, height: 360 });
  const args = ffmpegArgs(
    { width: 640, height: 360, fps: 25, nominalFps: 25, durationSec: 10, codec: 'h264', rotation: 0 },
    { fps: 1, keyframesOnly: true, threads: 2 },
  );
  assert.deepEqual(args.inputOptions, ['-hide_banner', '-nostdin', '-threads', '2', '-skip_frame', 'nokey']);
  const vf = args.outputOptions[args.outputOptions.indexOf('-vf') + 1];
  assert.match(vf, /^select='.*',showinfo,scale=640:360:flags=bicubic,format=rgb24$/);
  assert.ok(args.outputOptions.includes('rgb24'));
});
