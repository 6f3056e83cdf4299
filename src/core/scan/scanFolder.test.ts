import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import sharp from 'sharp';
import { FIXTURES_DIR } from '../testing/dataDirs.js';
import { CACHE_VERSION } from '../cache/hashCache.js';
import { decodeColorSignature } from '../hashers/colorSignature.js';
import { NO_FACTS } from '../decisions/types.js';
import { buildManifest, serializeManifest, validateManifest } from '../manifest/index.js';
import { assembleManifest, decideInput, measureScan, DEFAULT_DECISION_SETTINGS, type DecisionSettings } from '../manifest/build.js';
import { recordScanClusters, reusableClusters, scanDecisionsOf } from '../decisions/scanDecisions.js';
import { patternPixels, writeImage } from '../testing/images.js';
import { xorshift32 } from '../testing/plantedHashes.js';
import { tempDir } from '../testing/tempDir.js';
import type { Pair, ScanOptions, ScanProgress } from '../types.js';
import { DEFAULT_SCAN_OPTIONS } from './options.js';
import { redecide, scanFolder } from './scanFolder.js';
import { decide } from '../decisions/decide.js';

const FIXTURES = join(FIXTURES_DIR, 'images');

/** cats/: an image, a half-size copy, a low-quality copy, a PNG copy and a mirror; dogs/: three distinct images and one cross-folder copy. */
async function dataset(dir: string): Promise<void> {
  mkdirSync(join(dir, 'cats'));
  mkdirSync(join(dir, 'dogs'));
  await writeImage(join(dir, 'cats', 'a.jpg'), 1);
  await writeImage(join(dir, 'cats', 'a_half.jpg'), 1, { scale: 0.5 });
  await writeImage(join(dir, 'cats', 'a_q30.jpg'), 1, { quality: 30 });
  await writeImage(join(dir, 'cats', 'a.png'), 1, { kind: 'png' });
  await writeImage(join(dir, 'cats', 'a_mirror.jpg'), 1, { flip: true });
  for (const s of [2, 3, 4]) await writeImage(join(dir, 'dogs', `d${s}.jpg`), s);
  await writeImage(join(dir, 'dogs', 'copy_of_a.webp'), 1, { kind: 'webp' });
}

test('scan: pairs, clusters with the keep policy, progress to the callback, stats', async () => {
  const { dir, cleanup } = tempDir();
  try {
    await dataset(dir);
    const progress: ScanProgress[] = [];
    const r = await scanFolder(dir, { useCache: false }, { onProgress: (p) => progress.push(p) });
    assert.equal(r.cancelled, false);
    assert.equal(r.files.length, 9);
    assert.deepEqual(r.skipped, []);
    const inCluster = ['cats/a.jpg', 'cats/a.png', 'cats/a_half.jpg', 'cats/a_q30.jpg', 'dogs/copy_of_a.webp'];
    assert.equal(r.clusters.length, 1);
    assert.deepEqual([r.clusters[0].keep, ...r.clusters[0].members.map((m) => m.path)].sort(), inCluster.sort());
    // Full resolution and largest file: the PNG.
    assert.equal(r.clusters[0].keep, 'cats/a.png');
    for (const p of r.pairs) assert.ok(p.a < p.b && p.distance < 0.2 && p.hasher === 'phash16');
    assert.deepEqual(
      r.pairs,
      [...r.pairs].sort((x, y) => (x.a < y.a ? -1 : x.a > y.a ? 1 : x.b < y.b ? -1 : 1)),
    );
    assert.equal(r.files.find((f) => f.path === 'cats/a_half.jpg')?.width, 64);
    assert.match(r.files[0].fingerprint, /^[0-9a-f]{64}$/);
    assert.equal(r.stats.hashed, 9);
    assert.ok(progress.some((p) => p.phase === 'walk'));
    const hash = progress.filter((p) => p.phase === 'hash');
    assert.equal(hash.at(-1)?.done, 9);
    assert.ok(hash.every((p) => p.total === 9));
    assert.equal(progress.at(-1)?.phase, 'done');
    assert.equal(existsSync(join(dir, '.media-dedupe')), false, '--no-cache writes nothing into the dataset');
  } finally {
    cleanup();
  }
});

test('scan --isometric finds the mirror image; --group-by folder keeps pairs within a folder', async () => {
  const { dir, cleanup } = tempDir();
  try {
    await dataset(dir);
    const iso = await scanFolder(dir, { useCache: false, isometric: true });
    const mirror = iso.pairs.find((p) => p.a === 'cats/a.jpg' && p.b === 'cats/a_mirror.jpg');
    assert.ok(mirror);
    assert.equal(mirror.transform, 'fh');
    const grouped = await scanFolder(dir, { useCache: false, groupBy: 'folder' });
    assert.ok(grouped.pairs.every((p) => p.a.split('/')[0] === p.b.split('/')[0]));
    assert.ok(!grouped.pairs.some((p) => p.b === 'dogs/copy_of_a.webp'));
  } finally {
    cleanup();
  }
});

