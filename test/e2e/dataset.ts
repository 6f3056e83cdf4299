/**
 * The workspace the e2e test opens: near-duplicate photos copied from the shared benchmark when it is
 * beside the checkout, else images made here with sharp. It always holds a file whose name is HTML
 * (to prove names are escaped), a PNG large enough to need a cached thumbnail, and a corrupt file.
 */
import { copyFileSync, existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const EVIL_NAME = '<img src=x onerror="document.body.dataset.pwned=1">.jpg';

/** Protected in the workspace settings: a copy (not the original), so protecting it changes its cluster's decisions. */
export const PROTECTED = 'variants/*__jpeg_q.jpg';

export interface Dataset {
  readonly dir: string;
  readonly source: 'bench' | 'generated';
}

export async function makeDataset(dir: string, benchDir: string): Promise<Dataset> {
  mkdirSync(join(dir, 'originals'), { recursive: true });
  mkdirSync(join(dir, 'variants'), { recursive: true });
  let source: Dataset['source'];
  const images = join(benchDir, 'images');
  if (existsSync(join(images, 'originals', 'o00000.jpg'))) {
    source = 'bench';
    for (const o of ['o00000', 'o00001', 'o00002', 'o00003']) {
      copyFileSync(join(images, 'originals', `${o}.jpg`), join(dir, 'originals', `${o}.jpg`));
      // o00003 makes a 5-file cluster (the original and four copies).
      for (const v of o === 'o00003'
        ? ['exact_copy.jpg', 'resize_0.5.jpg', 'jpeg_q.jpg', 'watermark.jpg']
        : ['exact_copy.jpg', 'resize_0.5.jpg', 'jpeg_q.jpg', 'watermark.jpg', 'to_png.png']) {
        const src = join(images, 'variants', `${o}__${v}`);
        if (existsSync(src)) copyFileSync(src, join(dir, 'variants', `${o}__${v}`));
      }
    }
    copyFileSync(join(images, 'originals', 'o00000.jpg'), join(dir, 'variants', EVIL_NAME));
    // Hard negatives: different shots of one scene (not duplicates), which can chain into a cluster.
    const hardneg = join(images, 'hardneg');
    if (existsSync(hardneg)) {
      mkdirSync(join(dir, 'hardneg'), { recursive: true });
      for (const n of readdirSync(hardneg).filter((f) => /^h00[01]_/.test(f))) copyFileSync(join(hardneg, n), join(dir, 'hardneg', n));
    }
    await chain(join(images, 'originals', 'o00005.jpg'), join(dir, 'chain'));
  } else {
    source = 'generated';
    await generate(dir);
  }
  writeFileSync(join(dir, 'variants', 'broken.jpg'), 'this is not a JPEG');
  writeFileSync(join(dir, 'README.txt'), 'e2e dataset for Media Dedupe\n');
  // A protected file (mediaDedupe.protect): it must never reach the manifest's `remove`.
  mkdirSync(join(dir, '.vscode'), { recursive: true });
  writeFileSync(join(dir, '.vscode', 'settings.json'), JSON.stringify({ 'mediaDedupe.protect': [PROTECTED] }, null, 2));
  return { dir, source };
}

/**
 * A chained cluster: one picture cropped by 1.5 % more at each step. Each crop is within the threshold of
 * the next (phash16 ~0.1) but the last ones are not of the first (~0.21, ~0.29), so they are linked to the
 * kept file only through others.
 */
async function chain(source: string, out: string): Promise<void> {
  if (!existsSync(source)) return;
  const sharp = (await import('sharp')).default;
  mkdirSync(out, { recursive: true });
  const { width = 0, height = 0 } = await sharp(source).metadata();
  for (const [i, f] of [0, 0.015, 0.03, 0.045].entries()) {
    const dx = Math.round(width * f);
    const dy = Math.round(height * f);
    await sharp(source)
      .extract({ left: dx, top: dy, width: width - dx, height: height - dy })
      .jpeg({ quality: 90 })
      .toFile(join(out, `step${i}.jpg`));
  }
}

/** Four distinct pictures and copies of each (resized, recompressed, as a large PNG). */
async function generate(dir: string): Promise<void> {
  const sharp = (await import('sharp')).default;
  const colours = ['#d04040', '#3070d0', '#30a050', '#c0a020'];
  for (let i = 0; i < colours.length; i++) {
    const shapes = Array.from({ length: 12 }, (_, k) => {
      const x = (k * 97 + i * 53) % 560;
      const y = (k * 61 + i * 89) % 380;
      return `<circle cx="${x + 40}" cy="${y + 40}" r="${20 + ((k * 13 + i * 7) % 40)}" fill="${colours[(k + i) % 4]}" opacity="0.8"/>`;
    }).join('');
    const svg = Buffer.from(
      `<svg xmlns="http://www.w3.org/2000/svg" width="640" height="480"><rect width="640" height="480" fill="#f0ead8"/>${shapes}<rect x="${60 + i * 100}" y="200" width="120" height="160" fill="#202020"/></svg>`,
    );
    const name = `g${i}`;
    const base = sharp(svg).flatten({ background: '#ffffff' });
    await base
      .clone()
      .jpeg({ quality: 92 })
      .toFile(join(dir, 'originals', `${name}.jpg`));
    await base
      .clone()
      .jpeg({ quality: 92 })
      .toFile(join(dir, 'variants', `${name}__exact_copy.jpg`));
    await base
      .clone()
      .resize(320)
      .jpeg({ quality: 85 })
      .toFile(join(dir, 'variants', `${name}__resize_0.5.jpg`));
    await base
      .clone()
      .jpeg({ quality: 35 })
      .toFile(join(dir, 'variants', `${name}__jpeg_q.jpg`));
    await base
      .clone()
      .resize(1800)
      .png({ compressionLevel: 1 })
      .toFile(join(dir, 'variants', `${name}__to_png.png`));
    if (i === 0)
      await base
        .clone()
        .jpeg({ quality: 92 })
        .toFile(join(dir, 'variants', EVIL_NAME));
  }
}
