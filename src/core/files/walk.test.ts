import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from '../testing/tempDir.js';
import { compileExclude, compileInclude, DEFAULT_EXCLUDE, DEFAULT_INCLUDE } from './filters.js';
import { walk } from './walk.js';

const defaults = { include: compileInclude(DEFAULT_INCLUDE), exclude: compileExclude(DEFAULT_EXCLUDE) };

function tree(root: string, files: Record<string, string>): void {
  for (const [rel, content] of Object.entries(files)) {
    mkdirSync(join(root, rel, '..'), { recursive: true });
    writeFileSync(join(root, rel), content);
  }
}

test('walk: recursive, sorted, POSIX relative paths, image extensions in any case, default folders ignored', async () => {
  const { dir, cleanup } = tempDir();
  try {
    tree(dir, {
      'b.jpg': 'x',
      'A/z.PNG': 'x',
      'A/deep/er/x.webp': 'x',
      'notes.txt': 'x',
      'c.jpeg': 'x',
      'Photo.TIFF': 'x',
      '.git/objects/x.jpg': 'x',
      'node_modules/pkg/logo.png': 'x',
      '.media-dedupe/old.png': 'x',
      'sub/node_modules/y.png': 'x',
    });
    const r = await walk(dir, defaults);
    assert.deepEqual(
      r.files.map((f) => f.rel),
      ['A/deep/er/x.webp', 'A/z.PNG', 'Photo.TIFF', 'b.jpg', 'c.jpeg'],
    );
    assert.deepEqual(r.skipped, []);
    assert.equal(r.files[0].size, 1);
    assert.ok(r.files[0].mtimeMs > 0);
  } finally {
    cleanup();
  }
});

test('walk: include takes extensions or globs, exclude takes globs (a bare name matches at any depth)', async () => {
  const { dir, cleanup } = tempDir();
  try {
    tree(dir, { 'keep/a.jpg': 'x', 'keep/b.png': 'x', 'tmp/c.jpg': 'x', 'x/tmp/d.jpg': 'x', 'raw/e.dng': 'x' });
    const r = await walk(dir, { include: compileInclude(['.JPG', 'raw/*.dng']), exclude: compileExclude(['tmp']) });
    assert.deepEqual(
      r.files.map((f) => f.rel),
      ['keep/a.jpg', 'raw/e.dng'],
    );
    const r2 = await walk(dir, { include: compileInclude(['jpg']), exclude: compileExclude(['x/**']) });
    assert.deepEqual(
      r2.files.map((f) => f.rel),
      ['keep/a.jpg', 'tmp/c.jpg'],
    );
  } finally {
    cleanup();
  }
});

test('walk: names with spaces, unicode and HTML characters come through unchanged', async () => {
  const { dir, cleanup } = tempDir();
  try {
    const names = ['a b.jpg', 'café/ünï 写真.png', '<img src=x onerror=alert(1)>.jpg', 'q"uote&amp;\'.jpg'];
    tree(dir, Object.fromEntries(names.map((n) => [n, 'x'])));
    const r = await walk(dir, defaults);
    assert.deepEqual(r.files.map((f) => f.rel).sort(), [...names].sort());
  } finally {
    cleanup();
  }
});

test('walk: symlinks are followed once; loops and dangling links become records, never silence', async () => {
  const { dir, cleanup } = tempDir();
  const { dir: outside, cleanup: cleanupOutside } = tempDir();
  try {
    tree(dir, { 'real/a.jpg': 'x', 'real/sub/b.jpg': 'x' });
    tree(outside, { 'elsewhere.png': 'x' });
    symlinkSync(join(dir, 'real', 'a.jpg'), join(dir, 'link-to-file.jpg'));
    symlinkSync(outside, join(dir, 'linked-dir'));
    symlinkSync(join(dir, 'real'), join(dir, 'real', 'sub', 'back-to-real')); // a loop through an ancestor
    symlinkSync(join(dir, 'nowhere.jpg'), join(dir, 'dangling.jpg'));
    symlinkSync('self.jpg', join(dir, 'self.jpg')); // points at itself: ELOOP
    symlinkSync(join(dir, 'gone'), join(dir, 'dangling-dir')); // no extension: could have been a folder
    symlinkSync(join(dir, 'gone.txt'), join(dir, 'dangling.txt')); // not media: not reported
    const r = await walk(dir, defaults);
    assert.deepEqual(
      r.files.map((f) => f.rel),
      ['link-to-file.jpg', 'linked-dir/elsewhere.png', 'real/a.jpg', 'real/sub/b.jpg'],
    );
    assert.deepEqual(
      r.skipped.map((s) => [s.path, s.code]),
      [
        ['dangling-dir', 'BROKEN_SYMLINK'],
        ['dangling.jpg', 'BROKEN_SYMLINK'],
        ['real/sub/back-to-real', 'SYMLINK_LOOP'],
        ['self.jpg', 'SYMLINK_LOOP'],
      ],
    );
    for (const s of r.skipped) assert.ok(s.message.length > 20, s.message);
  } finally {
    cleanup();
    cleanupOutside();
  }
});

test('walk: a named pipe with an image name is reported as NOT_A_FILE (and the walk does not hang on it)', async (t) => {
  const { dir, cleanup } = tempDir();
  try {
    try {
      execFileSync('mkfifo', [join(dir, 'pipe.jpg')]);
    } catch {
      t.skip('mkfifo is not available here');
      return;
    }
    tree(dir, { 'ok.jpg': 'x' });
    const r = await walk(dir, defaults);
    assert.deepEqual(
      r.files.map((f) => f.rel),
      ['ok.jpg'],
    );
    assert.deepEqual(
      r.skipped.map((s) => [s.path, s.code]),
      [['pipe.jpg', 'NOT_A_FILE']],
    );
  } finally {
    cleanup();
  }
});

test('walk: an unreadable folder is a record, and the rest is scanned', async (t) => {
  if (process.getuid?.() === 0) {
    t.skip('running as root: permissions do not stop root from listing a folder');
    return;
  }
  const { dir, cleanup } = tempDir();
  try {
    tree(dir, { 'locked/a.jpg': 'x', 'open/b.jpg': 'x' });
    chmodSync(join(dir, 'locked'), 0o000);
    const r = await walk(dir, defaults);
    assert.deepEqual(
      r.files.map((f) => f.rel),
      ['open/b.jpg'],
    );
    assert.deepEqual(
      r.skipped.map((s) => [s.path, s.code]),
      [['locked', 'UNREADABLE']],
    );
  } finally {
    chmodSync(join(dir, 'locked'), 0o755);
    cleanup();
  }
});

test('walk: a missing root fails with NOT_FOUND; a cancelled walk says so', async () => {
  await assert.rejects(walk('/definitely/not/here', defaults), (e: Error & { code?: string }) => e.code === 'NOT_FOUND');
  const { dir, cleanup } = tempDir();
  try {
    tree(dir, { 'a/x.jpg': 'x', 'b/y.jpg': 'x' });
    const r = await walk(dir, { ...defaults, signal: { cancelled: true } });
    assert.equal(r.cancelled, true);
  } finally {
    cleanup();
  }
});