test('scan: the cache makes a re-scan stat-only; a changed file is hashed again; the manifest is byte-identical', async () => {
  const { dir, cleanup } = tempDir();
  try {
    await dataset(dir);
    const first = await scanFolder(dir);
    assert.equal(first.stats.hashed, 9);
    assert.equal(readFileSync(join(dir, '.media-dedupe', '.gitignore'), 'utf8'), '*\n');
    const second = await scanFolder(dir);
    assert.equal(second.stats.hashed, 0);
    assert.equal(second.stats.cached, 9);
    assert.equal(serializeManifest(buildManifest(second)), serializeManifest(buildManifest(first)));
    const uncached = await scanFolder(dir, { useCache: false });
    assert.equal(serializeManifest(buildManifest(uncached)), serializeManifest(buildManifest(first)));

    const later = new Date(Date.now() + 5000);
    utimesSync(join(dir, 'dogs', 'd2.jpg'), later, later);
    const third = await scanFolder(dir);
    assert.equal(third.stats.hashed, 1);
    // A hasher change hashes again (into its own cache file); the first cache stays for switching back.
    const dhash = await scanFolder(dir, { hashers: [{ name: 'dhash', threshold: 0.07 }] });
    assert.equal(dhash.stats.hashed, 9);
    assert.equal(readdirSync(join(dir, '.media-dedupe')).filter((n) => n.endsWith('.jsonl')).length, 2);
    assert.equal((await scanFolder(dir)).stats.hashed, 0);
    // Isometric variants are not in the plain cache: hashed once more, then cached.
    assert.equal((await scanFolder(dir, { isometric: true })).stats.hashed, 9);
    assert.equal((await scanFolder(dir, { isometric: true })).stats.hashed, 0);
  } finally {
    cleanup();
  }
});

test('scan: a cancelled scan keeps what was hashed, and the next scan finishes the rest', async () => {
  const { dir, cleanup } = tempDir();
  try {
    for (let i = 0; i < 40; i++) await writeImage(join(dir, `img${String(i).padStart(2, '0')}.jpg`), 100 + i, { width: 64, height: 48 });
    const signal = { cancelled: false };
    const part = await scanFolder(
      dir,
      {},
      {
        signal,
        onProgress: (p) => {
          if (p.phase === 'hash' && p.done >= 10) signal.cancelled = true;
        },
      },
    );
    assert.equal(part.cancelled, true);
    assert.ok(part.stats.hashed >= 10 && part.stats.hashed < 40, `hashed ${part.stats.hashed}`);
    assert.equal(part.files.length, part.stats.hashed);
    const rest = await scanFolder(dir);
    assert.equal(rest.cancelled, false);
    assert.equal(rest.stats.cached, part.stats.hashed);
    assert.equal(rest.stats.hashed, 40 - part.stats.hashed);
    assert.equal(rest.files.length, 40);
  } finally {
    cleanup();
  }
});

test('scan: a scan killed part-way (SIGKILL) keeps what it hashed; the next scan hashes only the rest', async () => {
  const { dir, cleanup } = tempDir();
  try {
    const n = 150;
    for (let i = 0; i < n; i++) await writeImage(join(dir, `img${String(i).padStart(3, '0')}.png`), 500 + i, { kind: 'png', width: 64, height: 48 });
    const entry = join(__dirname, 'scanFolder.ts');
    const child = spawn(process.execPath, ['--import', 'tsx', '-e', `require(${JSON.stringify(entry)}).scanFolder(${JSON.stringify(dir)})`], {
      stdio: 'ignore',
    });
    const cacheDir = join(dir, '.media-dedupe');
    const lines = (): number => {
      const f = existsSync(cacheDir) ? readdirSync(cacheDir).find((x) => x.endsWith('.jsonl')) : undefined;
      return f ? readFileSync(join(cacheDir, f), 'utf8').split('\n').length - 2 : 0;
    };
    const t0 = Date.now();
    while (lines() < 20 && Date.now() - t0 < 60_000) await new Promise((r) => setTimeout(r, 20));
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));
    const kept = lines();
    assert.ok(kept >= 20 && kept < n, `${kept} entries on disk when killed`);
    const next = await scanFolder(dir);
    assert.equal(next.cancelled, false);
    assert.ok(next.stats.cached >= 20, `cached ${next.stats.cached}`);
    assert.equal(next.stats.cached + next.stats.hashed, n);
  } finally {
    cleanup();
  }
});

