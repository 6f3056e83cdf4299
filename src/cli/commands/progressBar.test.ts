import { test } from 'node:test';
import assert from 'node:assert/strict';
import { progressBar } from './progressBar.js';

test('progress bar: drawn in place on a terminal, silent on a pipe', () => {
  let tty = '';
  const io = {
    stdout: process.stdout,
    stderr: Object.assign(
      new (require('node:stream').Writable)({
        write: (c: Buffer, _e: string, cb: () => void) => {
          tty += String(c);
          cb();
        },
      }),
      { isTTY: true, columns: 100 },
    ),
    cwd: '.',
  };
  const bar = progressBar(io);
  bar.update({ phase: 'walk', done: 12, total: 0 });
  bar.update({ phase: 'hash', done: 50, total: 200, ratePerSec: 400, etaSec: 1 });
  bar.clear();
  assert.match(tty, /listing files\.\.\. 12 found/);
  // eslint-disable-next-line no-control-regex -- the progress bar's own escape sequence
  assert.match(tty, /\r\x1b\[2K\[#+-+\] 50\/200 25% 400 files\/s ETA 1s/);
  let piped = '';
  const quiet = progressBar({
    ...io,
    stderr: Object.assign(
      new (require('node:stream').Writable)({
        write: (c: Buffer, _e: string, cb: () => void) => {
          piped += String(c);
          cb();
        },
      }),
      { isTTY: false },
    ),
  });
  quiet.update({ phase: 'hash', done: 1, total: 2 });
  assert.equal(piped, '');
});
