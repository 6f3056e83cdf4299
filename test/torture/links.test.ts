import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { outsideLink, symlinkLadder, systemLinks } from '../../src/core/testing/hostileFolders.js';
import { tempDir } from '../../src/core/testing/tempDir.js';
import { readManifestJson, scanOk } from './cli.js';

const codes = (skipped: { path: string; code: string }[]): Record<string, string> => Object.fromEntries(skipped.map((s) => [s.path, s.code]));

test('torture: a ladder of 48 links (one picture by 2^25 - 1 paths) scans one file in seconds', async () => {
  const { dir, cleanup } = tempDir('md-torture-');
  try {
    const image = symlinkLadder(dir, 24);
    const { summary, run } = await scanOk(dir);
    assert.equal(summary.files, 1);
    assert.ok(run.wallSec < 30, `${run.wallSec} s`);
    assert.ok(run.rssMb < 600, `${run.rssMb} MB`);
    const m = readManifestJson(dir);
    assert.deepEqual(
      m.files.map((f) => f.path),
      [],
      'a lone picture is in no cluster',
    );
    assert.equal(m.skipped.length, 48);
    assert.ok(m.skipped.every((s) => s.code === 'DUPLICATE_PATH'));
    assert.ok(existsSync(join(dir, image)));
  } finally {
    cleanup();
  }
});

test('torture: links to /, /proc, /sys and /dev are never walked, also with --follow-outside', async () => {
  const { dir, cleanup } = tempDir('md-torture-');
  try {
    systemLinks(dir);
    for (const extra of [[], ['--follow-outside']]) {
      const { summary, run } = await scanOk(dir, extra);
      assert.equal(summary.files, 1, extra.join(' '));
      assert.ok(run.wallSec < 30, `${run.wallSec} s`);
      const c = codes(readManifestJson(dir).skipped);
      assert.equal(c['to-proc'], 'SYMLINK_OUTSIDE');
      assert.equal(c['to-sys'], 'SYMLINK_OUTSIDE');
      assert.equal(c['to-dev'], 'SYMLINK_OUTSIDE');
      assert.equal(c['to-root'], extra.length ? 'SYMLINK_LOOP' : 'SYMLINK_OUTSIDE');
    }
  } finally {
    cleanup();
  }
});

test('torture: a link out of the folder is not followed: no outside file hashed or named; --follow-outside follows it', async () => {
  const { dir: base, cleanup } = tempDir('md-torture-');
  try {
    const dir = join(base, 'data');
    outsideLink(dir, join(base, 'outside'));
    const { summary } = await scanOk(dir);
    assert.equal(summary.files, 1);
    const m = readManifestJson(dir);
    assert.ok(!JSON.stringify(m).includes('secret'), 'no outside name in the manifest');
    assert.equal(codes(m.skipped).external, 'SYMLINK_OUTSIDE');
    const followed = await scanOk(dir, ['--follow-outside']);
    assert.equal(followed.summary.files, 3);
    assert.equal(followed.summary.pairs, 1, 'inside.png and external/secret-copy.png');
  } finally {
    cleanup();
  }
});