test('scan: a corrupt cache is rebuilt, never trusted, and says so in the log', async () => {
  const { dir, cleanup } = tempDir();
  try {
    await dataset(dir);
    const good = await scanFolder(dir);
    const cacheFile = readdirSync(join(dir, '.media-dedupe')).find((n) => n.endsWith('.jsonl'))!;
    const path = join(dir, '.media-dedupe', cacheFile);
    // Swap two hashes inside the file: valid JSON, wrong data. Checksums catch it.
    const text = readFileSync(path, 'utf8');
    const hashes = [...text.matchAll(/"phash:[^"]*":"([^"]+)"/g)].map((m) => m[1]);
    writeFileSync(path, text.replace(hashes[0], '__A__').replace(hashes[1], hashes[0]).replace('__A__', hashes[1]));
    const logs: string[] = [];
    const again = await scanFolder(dir, {}, { log: (m) => logs.push(m) });
    assert.ok(
      logs.some((l) => /2 corrupt lines/.test(l)),
      logs.join('\n'),
    );
    assert.equal(again.stats.hashed, 2);
    assert.deepEqual(again.pairs, good.pairs);

    writeFileSync(path, '\u0000\u0001garbage');
    const logs2: string[] = [];
    const rebuilt = await scanFolder(dir, {}, { log: (m) => logs2.push(m) });
    assert.ok(
      logs2.some((l) => /rebuilding/.test(l)),
      logs2.join('\n'),
    );
    assert.equal(rebuilt.stats.hashed, 9);
    assert.deepEqual(rebuilt.pairs, good.pairs);
  } finally {
    cleanup();
  }
});

test('scan: above --approximate-above files the LSH candidate search runs (verified exactly) and finds the same pairs here', async () => {
  const { dir, cleanup } = tempDir();
  try {
    await dataset(dir);
    const exact = await scanFolder(dir, { useCache: false });
    const logs: string[] = [];
    const approx = await scanFolder(dir, { useCache: false, approximateAbove: 2 }, { log: (m) => logs.push(m) });
    assert.ok(
      logs.some((l) => /approximate candidates for 9 files/.test(l)),
      logs.join('\n'),
    );
    assert.deepEqual(approx.pairs, exact.pairs);
    await assert.rejects(scanFolder(dir, { approximateAbove: 1.5 }), /Expected an integer between 2 and .* for approximateAbove but received 1.5/);
  } finally {
    cleanup();
  }
});

test('scan: bad options fail at once with "Expected X for Y but received Z"', async () => {
  const { dir, cleanup } = tempDir();
  try {
    await assert.rejects(scanFolder(dir, { hashers: [{ name: 'nope', threshold: 0.1 }] }), /Expected one of phash, .* for hasher but received "nope"/);
    await assert.rejects(scanFolder(dir, { hashers: [] }), /Expected a non-empty list of hashers for hashers/);
    await assert.rejects(
      scanFolder(dir, { hashers: [{ name: 'phash', hashSize: 16, threshold: 2 }] }),
      /Expected a number between 0 and 1 for threshold of phash but received 2/,
    );
    await assert.rejects(scanFolder(dir, { hashers: [{ name: 'pdq', hashSize: 16, threshold: 0.2 }] }), /for hash size of pdq/);
    await assert.rejects(scanFolder(dir, { groupBy: 'class' as never }), /Expected one of none, folder, parent for groupBy but received "class"/);
    await assert.rejects(scanFolder(dir, { protect: [''] }), /Expected a list of non-empty strings for protect/);
    await assert.rejects(scanFolder(join(dir, 'missing')), (e: Error & { code?: string }) => e.code === 'NOT_FOUND');
    assert.equal(DEFAULT_SCAN_OPTIONS.hashers[0].name, 'phash');
  } finally {
    cleanup();
  }
});

/**
 * Runs `scanFolder(dir, options)` so that file permissions mean something: in this process normally, but
 * as the unprivileged user `nobody` in a child process when the tests run as root (root reads
 * everything, so a chmod 000 file would not be unreadable). Returns the result's files and skipped.
 */
async function scanWithPermissions(
  dir: string,
  options: Record<string, unknown>,
): Promise<{ files: { path: string }[]; skipped: { path: string; code: string; message: string }[]; asNobody: boolean }> {
  if (process.getuid?.() !== 0) {
    const r = await scanFolder(dir, options);
    return { files: [...r.files], skipped: [...r.skipped], asNobody: false };
  }
  chmodSync(dir, 0o777);
  const entry = resolve(__dirname, 'scanFolder.ts');
  const script = `require(${JSON.stringify(entry)}).scanFolder(${JSON.stringify(dir)}, ${JSON.stringify(options)}).then((r) => process.stdout.write(JSON.stringify({ files: r.files, skipped: r.skipped })), (e) => { console.error(e); process.exit(1); })`;
  const r = spawnSync(process.execPath, ['--import', 'tsx', '-e', script], {
    uid: 65534,
    gid: 65534,
    cwd: resolve(__dirname, '..', '..', '..'),
    encoding: 'utf8',
  });
  if (r.status !== 0) throw new Error(`scan as nobody failed (${r.status}): ${r.stderr}`);
  return { ...(JSON.parse(r.stdout) as { files: { path: string }[]; skipped: { path: string; code: string; message: string }[] }), asNobody: true };
}

/** A 4x4 BMP declaring JPEG-compressed pixels (BI_JPEG): a BMP variant the decoder, like cv2.imread, does not read. */
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
  header.writeUInt32LE(4, 30);
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
    // The keep policy prefers the name without a copy marker ("copy"), so the HTML-named file is kept.
    assert.deepEqual(m.remove, ['a copy of <img>.jpg', 'good copy.jpg']);
    const parsed = JSON.parse(serializeManifest(m)) as { files: { path: string }[]; clusters: { keep: string }[] };
    assert.ok(parsed.files.some((f) => f.path === 'a copy of <img>.jpg'));
    assert.ok(parsed.clusters.some((c) => c.keep === html));
  } finally {
    chmodSync(join(dir, 'locked'), 0o755);
    chmodSync(join(dir, 'unreadable.jpg'), 0o644);
    cleanup();
  }
});

