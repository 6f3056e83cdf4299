import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makePng } from '../../src/core/testing/png.js';
import { tempDir } from '../../src/core/testing/tempDir.js';
import { assertCleanFailure, cli, scanOk } from './cli.js';

/**
 * Root ignores file permissions, so "read-only" is made real with a read-only bind mount and "full" with a
 * small tmpfs; both need root (the CI container runs as root). Elsewhere the cases say why they skip.
 */
const mountProblem = (): string | undefined => {
  if (process.getuid?.() !== 0) return 'needs root for a read-only bind mount and a small tmpfs';
  return undefined;
};

function mount(args: readonly string[]): string | undefined {
  const r = spawnSync('mount', args, { encoding: 'utf8' });
  return r.status === 0 ? undefined : `mount ${args.join(' ')} failed: ${r.stderr.trim()}`;
}

function pictures(dir: string, n: number, size = 32): number {
  let i = 0;
  try {
    for (; i < n; i++) writeFileSync(join(dir, `f${String(i).padStart(5, '0')}.png`), makePng(5000 + (i % Math.max(1, n - 5)), size));
  } catch {
    // the disk is full: the last, cut-off file is removed below
    spawnSync('rm', ['-f', join(dir, `f${String(i).padStart(5, '0')}.png`)]);
  }
  return i;
}

test('torture: a read-only dataset: hashes saved to the spare cache, one message, exit 2; the next scan hashes nothing', async (t) => {
  const why = mountProblem();
  if (why) return t.skip(why);
  const { dir: base, cleanup } = tempDir('md-torture-');
  const src = join(base, 'src');
  const dir = join(base, 'ro');
  const xdg = { XDG_CACHE_HOME: join(base, 'xdg') };
  mkdirSync(src);
  mkdirSync(dir);
  const n = pictures(src, 300);
  const failed = mount(['--bind', src, dir]) ?? mount(['-o', 'remount,bind,ro', dir]);
  try {
    if (failed) return t.skip(failed);
    assertCleanFailure(await cli(['scan', dir], xdg), /read-only/);
    const again = await scanOk(dir, ['--manifest', join(base, 'm.json')], xdg);
    assert.equal(again.summary.files, n);
    assert.equal(again.summary.cached, n, 'every hash of the failed scan was kept');
    assert.ok(again.summary.pairs >= 5);
  } finally {
    spawnSync('umount', [dir]);
    cleanup();
  }
});

test('torture: a full disk: hashes saved to the spare cache, one message, exit 2; the next scan hashes nothing', async (t) => {
  const why = mountProblem();
  if (why) return t.skip(why);
  const { dir: base, cleanup } = tempDir('md-torture-');
  const dir = join(base, 'full');
  const xdg = { XDG_CACHE_HOME: join(base, 'xdg') };
  mkdirSync(dir);
  const failed = mount(['-t', 'tmpfs', '-o', 'size=3m', 'tmpfs', dir]);
  try {
    if (failed) return t.skip(failed);
    const n = pictures(dir, 10_000, 64);
    assert.ok(n > 50, `${n} files fit`);
    assertCleanFailure(await cli(['scan', dir], xdg), /no space left|cannot/);
    const again = await scanOk(dir, ['--manifest', join(base, 'm.json')], xdg);
    assert.equal(again.summary.files, n);
    assert.equal(again.summary.cached, n, 'every hash of the failed scan was kept');
  } finally {
    spawnSync('umount', [dir]);
    cleanup();
  }
});
