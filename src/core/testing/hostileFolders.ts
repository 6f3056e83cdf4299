/**
 * Hostile folders for the torture suite and the reliability bench: the shapes a dataset shared through
 * git or a busy workstation really has (symlink ladders, links to / and /proc, links out of the folder,
 * file names that are not text, thousands of copies of one picture, files pretending to be images).
 * Each builder writes into a folder it is given and returns what a check needs to know.
 */
import { closeSync, mkdirSync, openSync, readdirSync, readFileSync, symlinkSync, writeFileSync, writeSync, ftruncateSync } from 'node:fs';
import { join } from 'node:path';
import { CACHE_DIR_NAME } from '../cache/cacheDir.js';
import { seal } from '../cache/sealed.js';
import { makePng, onePixelVariant } from './png.js';

/**
 * The ladder of the issue: folders L0..L<levels> side by side, each Li holding two links `a` and `b` to
 * ../L<i+1>, and one picture in the last. Followed naively, the picture is reachable by 2^(levels+1) - 1
 * paths (2 x levels links). Returns the picture's one real path.
 */
export function symlinkLadder(root: string, levels: number): string {
  for (let i = 0; i <= levels; i++) mkdirSync(join(root, `L${i}`), { recursive: true });
  for (let i = 0; i < levels; i++) {
    symlinkSync(`../L${i + 1}`, join(root, `L${i}`, 'a'));
    symlinkSync(`../L${i + 1}`, join(root, `L${i}`, 'b'));
  }
  const image = `L${levels}/img.png`;
  writeFileSync(join(root, image), makePng(1));
  return image;
}

/** Links to the whole machine and its pseudo file systems, beside one real picture. */
export function systemLinks(root: string): string[] {
  mkdirSync(root, { recursive: true });
  writeFileSync(join(root, 'real.png'), makePng(2));
  const links = { 'to-root': '/', 'to-proc': '/proc', 'to-sys': '/sys', 'to-dev': '/dev' };
  for (const [name, target] of Object.entries(links)) symlinkSync(target, join(root, name));
  return Object.keys(links);
}

/** A link from the dataset to a folder outside it, holding two pictures (one a copy of the dataset's own). */
export function outsideLink(root: string, outside: string): void {
  mkdirSync(root, { recursive: true });
  mkdirSync(outside, { recursive: true });
  writeFileSync(join(root, 'inside.png'), makePng(3));
  writeFileSync(join(outside, 'secret-copy.png'), makePng(3));
  writeFileSync(join(outside, 'secret-other.png'), makePng(4));
  symlinkSync(outside, join(root, 'external'));
}

/** n distinct pictures in folders of 500 under `sub`, every tenth one copied: pairs to decide about. */
export function pairedDataset(root: string, n: number, sub = ''): void {
  for (let i = 0; i < n; i++) {
    const dir = join(root, sub, `p${Math.floor(i / 500)}`);
    if (i % 500 === 0) mkdirSync(dir, { recursive: true });
    const png = makePng(1000 + i);
    writeFileSync(join(dir, `img${String(i).padStart(5, '0')}.png`), png);
    if (i % 10 === 0) writeFileSync(join(dir, `img${String(i).padStart(5, '0')}-copy.png`), png);
  }
}

/** n identical copies of one picture, 1,000 per folder. */
export function identicalCopies(root: string, n: number, seed = 5): void {
  const png = makePng(seed);
  spread(root, n, () => png);
}

/**
 * n copies of one 64 x 64 picture, each with one pixel changed, 1,000 per folder: distinct bytes, and
 * (as for any picture of that size or larger) nearly all with one hash, since the hashers shrink the
 * picture before hashing. At 32 x 32 (`size`) one pixel weighs enough to move a few hash bits: those are
 * near-duplicates with distinct hashes, which the identical-hash node does not collapse.
 */
export function onePixelVariants(root: string, n: number, seed = 6, size = 64): void {
  spread(root, n, (i) => onePixelVariant(seed, i, size));
}

function spread(root: string, n: number, bytes: (i: number) => Buffer): void {
  for (let i = 0; i < n; i++) {
    const dir = join(root, `d${String(Math.floor(i / 1000)).padStart(3, '0')}`);
    if (i % 1000 === 0) mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, `img${String(i).padStart(6, '0')}.png`), bytes(i));
  }
}

/**
 * A file that starts like a JPEG and is `bytes` long, sparse (no disk space used): what a 1 GB video or
 * disk image named .jpg looks like to a scan that reads before it sniffs.
 */
export function sparseFakeJpeg(path: string, bytes: number): void {
  const fd = openSync(path, 'w');
  try {
    writeSync(fd, Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00]));
    ftruncateSync(fd, bytes);
  } finally {
    closeSync(fd);
  }
}

/** Names that are legal on POSIX and awkward everywhere else: a backslash, a newline, a leading dash, a byte that is not UTF-8. */
export const AWKWARD_NAMES: readonly (string | Buffer)[] = [
  'back\\slash.png',
  'new\nline.png',
  '-leading-dash.png',
  Buffer.concat([Buffer.from('caf'), Buffer.from([0xe9]), Buffer.from('.png')]), // Latin-1 "café": not UTF-8
];

/** Writes each awkward name as a copy of one picture, plus the picture itself, so every name lands in a pair. */
export function awkwardNames(root: string, seed = 7): void {
  mkdirSync(root, { recursive: true });
  const png = makePng(seed);
  writeFileSync(join(root, 'plain.png'), png);
  const rootBytes = Buffer.from(root + '/');
  for (const name of AWKWARD_NAMES) writeFileSync(typeof name === 'string' ? join(root, name) : Buffer.concat([rootBytes, name]), png);
}

/**
 * Replaces the cache line for `rel` with one that passes the line checksum but carries a 3-byte hash: a
 * forged or buggy writer's line, which a reader must treat as a miss (the file is hashed again). The line
 * copies the file's real entry, so size and mtime match. Returns false when the cache holds no entry for `rel`.
 */
export function forgeCacheLine(root: string, rel: string): boolean {
  const dir = join(root, CACHE_DIR_NAME);
  for (const name of readdirSync(dir).filter((n) => /^hashes-[0-9a-f]{12}\.jsonl$/.test(n))) {
    const file = join(dir, name);
    const lines = readFileSync(file, 'utf8').split('\n');
    for (let i = 1; i < lines.length; i++) {
      const line = lines[i];
      const json = line.slice(0, line.lastIndexOf('\t'));
      let v: { p?: string; x?: Record<string, string | null> };
      try {
        v = JSON.parse(json) as typeof v;
      } catch {
        continue;
      }
      if (v.p !== rel || !v.x) continue;
      const forged = JSON.stringify({ ...v, x: Object.fromEntries(Object.keys(v.x).map((k) => [k, 'AAAA'])) });
      lines[i] = seal(forged).slice(0, -1);
      writeFileSync(file, lines.join('\n'));
      return true;
    }
  }
  return false;
}