test('scan: an isometric scan keeps a rotated and a mirrored copy, and still drops a recoloured mirror', async () => {
  const src = readFileSync(join(FIXTURES, 'ihc.jpg'));
  const { dir, cleanup } = tempDir();
  try {
    await sharp(src).toFile(join(dir, 'a.jpg'));
    await sharp(src).rotate(90).jpeg({ quality: 85 }).toFile(join(dir, 'a_rot.jpg'));
    await sharp(src).flip().jpeg({ quality: 85 }).toFile(join(dir, 'a_flip.jpg'));
    await sharp(src).flip().modulate({ hue: 120 }).jpeg({ quality: 85 }).toFile(join(dir, 'a_flip_recoloured.jpg'));
    const r = await scanFolder(dir, { isometric: true, useCache: false, colorCheck: true });
    assert.deepEqual(
      r.pairs.map((p) => `${p.a} ${p.b} ${p.transform ?? ''}`),
      ['a.jpg a_flip.jpg fv', 'a.jpg a_rot.jpg r90', 'a_flip.jpg a_rot.jpg r90fv'],
    );
    assert.equal(r.stats.colorRejected, 3);
  } finally {
    cleanup();
  }
});

test("scan: the colour check (opt-in) drops a recoloured copy and keeps re-encoded ones; off, the pairs are perception's; the cache keeps the signatures", async () => {
  const { dir, cleanup } = tempDir();
  try {
    const src = readFileSync(join(FIXTURES, 'chelsea.jpg'));
    await sharp(src).toFile(join(dir, 'cat.jpg'));
    await sharp(src).jpeg({ quality: 40 }).toFile(join(dir, 'cat_q40.jpg'));
    await sharp(src).greyscale().png().toFile(join(dir, 'cat_grey.png'));
    await sharp(src).modulate({ hue: 120 }).jpeg({ quality: 90 }).toFile(join(dir, 'cat_recoloured.jpg'));
    const key = (p: Pair): string => `${p.a} ${p.b}`;

    const checked = await scanFolder(dir, { colorCheck: true });
    // A greyscale copy holds no colour, so it stays paired with every colour version (documented).
    assert.deepEqual(checked.pairs.map(key), ['cat.jpg cat_grey.png', 'cat.jpg cat_q40.jpg', 'cat_grey.png cat_q40.jpg', 'cat_grey.png cat_recoloured.jpg']);
    assert.equal(checked.stats.colorRejected, 2);
    assert.ok(!checked.pairs.some((p) => p.b === 'cat_recoloured.jpg' && p.a !== 'cat_grey.png'));
    assert.equal(checked.options.colorCheck, true);

    // Switching the check off re-uses the cached hashes and signatures.
    const parity = await scanFolder(dir, { colorCheck: false });
    assert.equal(parity.stats.hashed, 0);
    assert.equal(parity.stats.colorRejected, undefined);
    assert.equal(parity.pairs.length, 6, 'every pair of the four files: perception pairs them all');
    assert.deepEqual(buildManifest(parity).settings.colorCheck, false);
    assert.equal(buildManifest(checked).settings.colorCheck, true);
    // Off is the default: the same pairs as colorCheck: false.
    const byDefault = await scanFolder(dir);
    assert.equal(byDefault.options.colorCheck, false);
    assert.deepEqual(byDefault.pairs.map(key), parity.pairs.map(key));

    const cacheDir = join(dir, '.media-dedupe');
    const lines = readFileSync(
      join(
        cacheDir,
        readdirSync(cacheDir).find((n) => n.endsWith('.jsonl'))!,
      ),
      'utf8',
    )
      .trim()
      .split('\n');
    assert.match(lines[0], new RegExp(`"version":${CACHE_VERSION}`));
    for (const l of lines.slice(1)) assert.ok(decodeColorSignature((JSON.parse(l.slice(0, l.lastIndexOf('\t'))) as { c?: string }).c), l.slice(0, 60));
  } finally {
    cleanup();
  }
});

