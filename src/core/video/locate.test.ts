import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MediaError } from '../errors.js';
import { locateFfmpeg } from './locate.js';

const isCode =
  (code: string, msg?: RegExp) =>
  (e: unknown): boolean =>
    e instanceof MediaError && e.code === code && (!msg || msg.test(e.message));

test('missing ffmpeg: a clear FFMPEG_MISSING error, and a configured path that does not run is named', async () => {
  await assert.rejects(locateFfmpeg({ searchPath: '', bundled: false }), isCode('FFMPEG_MISSING', /ffmpeg was not found.*videos are skipped/));
  await assert.rejects(locateFfmpeg({ ffmpegPath: '/nonexistent/ffmpeg' }), isCode('FFMPEG_MISSING', /\/nonexistent\/ffmpeg/));
});
