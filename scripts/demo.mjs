// Builds a small sample dataset with known near-duplicates from test/fixtures, then scans it with the CLI:
// the "does it work on this machine" command of the README.
import { mkdirSync, rmSync, copyFileSync, writeFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import sharp from 'sharp';

const root = process.argv[2] ?? 'sample-dataset';
const fixtures = 'test/fixtures/images';
rmSync(root, { recursive: true, force: true });
for (const d of ['cats', 'eyes', 'cells']) mkdirSync(join(root, d), { recursive: true });

const src = { cats: 'chelsea.jpg', eyes: 'retina.jpg', cells: 'ihc.jpg' };
for (const [dir, file] of Object.entries(src)) {
  const input = join(fixtures, file);
  copyFileSync(input, join(root, dir, file));
  // Near-duplicates a dataset typically collects: a smaller copy, a re-encode, a PNG, a mirrored copy.
  await sharp(input)
    .resize({ width: 128 })
    .jpeg({ quality: 70 })
    .toFile(join(root, dir, `small_${file}`));
  await sharp(input)
    .jpeg({ quality: 40 })
    .toFile(join(root, dir, `q40_${file}`));
  await sharp(input)
    .png()
    .toFile(join(root, dir, file.replace('.jpg', '.png')));
  await sharp(input)
    .flop()
    .toFile(join(root, dir, `mirrored_${file}`));
}
// Bad input is reported, not fatal.
writeFileSync(join(root, 'broken.jpg'), readFileSync(join(fixtures, 'chelsea.jpg')).subarray(0, 2000));
writeFileSync(join(root, 'notes.jpg'), 'this is a text file with an image extension\n');

console.log(`sample dataset written to ${root}/ (3 photos, 4 near-duplicates of each, 2 broken files)\n`);
const cli = ['dist/cli.js', 'scan', root, '--isometric', '--pairs-csv', join(root, 'pairs.csv')];
console.log(`$ node ${cli.join(' ')}`);
const r = spawnSync(process.execPath, cli, { stdio: 'inherit' });
if (r.status !== 0) process.exit(r.status ?? 1);
const manifest = JSON.parse(readFileSync(join(root, 'dedupe-manifest.json'), 'utf8'));
console.log(`\n${join(root, 'dedupe-manifest.json')}: remove ${JSON.stringify(manifest.remove, null, 1)}`);
console.log(`skipped: ${manifest.skipped.map((s) => `${s.path} (${s.code})`).join(', ')}`);
