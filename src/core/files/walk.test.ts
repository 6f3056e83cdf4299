import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, linkSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { symlinkLadder, systemLinks } from '../testing/hostileFolders.js';
import { tempDir } from '../testing/tempDir.js';
import { nameToBytes } from './nameBytes.js';
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

test('walk: links inside the folder are followed once; loops, duplicates, outside and dangling links become records, never silence', async () => {
  const { dir, cleanup } = tempDir();
  const { dir: outside, cleanup: cleanupOutside } = tempDir();
  try {
    tree(dir, { 'real/a.jpg': 'x', 'real/sub/b.jpg': 'x', 'stored/c.jpg': 'x' });
    tree(outside, { 'elsewhere.png': 'x' });
    symlinkSync(join(dir, 'real', 'a.jpg'), join(dir, 'link-to-file.jpg')); // the same file again
    symlinkSync(outside, join(dir, 'linked-dir')); // out of the folder
    symlinkSync(join(outside, 'elsewhere.png'), join(dir, 'outside-file.png'));
    symlinkSync(join(dir, 'real'), join(dir, 'real', 'sub', 'back-to-real')); // a loop through an ancestor
    symlinkSync('../stored', join(dir, 'real', 'alias')); // a folder listed anyway, under its own path
    symlinkSync(join(dir, 'nowhere.jpg'), join(dir, 'dangling.jpg'));
    symlinkSync('self.jpg', join(dir, 'self.jpg')); // points at itself: ELOOP
    symlinkSync(join(dir, 'gone'), join(dir, 'dangling-dir')); // no extension: could have been a folder
    symlinkSync(join(dir, 'gone.txt'), join(dir, 'dangling.txt')); // not media: not reported
    const r = await walk(dir, defaults);
    assert.deepEqual(
      r.files.map((f) => f.rel),
      ['real/a.jpg', 'real/sub/b.jpg', 'stored/c.jpg'],
    );
    assert.deepEqual(
      r.skipped.map((s) => [s.path, s.code]),
      [
        ['dangling-dir', 'BROKEN_SYMLINK'],
        ['dangling.jpg', 'BROKEN_SYMLINK'],
        ['link-to-file.jpg', 'DUPLICATE_PATH'],
        ['linked-dir', 'SYMLINK_OUTSIDE'],
        ['outside-file.png', 'SYMLINK_OUTSIDE'],
        ['real/alias', 'DUPLICATE_PATH'],
        ['real/sub/back-to-real', 'SYMLINK_LOOP'],
        ['self.jpg', 'SYMLINK_LOOP'],
      ],
    );
    for (const s of r.skipped) assert.ok(s.message.length > 20, s.message);
    assert.match(r.skipped.find((s) => s.path === 'link-to-file.jpg')!.message, /real\/a\.jpg/);

    // --follow-outside: the outside folder and file are followed (each once), the rest is unchanged.
    const f = await walk(dir, { ...defaults, followOutside: true });
    assert.deepEqual(
      f.files.map((x) => x.rel),
      ['linked-dir/elsewhere.png', 'real/a.jpg', 'real/sub/b.jpg', 'stored/c.jpg'],
    );
    assert.deepEqual(
      f.skipped.filter((s) => s.code === 'DUPLICATE_PATH').map((s) => s.path),
      ['link-to-file.jpg', 'outside-file.png', 'real/alias'],
    );
  } finally {
    cleanup();
    cleanupOutside();
  }
});

test('walk: a ladder of links (L_i/a and L_i/b both to ../L_i+1) visits each folder once', async () => {
  const { dir, cleanup } = tempDir();
  try {
    const levels = 40; // followed naively: 2^41 - 1 paths to one picture
    const image = symlinkLadder(dir, levels);
    const r = await walk(dir, defaults);
    assert.deepEqual(
      r.files.map((f) => f.rel),
      [image],
    );
    assert.equal(r.skipped.length, 2 * levels);
    assert.ok(r.skipped.every((s) => s.code === 'DUPLICATE_PATH' && /^L\d+\/[ab]$/.test(s.path)));
  } finally {
    cleanup();
  }
});