test('scan: a default scan takes no colour signatures; turning the colour check on later re-hashes what lacks one, with the same pairs as a first scan', async () => {
  const { dir, cleanup } = tempDir();
  try {
    const src = readFileSync(join(FIXTURES, 'chelsea.jpg'));
    await sharp(src).toFile(join(dir, 'cat.jpg'));
    await sharp(src).jpeg({ quality: 40 }).toFile(join(dir, 'cat_q40.jpg'));
    await sharp(src).modulate({ hue: 120 }).jpeg({ quality: 90 }).toFile(join(dir, 'cat_recoloured.jpg'));
    const key = (p: Pair): string => `${p.a} ${p.b}`;
    const plain = await scanFolder(dir);
    assert.equal(plain.stats.hashed, 3);
    const cacheDir = join(dir, '.media-dedupe');
    const cacheLines = (): string[] =>
      readFileSync(
        join(
          cacheDir,
          readdirSync(cacheDir).find((n) => n.endsWith('.jsonl'))!,
        ),
        'utf8',
      )
        .trim()
        .split('\n')
        .slice(1);
    for (const l of cacheLines()) assert.equal((JSON.parse(l.slice(0, l.lastIndexOf('\t'))) as { c?: string }).c, undefined, l.slice(0, 60));
    const checked = await scanFolder(dir, { colorCheck: true });
    assert.equal(checked.stats.hashed, 3, 'no signature cached: hashed again');
    const fresh = await scanFolder(dir, { colorCheck: true, useCache: false });
    assert.deepEqual(checked.pairs.map(key), fresh.pairs.map(key));
    assert.equal(checked.stats.colorRejected, fresh.stats.colorRejected);
    assert.ok((checked.stats.colorRejected ?? 0) > 0);
    const again = await scanFolder(dir, { colorCheck: true });
    assert.equal(again.stats.hashed, 0, 'the signatures are cached now');
  } finally {
    cleanup();
  }
});

test("scan: the keep policy's facts (format, JPEG quality, re-encode, borders) reach the records, fresh and from the cache; the JPEG is kept over its PNG re-encode", async () => {
  const { dir, cleanup } = tempDir();
  try {
    // A textured picture (grain), so the PNG made from the JPEG carries its 8x8 grid.
    const next = xorshift32(7);
    const w = 256;
    const h = 192;
    const px = Buffer.alloc(w * h * 3);
    for (let i = 0; i < px.length; i++)
      px[i] = Math.max(0, Math.min(255, 128 + Math.round(60 * Math.sin(i / 97) + 40 * Math.cos(i / 1531)) + ((next() & 31) - 16)));
    const jpeg = await sharp(px, { raw: { width: w, height: h, channels: 3 } })
      .jpeg({ quality: 92 })
      .toBuffer();
    writeFileSync(join(dir, 'photo.jpg'), jpeg);
    await sharp(jpeg).png().toFile(join(dir, 'photo.png'));
    await sharp(jpeg).extend({ top: 16, bottom: 16, left: 16, right: 16, background: '#000000' }).jpeg({ quality: 92 }).toFile(join(dir, 'padded.jpg'));
    for (const useCache of [true, true]) {
      const r = await scanFolder(dir, { useCache });
      const rec = new Map(r.files.map((f) => [f.path, f]));
      assert.equal(rec.get('photo.jpg')?.format, 'jpeg');
      assert.equal(rec.get('photo.jpg')?.jpegQuality, 92);
      assert.equal(rec.get('photo.png')?.reencoded, true, 'a PNG of a JPEG is a re-encode');
      assert.equal(rec.get('photo.jpg')?.reencoded, undefined);
      assert.deepEqual([rec.get('padded.jpg')?.contentWidth, rec.get('padded.jpg')?.contentHeight], [w, h]);
      assert.equal(r.clusters.length, 1);
      assert.equal(r.clusters[0].keep, 'photo.jpg', 'neither the re-encode nor the padded copy is kept');
    }
  } finally {
    cleanup();
  }
});

