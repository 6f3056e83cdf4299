import assert from 'node:assert/strict';
import { linkSync, mkdtempSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { Thumbnailer } from './thumbnailer.js';

/** A stand-in for sharp that "resizes" by copying the file's text, and counts what it made. */
function fakeSharp(made: string[]) {
  const chain = (input: string) => {
    const self = {
      rotate: () => self,
      resize: () => self,
      webp: () => self,
      toFile: async (out: string) => {
        made.push(input);
        await writeFile(out, `thumb of ${readFileSync(input, 'utf8')}`);
      },
    };
    return self;
  };
  return () => chain;
}

describe('thumbnail cache', () => {
  it('makes one thumbnail per file content: hard links share it, a changed file gets a new one', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'md-thumbs-'));
    const a = join(dir, 'a.png');
    writeFileSync(a, 'v1');
    linkSync(a, join(dir, 'link.png'));
    const made: string[] = [];
    const t = new Thumbnailer(join(dir, 'cache'), fakeSharp(made));
    const first = await t.thumbFor(a);
    assert.equal(await t.thumbFor(join(dir, 'link.png')), first);
    assert.equal(await t.thumbFor(a), first);
    assert.equal(made.length, 1);
    assert.equal(readFileSync(first, 'utf8'), 'thumb of v1');

    writeFileSync(a, 'v2, longer');
    utimesSync(a, new Date(), new Date(Date.now() + 5000));
    const second = await t.thumbFor(a);
    assert.notEqual(second, first);
    assert.equal(readFileSync(second, 'utf8'), 'thumb of v2, longer');
    assert.equal(made.length, 2);
  });

  it('fails for a video when no poster grabber is given', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'md-thumbs-'));
    writeFileSync(join(dir, 'clip.mp4'), 'x');
    await assert.rejects(new Thumbnailer(join(dir, 'cache'), fakeSharp([])).thumbFor(join(dir, 'clip.mp4'), 'video'), /no poster frames/);
  });
});
