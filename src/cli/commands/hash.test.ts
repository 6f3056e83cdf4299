/** `media-dedupe hash`, run in-process through main() with fake streams. */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../main.js';
import { decodeHash } from '../../core/hashers/format.js';
import { ISOMETRIC_KEYS } from '../../core/hashers/types.js';
import { runInProcess } from '../testing/runInProcess.js';
import { FIXTURES_DIR } from '../../core/testing/dataDirs.js';

let dir: string;

async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string; lines: unknown[] }> {
  const { code, stdout, stderr } = await runInProcess(main, argv, dir);
  const lines =
    argv.includes('--json') && !argv.includes('--help')
      ? stdout
          .trim()
          .split('\n')
          .filter(Boolean)
          .map((l) => JSON.parse(l) as unknown)
      : [];
  return { code, out: stdout, err: stderr, lines };
}

before(() => {
  dir = mkdtempSync(join(tmpdir(), 'md-hashcli-'));
  copyFileSync(join(FIXTURES_DIR, 'images', 'chelsea.jpg'), join(dir, 'cat.jpg'));
  copyFileSync(join(FIXTURES_DIR, 'images', 'retina.jpg'), join(dir, 'eye.jpg'));
  writeFileSync(join(dir, 'notes.jpg'), 'not a picture\n');
  writeFileSync(join(dir, 'empty.png'), '');
});

after(() => rmSync(dir, { recursive: true, force: true }));

