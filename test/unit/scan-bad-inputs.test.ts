import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildManifest, serializeManifest, validateManifest } from '../../src/core/manifest/index.js';
import { scanFolder } from '../../src/core/scan/scanFolder.js';
import { scanWithPermissions, tempDir, writeImage } from '../helpers/scan-fixtures.js';

/** A 4x4 24-bit BMP: a real image in a format the decoder does not read. */
function bmp(): Buffer {
  const w = 4;
  const h = 4;
  const data = Buffer.alloc(w * h * 3, 0x80);
  const header = Buffer.alloc(54);
  header.write('BM', 0, 'ascii');
  header.writeUInt32LE(54 + data.length, 2);
  header.writeUInt32LE(54, 10);
  header.writeUInt32LE(40, 14);
  header.writeInt32LE(w, 18);
  header.writeInt32LE(h, 22);
  header.writeUInt16LE(1, 26);
  header.writeUInt16LE(24, 28);
  header.writeUInt32LE(data.length, 34);
  return Buffer.concat([header, data]);
}

async function badFolder(dir: string): Promise<void> {
  await writeImage(join(dir, 'good.jpg'), 1);
  await writeImage(join(dir, 'with space.jpg'), 2);
  mkdirSync(join(dir, 'ünï cødé'));
  await writeImage(join(dir, 'ünï cødé', '写真 €.png'), 3, { kind: 'png' });
  await writeImage(join(dir, `<img src=x onerror="alert('x')">&amp;.jpg`), 4);
  await writeImage(join(dir, 'png-named-as.jpg'), 5, { kind: 'png' }); // wrong extension, real image: fine
  writeFileSync(join(dir, 'zero.jpg'), '');
  writeFileSync(join(dir, 'truncated.jpg'), readFileSync(join(dir, 'good.jpg')).subarray(0, 600));
  writeFileSync(join(dir, 'text.jpg'), 'this is not an image\n');
  writeFileSync(join(dir, 'picture.bmp'), bmp());
  await writeImage(join(dir, 'unreadable.jpg'), 6);
  chmodSync(join(dir, 'unreadable.jpg'), 0o000);
  mkdirSync(join(dir, 'locked'));
  writeFileSync(join(dir, 'locked', 'inside.jpg'), 'x');
  chmodSync(join(dir, 'locked'), 0o000);
  symlinkSync(join(dir, 'missing.jpg'), join(dir, 'broken-link.jpg'));
  symlinkSync('loop.jpg', join(dir, 'loop.jpg'));
  mkdirSync(join(dir, 'sub'));
  symlinkSync(dir, join(dir, 'sub', 'back-to-root'));
}

test('bad inputs in a scanned folder: each is a skipped record with its code, the good files are hashed, the scan completes', async () => {
  const { dir, cleanup } = tempDir();
  try {
    await badFolder(dir);
    const r = await scanWithPermissions(dir, { useCache: false });
    assert.deepEqual(
      r.files.map((f) => f.path).sort(),
      [`<img src=x onerror="alert('x')">&amp;.jpg`, 'good.jpg', 'png-named-as.jpg', 'with space.jpg', 'ünï cødé/写真 €.png'].sort(),
    );
    assert.deepEqual(
      r.skipped.map((s) => [s.path, s.code]),
      [
        ['broken-link.jpg', 'BROKEN_SYMLINK'],
        ['locked', 'UNREADABLE'],
        ['loop.jpg', 'SYMLINK_LOOP'],
        ['picture.bmp', 'UNSUPPORTED_FORMAT'],
        ['sub/back-to-root', 'SYMLINK_LOOP'],
        ['text.jpg', 'NOT_AN_IMAGE'],
        ['truncated.jpg', 'TRUNCATED_IMAGE'],
        ['unreadable.jpg', 'UNREADABLE'],
        ['zero.jpg', 'EMPTY_FILE'],
      ],
    );
    for (const s of r.skipped) {
      assert.ok(s.message.length > 15, `message for ${s.path}: ${s.message}`);
      assert.ok(!s.message.includes(dir), `no absolute paths in messages: ${s.message}`);
    }
  } finally {
    chmodSync(join(dir, 'locked'), 0o755);
    cleanup();
  }
});

test('bad inputs: the manifest lists every skipped file, validates, and keeps odd names intact in JSON', async () => {
  const { dir, cleanup } = tempDir();
  try {
    await badFolder(dir);
    await writeImage(join(dir, 'good copy.jpg'), 1); // a duplicate pair with a space in a name
    await writeImage(join(dir, 'a copy of <img>.jpg'), 4); // and one with HTML characters on both sides
    const result = await scanFolder(dir, { useCache: false });
    const m = buildManifest(result);
    assert.deepEqual(validateManifest(JSON.parse(serializeManifest(m))), []);
    assert.equal(m.skipped.length, result.skipped.length);
    assert.ok(m.skipped.some((s) => s.path === 'zero.jpg' && s.code === 'EMPTY_FILE'));
    const html = `<img src=x onerror="alert('x')">&amp;.jpg`;
    assert.deepEqual(m.remove, [html, 'good copy.jpg'].sort());
    const parsed = JSON.parse(serializeManifest(m)) as { files: { path: string }[]; clusters: { keep: string }[] };
    assert.ok(parsed.files.some((f) => f.path === html));
    assert.ok(parsed.clusters.some((c) => c.keep === 'a copy of <img>.jpg'));
  } finally {
    chmodSync(join(dir, 'locked'), 0o755);
    chmodSync(join(dir, 'unreadable.jpg'), 0o644);
    cleanup();
  }
});