test('bad colorCheck options fail at once', async () => {
  await assert.rejects(scanFolder('.', { colorCheck: 'yes' as unknown as boolean }), /colorCheck/);
});

/** A 64 x 64 low-contrast picture (fog, a grey card) with sensor-like noise: pHash16 of it is mostly noise. */
function flatPicture(seed: number, rgb: readonly [number, number, number]): Buffer {
  const p = patternPixels(seed, 64, 64);
  const next = xorshift32((seed * 2654435761 + 99) >>> 0);
  const u = (): number => (next() + 0.5) / 2 ** 32;
  const px = Buffer.alloc(64 * 64 * 3);
  for (let i = 0; i < 64 * 64; i++) {
    const n = 5 * Math.sqrt(-2 * Math.log(u())) * Math.cos(2 * Math.PI * u());
    const l = (p[3 * i] + p[3 * i + 1] + p[3 * i + 2]) / 3 - 128;
    for (let c = 0; c < 3; c++) px[3 * i + c] = Math.max(0, Math.min(255, Math.round(rgb[c] + 0.08 * l + n)));
  }
  return px;
}

test('scan: near-flat copies pHash misses are paired by the colour check (via flat), not across groups, not in parity mode; the manifest says so', async () => {
  const { dir, cleanup } = tempDir('md-flat-');
  try {
    const raw = { raw: { width: 64, height: 64, channels: 3 as const } };
    const fog = flatPicture(1, [86, 86, 74]);
    mkdirSync(join(dir, 'a'));
    mkdirSync(join(dir, 'b'));
    await sharp(fog, raw)
      .png()
      .toFile(join(dir, 'a', 'fog.png'));
    await sharp(fog, raw)
      .resize(16, 16)
      .jpeg({ quality: 90 })
      .toFile(join(dir, 'a', 'fog_quarter.jpg'));
    await sharp(fog, raw)
      .resize(16, 16)
      .flop()
      .jpeg({ quality: 90 })
      .toFile(join(dir, 'a', 'fog_quarter_mirrored.jpg'));
    await sharp(fog, raw)
      .resize(16, 16)
      .jpeg({ quality: 90 })
      .toFile(join(dir, 'b', 'fog_quarter.jpg'));
    await sharp(flatPicture(11, [86, 86, 74]), raw)
      .png()
      .toFile(join(dir, 'a', 'other_fog.png')); // another picture, same colour
    await sharp(flatPicture(1, [86, 86, 96]), raw)
      .png()
      .toFile(join(dir, 'a', 'fog_bluer.png')); // same picture, bluer

    const parity = await scanFolder(dir, { useCache: false, colorCheck: false });
    const key = (p: Pair): string => `${p.a} ${p.b}`;
    const quarter = parity.pairs.find((p) => key(p) === 'a/fog.png a/fog_quarter.jpg');
    assert.equal(quarter, undefined, 'pHash16 should miss the quarter-size copy (else this test proves nothing)');
    assert.ok(parity.pairs.every((p) => p.via === undefined));

    const logs: string[] = [];
    const r = await scanFolder(dir, { useCache: false, colorCheck: true }, { log: (m) => logs.push(m) });
    const flat = r.pairs.filter((p) => p.via === 'flat');
    assert.ok(
      flat.some((p) => key(p) === 'a/fog.png a/fog_quarter.jpg'),
      JSON.stringify(r.pairs),
    );
    assert.ok(flat.some((p) => key(p) === 'a/fog.png b/fog_quarter.jpg'));
    for (const p of flat) assert.ok(p.distance >= 0.2, `real pHash distance kept: ${p.distance}`);
    const names = new Set(r.pairs.map(key));
    for (const other of ['a/fog.png a/other_fog.png', 'a/fog.png a/fog_bluer.png', 'a/fog_bluer.png a/other_fog.png']) assert.ok(!names.has(other), other);
    assert.ok(!names.has('a/fog.png a/fog_quarter_mirrored.jpg'), 'a mirrored copy only with --isometric');
    assert.ok(
      logs.some((m) => /near-flat images added/.test(m)),
      logs.join('\n'),
    );
    assert.deepEqual(r.pairs.map(key), [...r.pairs.map(key)].sort());

    const grouped = await scanFolder(dir, { useCache: false, colorCheck: true, groupBy: 'folder' });
    assert.ok(grouped.pairs.every((p) => p.a.split('/')[0] === p.b.split('/')[0]));
    assert.ok(grouped.pairs.some((p) => key(p) === 'a/fog.png a/fog_quarter.jpg' && p.via === 'flat'));

    const iso = await scanFolder(dir, { useCache: false, colorCheck: true, isometric: true });
    const mirrored = iso.pairs.find((p) => key(p) === 'a/fog.png a/fog_quarter_mirrored.jpg');
    assert.ok(mirrored, JSON.stringify(iso.pairs));
    assert.equal(mirrored.via, 'flat');
    assert.equal(mirrored.transform, 'fh');
    assert.ok(mirrored.distance >= 0.2);

    const m = buildManifest(r);
    assert.deepEqual(validateManifest(JSON.parse(JSON.stringify(m))), []);
    const mp = m.pairs!.find((p) => `${p.a} ${p.b}` === 'a/fog.png a/fog_quarter.jpg');
    assert.equal(mp?.via, 'flat');
    assert.ok(m.pairs!.filter((p) => p.via === 'flat').length === flat.length);
    assert.ok(m.clusters.some((c) => [c.keep, ...c.members.map((x) => x.path)].includes('a/fog_quarter.jpg')));
    assert.deepEqual(validateManifest({ ...JSON.parse(JSON.stringify(m)), pairs: [{ ...m.pairs![0], via: 'hash' }] }).length > 0, true);
  } finally {
    cleanup();
  }
});

