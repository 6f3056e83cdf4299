// Video engine pieces that need no ffmpeg: options, probing parsers, sampling expressions, letterbox bounds, GIF sniffing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { resolveVideoHashOptions, resolveVideoMatchOptions, samplingRate } from '../../src/core/video/options.js';
import { fromFfmpegBanner, fromFfprobe, lastLines, parseRate } from '../../src/core/video/probe.js';
import { ffmpegArgs, frameCountExpression, outputSize, selectExpression } from '../../src/core/video/frameReader.js';
import { barBounds, centerCrop, cropRgb, unletterboxBounds } from '../../src/core/video/unletterbox.js';
import { isAnimatedGif, isVideoPath } from '../../src/core/video/extensions.js';
import type { RgbImage } from '../../src/core/cv/types.js';

test('bad video options fail at once with "Expected X for Y but received Z"', () => {
  assert.throws(() => resolveVideoHashOptions({ framesPerSecond: 0 }), /Expected a number between 0.001 and 240 for framesPerSecond but received 0/);
  assert.throws(() => resolveVideoHashOptions({ letterbox: 'yes' as never }), /Expected one of off, perception, bars for letterbox but received "yes"/);
  assert.throws(() => resolveVideoHashOptions({ compareWith: 'previous' as never }), /for compareWith/);
  assert.throws(() => resolveVideoHashOptions({ cropFraction: 0.2 }), /cropFraction \(0 = off\)/);
  assert.throws(() => resolveVideoMatchOptions({ minShare: 2 }), /Expected a number between 0 and 1 for minShare but received 2/);
  assert.equal(resolveVideoHashOptions({ cropFraction: 0, maxSide: 0 }).cropFraction, 0);
  const d = resolveVideoHashOptions();
  assert.equal(d.framesPerSecond, 1);
  assert.equal(d.compareWith, 'last-kept');
  assert.ok(Math.abs(resolveVideoMatchOptions({}, 0.2).strictThreshold - 0.045) < 1e-12);
});

test('short clips are sampled faster, on a whole fraction of their own frame rate', () => {
  assert.equal(samplingRate(1, 16, 100, 25), 1); // long video: the requested rate
  assert.equal(samplingRate(1, 16, 4, 25), 25 / 6); // needs 4 fps: every 6th frame (4.17 fps)
  assert.equal(samplingRate(1, 16, 0.64, 25), 25); // never faster than the file
  assert.equal(samplingRate(1, 0, 0.64, 25), 1); // minFrames 0: perception's behaviour
  assert.equal(samplingRate(1, 16, 2, 0), 8); // unknown rate
});

test('frame rates and ffprobe output', () => {
  assert.equal(parseRate('30000/1001'), 30000 / 1001);
  assert.equal(parseRate('0/0'), 0);
  assert.equal(parseRate('25'), 25);
  assert.equal(parseRate('junk'), 0);
  const p = fromFfprobe(
    {
      streams: [
        { codec_type: 'audio' },
        { codec_type: 'video', codec_name: 'h264', width: 1920, height: 1080, avg_frame_rate: '0/0', r_frame_rate: '30/1', duration: 'N/A', rotation: -90 },
      ],
      format: { duration: 12.5 },
    },
    'x.mp4',
  );
  assert.deepEqual(p, { width: 1080, height: 1920, fps: 30, nominalFps: 30, durationSec: 12.5, codec: 'h264', rotation: -90 });
  assert.throws(
    () => fromFfprobe({ streams: [{ codec_type: 'audio' }], format: {} }, 'a.ogg'),
    (e: Error & { code?: string }) => e.code === 'VIDEO_UNREADABLE' && /no video stream/.test(e.message),
  );
});

test('without ffprobe the facts come from the stream summary of ffmpeg -i', () => {
  const banner = [
    "Input #0, mov,mp4,m4a,3gp,3g2,mj2, from 'v1.m4v':",
    '  Duration: 00:00:04.97, start: 0.000000, bitrate: 179 kb/s',
    '  Stream #0:0(und): Video: h264 (High) (avc1 / 0x31637661), yuv420p(progressive), 320x180 [SAR 1281:1280 DAR 427:240], 171 kb/s, 23.98 fps, 23.98 tbr, 24k tbn (default)',
    '    Side data:',
    '      displaymatrix: rotation of -90.00 degrees',
    'Stream mapping:',
    '  Stream #0:0 -> #0:0 (h264 (native) -> wrapped_avframe (native))',
  ];
  const p = fromFfmpegBanner(banner, 'v1.m4v');
  assert.equal(p.width, 180);
  assert.equal(p.height, 320);
  assert.equal(p.fps, 23.98);
  assert.equal(p.durationSec, 4.97);
  assert.equal(p.codec, 'h264');
  assert.throws(() => fromFfmpegBanner(['  Duration: N/A', '  Stream #0:0: Audio: mp3'], 'a.mp3'), /no video stream/);
  assert.equal(lastLines('banner\n\n  a\nb\nc\nd\ne\n'), 'b | c | d | e');
});

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

function image(w: number, h: number, paint: (x: number, y: number) => number): RgbImage {
  const data = new Uint8Array(w * h * 3);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) data.fill(paint(x, y), (y * w + x) * 3, (y * w + x) * 3 + 3);
  return { data, width: w, height: h };
}

const texture = (x: number, y: number): number => 40 + ((x * 37 + y * 91) % 180);

test('black bars around a picture are found; dark pictures and off-centre borders are left alone', () => {
  const letterbox = image(100, 80, (x, y) => (y < 10 || y >= 70 ? 0 : texture(x, y)));
  assert.deepEqual(barBounds(letterbox), { x1: 0, x2: 100, y1: 10, y2: 70 });
  const pillarbox = image(120, 60, (x, y) => (x < 20 || x >= 100 ? 1 : texture(x, y)));
  assert.deepEqual(barBounds(pillarbox), { x1: 20, x2: 100, y1: 0, y2: 60 });
  assert.equal(barBounds(image(100, 80, texture)), null); // no bars
  assert.equal(barBounds(image(100, 80, (x, y) => (y < 30 ? 0 : texture(x, y)))), null); // one dark band at the top only
  // A night sky: a few bright dots on black. perception's bounds crop to the dots; bars do not.
  const sky = image(100, 80, (x, y) => ((x === 30 && y === 20) || (x === 70 && y === 50) ? 255 : 0));
  assert.equal(barBounds(sky), null);
  assert.equal(unletterboxBounds(sky), null);
  // perception's rule: keep rows/columns with more than 10% of pixels whose channel mean is above 2.
  assert.deepEqual(unletterboxBounds(letterbox), { x1: 0, x2: 100, y1: 10, y2: 70 });
  assert.deepEqual(unletterboxBounds(image(10, 10, () => 200)), { x1: 0, x2: 10, y1: 0, y2: 10 });
});

test('crops copy the right pixels', () => {
  const img = image(10, 6, (x, y) => y * 10 + x);
  const c = cropRgb(img, { x1: 2, x2: 5, y1: 1, y2: 3 });
  assert.equal(c.width, 3);
  assert.equal(c.height, 2);
  assert.deepEqual([...c.data.filter((_, i) => i % 3 === 0)], [12, 13, 14, 22, 23, 24]);
  const cc = centerCrop(
    image(100, 50, () => 1),
    0.9,
  );
  assert.deepEqual([cc.width, cc.height], [90, 45]);
});

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