describe('media-dedupe hash', () => {
  test('--json: one object per line, in argument order, paths as given', async () => {
    const r = await cli('hash', '--json', 'cat.jpg', 'eye.jpg');
    assert.equal(r.code, 0);
    assert.equal(r.err, '');
    const [a, b] = r.lines as Array<{ path: string; hasher: string; hash: string }>;
    assert.deepEqual(Object.keys(a), ['path', 'hasher', 'hash']);
    assert.equal(a.path, 'cat.jpg');
    assert.equal(b.path, 'eye.jpg');
    assert.equal(a.hasher, 'phash');
    assert.equal(a.hash.length, 44, 'phash16: 256 bits = 32 bytes = 44 base64 characters');
    assert.equal(decodeHash(a.hash, 'bool', 256).length, 256);
    assert.notEqual(a.hash, b.hash);
  });

  test('a bad file gives an error record and the others go on (exit 0)', async () => {
    const r = await cli('hash', '--json', 'notes.jpg', 'cat.jpg', 'missing.jpg', 'empty.png');
    assert.equal(r.code, 0);
    const recs = r.lines as Array<{ path: string; hash?: string; error?: { code: string; message: string } }>;
    assert.deepEqual(
      recs.map((x) => [x.path, x.error?.code ?? 'ok']),
      [
        ['notes.jpg', 'NOT_AN_IMAGE'],
        ['cat.jpg', 'ok'],
        ['missing.jpg', 'NOT_FOUND'],
        ['empty.png', 'EMPTY_FILE'],
      ],
    );
    assert.deepEqual(Object.keys(recs[0]), ['path', 'error']);
    assert.ok(recs[0].error!.message.length > 10);
  });

  test('exit 1 when no file could be hashed', async () => {
    const r = await cli('hash', '--json', 'notes.jpg', 'missing.jpg');
    assert.equal(r.code, 1);
    assert.equal(r.lines.length, 2);
  });

  test('readable output without --json: hash then path; errors on stderr', async () => {
    const r = await cli('hash', 'cat.jpg', 'notes.jpg');
    assert.equal(r.code, 0);
    assert.match(r.out, /^[A-Za-z0-9+/]{43}= {2}cat\.jpg\n$/);
    assert.match(r.err, /notes\.jpg: NOT_AN_IMAGE: /);
    assert.match(r.err, /1 of 2 files could not be hashed/);
  });

  test('--hasher, --hash-size and --format hex', async () => {
    const r = await cli('hash', '--json', '--hasher', 'dhash', '--hash-size', '8', '--format', 'hex', 'cat.jpg');
    assert.equal(r.code, 0);
    const rec = r.lines[0] as { hasher: string; hash: string };
    assert.equal(rec.hasher, 'dhash');
    assert.match(rec.hash, /^[0-9a-f]{16}$/);
  });

  test('phash options change the hash; the same options give the same hash', async () => {
    const plain = ((await cli('hash', '--json', 'cat.jpg')).lines[0] as { hash: string }).hash;
    const again = ((await cli('hash', '--json', '--hasher', 'phash', '--hash-size', '16', 'cat.jpg')).lines[0] as { hash: string }).hash;
    assert.equal(again, plain);
    const zauner = await cli('hash', '--json', '--hash-size', '8', '--freq-shift', '1', '--box-filter', 'cat.jpg');
    assert.equal(zauner.code, 0);
    assert.equal((zauner.lines[0] as { hash: string }).hash.length, 12);
    const eft = await cli('hash', '--json', '--exclude-first-term', '--highfreq-factor', '2', 'cat.jpg');
    assert.equal(eft.code, 0);
    assert.equal(decodeHash((eft.lines[0] as { hash: string }).hash, 'bool', 255).length, 255);
  });

  test('--isometric: the 8 variants under "hashes"', async () => {
    const r = await cli('hash', '--json', '--isometric', 'cat.jpg', 'notes.jpg');
    assert.equal(r.code, 0);
    const rec = r.lines[0] as { path: string; hasher: string; hashes: Record<string, string> };
    assert.deepEqual(Object.keys(rec), ['path', 'hasher', 'hashes']);
    assert.deepEqual(Object.keys(rec.hashes), [...ISOMETRIC_KEYS]);
    const plain = ((await cli('hash', '--json', 'cat.jpg')).lines[0] as { hash: string }).hash;
    assert.equal(rec.hashes.r0, plain);
    assert.equal((r.lines[1] as { error: { code: string } }).error.code, 'NOT_AN_IMAGE');
  });

  test('float and uint8 hashers print their bytes too', async () => {
    for (const [hasher, bytes] of [
      ['phashf', 1024],
      ['colormoment', 168],
      ['phashu8', 256],
    ] as const) {
      const r = await cli('hash', '--json', '--format', 'hex', '--hasher', hasher, 'cat.jpg');
      assert.equal(r.code, 0, r.err);
      assert.equal((r.lines[0] as { hash: string }).hash.length, bytes * 2, hasher);
    }
  });

  describe('bad options: exit 2, the message names the option, what it expects and what it got', () => {
    const cases: ReadonlyArray<readonly [string[], RegExp]> = [
      [['--hash-size', '0'], /Expected an integer between 2 and 64 for --hash-size but received 0/],
      [['--hash-size', 'big'], /Expected an integer between 2 and 64 for --hash-size but received "big"/],
      [['--hasher', 'md5'], /Expected one of phash, .* for --hasher but received "md5"/],
      [['--format', 'base32'], /Expected one of base64, hex for --format but received "base32"/],
      [['--hasher', 'pdq', '--hash-size', '8'], /--hash-size does not apply to the pdq hasher \(it takes no parameters\)/],
      [['--hasher', 'dhash', '--box-filter'], /--box-filter does not apply to the dhash hasher \(it takes --hash-size\)/],
      [['--hasher', 'wavelet', '--hash-size', '12'], /power of two .* for --hash-size but received 12/],
      [['--freq-shift', '60'], /Expected an integer between 0 and 48 .* for --freq-shift but received 60/],
      [['--colour'], /Unknown option --colour/],
      [['--max-pixels', '0'], /for --max-pixels but received 0/],
    ];
    for (const [args, message] of cases) {
      test(args.join(' '), async () => {
        const r = await cli('hash', ...args, 'cat.jpg');
        assert.equal(r.code, 2);
        assert.equal(r.out, '');
        assert.match(r.err, message);
      });
    }

    test('no files', async () => {
      const r = await cli('hash', '--json');
      assert.equal(r.code, 2);
      assert.match(r.err, /Expected at least one image file for files/);
    });
  });

  test('--help lists the options and the hashers', async () => {
    const r = await cli('hash', '--help');
    assert.equal(r.code, 0);
    for (const s of ['--hasher', '--hash-size', '--isometric', '--json', '--format', 'pdq', 'wavelet', 'Exit status']) assert.ok(r.out.includes(s), s);
  });
});