/** 40 byte-identical copies of one PNG (logo.png, logo-00..38.png) and a JPEG re-encode of it (logo.jpg). */
async function writeLogoCopies(dir: string): Promise<void> {
  await writeImage(join(dir, 'logo.png'), 1, { kind: 'png' });
  const bytes = readFileSync(join(dir, 'logo.png'));
  for (let i = 0; i < 39; i++) writeFileSync(join(dir, `logo-${String(i).padStart(2, '0')}.png`), bytes);
  await writeImage(join(dir, 'logo.jpg'), 1);
}

test('scan: 40 byte-identical copies are one node (no pairs among them), clustered with a re-encoded copy found through the node', async () => {
  const { dir, cleanup } = tempDir();
  try {
    await writeLogoCopies(dir);
    await writeImage(join(dir, 'other.png'), 2, { kind: 'png' });
    const r = await scanFolder(dir, { useCache: false });
    assert.equal(r.identical?.length, 1);
    assert.equal(r.identical![0].length, 40);
    assert.ok(r.pairs.length < 5, `${r.pairs.length} pairs listed, not 780`);
    assert.ok(
      r.pairs.some((p) => p.a === 'logo-00.png' && p.b === 'logo.jpg'),
      JSON.stringify(r.pairs),
    );
    assert.equal(r.clusters.length, 1);
    assert.equal(r.clusters[0].members.length + 1, 41, 'every copy and the re-encode, beside the kept file');
    assert.equal(r.clusters[0].members.filter((m) => m.decision === 'remove').length, 40);
    const manifest = buildManifest(r, NO_FACTS, { manifestDir: dir });
    assert.deepEqual(validateManifest(JSON.parse(serializeManifest(manifest))), []);
  } finally {
    cleanup();
  }
});

test('scan --all-pairs (everyPair): the same 40 copies list all 780 pairs among them and 40 with the re-encode, as perception does', async () => {
  const { dir, cleanup } = tempDir();
  try {
    await writeLogoCopies(dir);
    const r = await scanFolder(dir, { useCache: false, everyPair: true });
    assert.equal(r.identical?.length ?? 0, 0, 'no node: every pair is listed');
    assert.equal(r.pairs.filter((p) => p.distance === 0 && p.a.endsWith('.png') && p.b.endsWith('.png')).length, (40 * 39) / 2);
    assert.equal(r.pairs.filter((p) => p.b === 'logo.jpg' || p.a === 'logo.jpg').length, 40);
    assert.equal(r.clusters.length, 1);
    assert.equal(r.clusters[0].members.length + 1, 41);
  } finally {
    cleanup();
  }
});

