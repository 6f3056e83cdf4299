// The Python of docs/manifest.md and the README, run against the manifest `media-dedupe scan` writes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from '../testing/runInProcess.js';
import { tempDir } from '../../core/testing/tempDir.js';
import { writeImage } from '../../core/testing/images.js';

// The Python a training script uses (docs/manifest.md), run as written against a manifest we produce.
const DOC = join(__dirname, '..', '..', '..', 'docs', 'manifest.md');
const README = join(__dirname, '..', '..', '..', 'README.md');

function snippetIn(file: string, name: string): string | undefined {
  if (!existsSync(file)) return undefined;
  return new RegExp(`<!-- python-snippet:${name} -->\\s*\`\`\`python\\n([\\s\\S]*?)\`\`\``).exec(readFileSync(file, 'utf8'))?.[1];
}

function snippet(name: string): string {
  const s = snippetIn(DOC, name);
  if (!s) throw new Error(`docs/manifest.md has no python-snippet:${name}`);
  // A copy in the README (marked the same way) must be the very same code.
  const inReadme = snippetIn(README, name);
  if (inReadme !== undefined) assert.equal(inReadme, s, `README.md's python-snippet:${name} differs from docs/manifest.md`);
  return s;
}

const python = spawnSync('python3', ['--version'], { encoding: 'utf8' });
const skip = python.status === 0 ? false : 'python3 is not installed here, so the README/docs Python cannot be run';

function runPython(cwd: string, code: string): string {
  const r = spawnSync('python3', ['-c', code], { cwd, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout;
}

test('docs: the three-line Python filters a training list with the manifest', { skip }, async () => {
  const filter = snippet('filter');
  assert.equal(filter.trim().split('\n').length, 3);
  const { dir, cleanup } = tempDir();
  try {
    const data = join(dir, 'data');
    mkdirSync(join(data, 'cats'), { recursive: true });
    await writeImage(join(data, 'cats', 'a.jpg'), 1);
    await writeImage(join(data, 'cats', 'a copy é.jpg'), 1, { quality: 40 });
    await writeImage(join(data, 'b.png'), 2, { kind: 'png' });
    assert.equal((await runCli(['scan', data])).code, 0);
    const train = ['b.png', 'cats/a copy é.jpg', 'cats/a.jpg'];
    const out = runPython(dir, `train_files = ${JSON.stringify(train)}\n${filter}\nimport json as _json\nprint(_json.dumps(train_files))`);
    assert.deepEqual(JSON.parse(out), ['b.png', 'cats/a.jpg']);
  } finally {
    cleanup();
  }
});

test('docs: the staleness check finds files changed or deleted since the scan', { skip }, async () => {
  const stale = snippet('stale');
  const { dir, cleanup } = tempDir();
  try {
    const data = join(dir, 'data');
    mkdirSync(data);
    await writeImage(join(data, 'a.jpg'), 1);
    await writeImage(join(data, 'a2.jpg'), 1, { quality: 50 });
    await writeImage(join(data, 'c.jpg'), 3);
    await writeImage(join(data, 'c2.jpg'), 3, { scale: 0.5 });
    assert.equal((await runCli(['scan', data])).code, 0);
    const print = `${stale}\nimport json as _json\nprint(_json.dumps(stale))`;
    assert.deepEqual(JSON.parse(runPython(dir, print)), []);
    await writeImage(join(data, 'a2.jpg'), 1, { quality: 30 });
    rmSync(join(data, 'c2.jpg'));
    assert.deepEqual(JSON.parse(runPython(dir, print)), ['a2.jpg', 'c2.jpg']);
  } finally {
    cleanup();
  }
});

test('non-UTF-8 names: the manifest’s \\udcXX form is what Python’s os.listdir gives, and open() reaches the file', { skip }, async () => {
  const { nameFromBytes } = await import('../../core/files/nameBytes.js');
  const { buildManifest, serializeManifest } = await import('../../core/manifest/index.js');
  const { fakeResult } = await import('../../core/testing/manifestFixtures.js');
  const { writeFileSync } = await import('node:fs');
  const { dir, cleanup } = tempDir();
  try {
    const raw = Buffer.from([0x63, 0x61, 0x66, 0xe9, 0x2e, 0x6a, 0x70, 0x67]); // "café.jpg" in Latin-1
    writeFileSync(Buffer.concat([Buffer.from(dir + '/'), raw]), 'x');
    const name = nameFromBytes(raw);
    const file = (path: string, c: string) => ({ path, kind: 'image' as const, size: 1, mtimeMs: 1, width: 9, height: 9, fingerprint: c.repeat(64) });
    const m = buildManifest(
      fakeResult({ files: [file('a.jpg', 'a'), file(name, 'b')], pairs: [{ a: 'a.jpg', b: name, distance: 0, hasher: 'phash16' }], skipped: [] }),
    );
    writeFileSync(join(dir, 'dedupe-manifest.json'), serializeManifest(m));
    const out = runPython(
      dir,
      'import json, os\nm = json.load(open("dedupe-manifest.json"))\nr = m["remove"][0]\nprint(json.dumps([r in os.listdir("."), os.path.isfile(r), list(os.fsencode(r))]))',
    );
    assert.deepEqual(JSON.parse(out), [true, true, [...raw]]);
  } finally {
    cleanup();
  }
});

test('docs: the Python drops leaked files (pairs across splits) from a training list', { skip }, async () => {
  const leaks = snippet('leaks');
  const { dir, cleanup } = tempDir();
  try {
    const data = join(dir, 'data');
    mkdirSync(join(data, 'train'), { recursive: true });
    mkdirSync(join(data, 'test'), { recursive: true });
    await writeImage(join(data, 'train', 'a.jpg'), 1);
    await writeImage(join(data, 'train', 'b.jpg'), 2);
    await writeImage(join(data, 'test', 'a.png'), 1, { kind: 'png', scale: 0.8 });
    assert.equal((await runCli(['scan', data, '--splits', 'train,test', '--remove', 'reviewed'])).code, 0);
    const train = ['train/a.jpg', 'train/b.jpg'];
    const out = runPython(dir, `train_files = ${JSON.stringify(train)}\n${leaks}\nimport json as _json\nprint(_json.dumps(train_files))`);
    assert.deepEqual(JSON.parse(out), ['train/b.jpg']);
  } finally {
    cleanup();
  }
});