test('walk: links to /, /proc, /sys and /dev are never walked, even with followOutside', async () => {
  const { dir, cleanup } = tempDir();
  try {
    const links = systemLinks(dir);
    for (const followOutside of [false, true]) {
      const r = await walk(dir, { ...defaults, followOutside });
      assert.deepEqual(
        r.files.map((f) => f.rel),
        ['real.png'],
      );
      const codes = Object.fromEntries(r.skipped.map((s) => [s.path, s.code]));
      // With followOutside a link to / leads to a folder holding the dataset: a loop.
      assert.deepEqual(codes, {
        'to-dev': 'SYMLINK_OUTSIDE',
        'to-proc': 'SYMLINK_OUTSIDE',
        'to-root': followOutside ? 'SYMLINK_LOOP' : 'SYMLINK_OUTSIDE',
        'to-sys': 'SYMLINK_OUTSIDE',
      });
      assert.equal(links.length, 4);
    }
    await assert.rejects(walk('/proc', defaults), (e: Error & { code?: string }) => e.code === 'INVALID_OPTION' && /system folder/.test(e.message));
  } finally {
    cleanup();
  }
});

test('walk: a name that is not UTF-8 is listed by its bytes (escaped), and opens', async () => {
  const { dir, cleanup } = tempDir();
  try {
    const name = Buffer.concat([Buffer.from('caf'), Buffer.from([0xe9]), Buffer.from('.png')]);
    writeFileSync(Buffer.concat([Buffer.from(dir + '/'), name]), 'x');
    mkdirSync(Buffer.concat([Buffer.from(dir + '/d'), Buffer.from([0xff])]));
    writeFileSync(Buffer.concat([Buffer.from(dir + '/d'), Buffer.from([0xff]), Buffer.from('/in.png')]), 'yy');
    const r = await walk(dir, defaults);
    assert.deepEqual(
      r.files.map((f) => f.rel),
      ['caf\udce9.png', 'd\udcff/in.png'],
    );
    assert.deepEqual(r.skipped, []);
    assert.deepEqual(
      r.files.map((f) => f.size),
      [1, 2],
    );
    assert.deepEqual(nameToBytes(r.files[0].rel), name);
  } finally {
    cleanup();
  }
});

test('walk: hard links are two names (both listed, one id); a bind mount of a folder inside itself is entered once', async (t) => {
  const { dir, cleanup } = tempDir();
  try {
    tree(dir, { 'a/x.jpg': 'x' });
    linkSync(join(dir, 'a', 'x.jpg'), join(dir, 'hard.jpg'));
    const r = await walk(dir, defaults);
    assert.deepEqual(
      r.files.map((f) => f.rel),
      ['a/x.jpg', 'hard.jpg'],
    );
    assert.equal(r.files[0].id, r.files[1].id);
    if (process.getuid?.() !== 0) {
      t.diagnostic('bind mount part skipped: needs root');
      return;
    }
    mkdirSync(join(dir, 'mnt'));
    if (spawnSync('mount', ['--bind', join(dir, 'a'), join(dir, 'mnt')]).status !== 0) {
      t.diagnostic('bind mount part skipped: mount --bind is not allowed here');
      return;
    }
    try {
      const m = await walk(dir, defaults);
      assert.deepEqual(
        m.files.map((f) => f.rel),
        ['a/x.jpg', 'hard.jpg'],
      );
      assert.deepEqual(
        m.skipped.map((s) => [s.path, s.code]),
        [['mnt', 'DUPLICATE_PATH']],
      );
    } finally {
      spawnSync('umount', [join(dir, 'mnt')]);
    }
  } finally {
    cleanup();
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