test('redecide: deciding only the clusters of moved close nodes gives the clusters of deciding everything again', () => {
  // Three clusters: a close node (a, b, c) with d chained to it; e-f; an identical group (g, h) with i.
  const files = 'abcdefghi'.split('').map((n, k) => ({ path: `${n}.png`, size: 1000 + 37 * ((k * 5) % 9), width: 64 + ((k * 7) % 9), height: 64 }));
  const pair = (a: string, b: string, distance: number): Pair => ({ a: `${a}.png`, b: `${b}.png`, distance, hasher: 'phash' });
  const identical = [['g.png', 'h.png']];
  const decideOn = (edges: readonly Pair[], nodes: readonly (readonly string[])[] = identical) =>
    decide({ files, edges, ...(nodes.length > 0 ? { identical: nodes } : {}), facts: NO_FACTS });
  const before = [pair('a', 'b', 0.05), pair('a', 'c', 0.06), pair('c', 'd', 0.18), pair('e', 'f', 0.1), pair('g', 'i', 0.12)];
  // The node's pairs moved onto another member (as recentreClose does): the clusters' members and reasons change.
  const after = [pair('a', 'b', 0.05), pair('b', 'c', 0.04), pair('b', 'd', 0.19), pair('e', 'f', 0.1), pair('g', 'i', 0.12)];
  const first = decideOn(before).clusters;
  const again = redecide(first, [['a.png', 'b.png', 'c.png']], after, identical, decideOn);
  assert.deepEqual(again, decideOn(after).clusters);
  assert.notDeepEqual(again, first, 'the moved pairs change the decided clusters');
  assert.equal(again.length, 3);
  // Only the moved node's cluster is decided again: the others are the very objects decided first.
  for (const untouched of first.filter((c) => !['a.png', 'b.png', 'c.png', 'd.png'].includes(c.keep)))
    assert.ok(again.includes(untouched), `${untouched.keep}'s cluster is kept, not decided again`);
});

test('scan: the manifest takes the scan’s own decisions (no second decide) when its input is the scan’s, with the same bytes as deciding again', async () => {
  const { dir, cleanup } = tempDir();
  try {
    await dataset(dir);
    mkdirSync(join(dir, 'logos'));
    await writeLogoCopies(join(dir, 'logos'));
    const plain = <T>(x: T): unknown => JSON.parse(JSON.stringify(x));
    const cases: [Partial<ScanOptions>, Partial<DecisionSettings>, boolean][] = [
      [{}, {}, true],
      [{ protect: ['cats/a.png', 'logos/logo-0*.png'] }, {}, true],
      [{ strict: true }, {}, true],
      [{ isometric: true }, {}, true],
      // Settings the scan did not decide with: decided again.
      [{}, { remove: 'reviewed' }, false],
      [{}, { keepPolicy: ['largest', 'shortest-path'] }, false],
      [{ groupBy: 'folder' }, {}, false],
    ];
    for (const [options, settings, reused] of cases) {
      const r = await scanFolder(dir, { useCache: false, ...options });
      const meas = measureScan(r, dir);
      assert.ok(meas.scanDecisions, 'the scan recorded its decisions');
      const ds = { ...DEFAULT_DECISION_SETTINGS, ...settings };
      const input = decideInput(meas, NO_FACTS, ds);
      assert.equal(reusableClusters(meas.scanDecisions, input) !== undefined, reused, JSON.stringify([options, settings]));
      const fast = assembleManifest(meas, NO_FACTS, ds);
      const { scanDecisions: _drop, ...without } = meas;
      const slow = assembleManifest(without, NO_FACTS, ds);
      assert.equal(serializeManifest(fast.manifest), serializeManifest(slow.manifest));
      assert.deepEqual(plain(fast.decisions), plain(decide(input)));
      // Facts on disk: decided again, with them.
      const facts = { ...NO_FACTS, fileDecisions: [{ path: 'dogs/d2.jpg', decision: 'remove' as const }] };
      assert.equal(reusableClusters(meas.scanDecisions, decideInput(meas, facts, ds)), undefined);
    }
    // A manifest outside the scanned folder names files by other paths: the clusters are put in them, the same bytes.
    const r = await scanFolder(dir, { useCache: false });
    const outside = measureScan(r, join(dir, '..', 'elsewhere'));
    assert.ok(reusableClusters(outside.scanDecisions, decideInput(outside, NO_FACTS, DEFAULT_DECISION_SETTINGS), outside.scanPathMap));
    const { scanDecisions: _d, ...decideAgain } = outside;
    assert.equal(
      serializeManifest(assembleManifest(outside, NO_FACTS, DEFAULT_DECISION_SETTINGS).manifest),
      serializeManifest(assembleManifest(decideAgain, NO_FACTS, DEFAULT_DECISION_SETTINGS).manifest),
    );
    // The extension's copy, posted from its worker thread with the clusters, reuses them as well.
    const copy = structuredClone(r);
    assert.equal(measureScan(copy, dir).scanDecisions, undefined);
    recordScanClusters(copy, structuredClone(scanDecisionsOf(r)!.clusters));
    const meas = measureScan(copy, dir);
    assert.ok(reusableClusters(meas.scanDecisions, decideInput(meas, NO_FACTS, DEFAULT_DECISION_SETTINGS)));
  } finally {
    cleanup();
  }
});
