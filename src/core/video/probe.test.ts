// Probing: ffprobe's JSON and, without ffprobe, the stream summary ffmpeg prints; then the same facts from a real clip.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { noFfmpeg, VIDEO_DIR } from '../testing/videos.js';
import { toolsFor } from './hashVideo.js';
import { fromFfmpegBanner, fromFfprobe, lastLines, parseRate, probeVideo } from './probe.js';

const fx = (name: string): string => join(VIDEO_DIR, name);

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

test('without ffprobe the same facts come from ffmpeg itself', async (t) => {
  const skip = await noFfmpeg('video decoding test');
  if (skip) return t.skip(skip);
  const tools = await toolsFor({});
  const withProbe = await probeVideo(tools, fx('clip.mp4'));
  const without = await probeVideo({ ...tools, ffprobe: undefined }, fx('clip.mp4'));
  assert.deepEqual([without.width, without.height, without.fps, without.codec], [withProbe.width, withProbe.height, withProbe.fps, withProbe.codec]);
  assert.ok(Math.abs(without.durationSec - withProbe.durationSec) < 0.05);
});
