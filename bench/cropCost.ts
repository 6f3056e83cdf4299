/**
 * Where `--crop-resistant`'s extra hashing time goes (issue 12: the mode may be a default only at <= 1.5x a
 * plain scan's time). Per file, CPU time on one thread: the whole-file hash (a plain scan's hashing) against
 * hashing/hashImage.ts hashCrops and its parts: the content box, the grey grid the views are cut from
 * (crops/greyViews.ts), the views cut from it, the ten pHash finishes (DCT block, median, bits) one by one
 * and the grid, views and finishes in one kernel call (kernels/cropViewBits.ts, what a scan runs), and the
 * view colours (crops/viewColors.ts), and all of them in the one call a scan now runs on the libuv pool
 * beside the decode (crops/cropPass.ts; on the main thread here, to time it alone). FILES pictures spread over the folder are decoded once beforehand (decoding, the pool's work, is left
 * out); each part is timed over every picture, median of ROUNDS passes.
 *
 *   part of `npm run bench -- --only crop-resistant [--bench-dir DIR]`
 */
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { contentBox } from '../src/core/crops/cropWindows.js';
import { greyViewBits, greyViews } from '../src/core/crops/greyViews.js';
import { encodeViewColors, VIEW_COLOR_CELLS } from '../src/core/crops/viewColors.js';
import { resizeAreaGray } from '../src/core/cv/resizeArea.js';
import { cellMeans } from '../src/core/hashers/colorSignature.js';
import { cropPassHasher, hashCrops, prepareHashers } from '../src/core/hashing/hashImage.js';
import { cropPassSync } from '../src/core/crops/cropPass.js';
import { decodeImage, type DecodedImage } from '../src/core/image/decode.js';
import { formatTable } from './table.js';

const ROUNDS = 3;
/** The rows of `parts` timed over the pictures of 138 px or more a side only (smaller ones get no grid). */
const GRID_ROWS = [3, 6, 7, 8];
const FILES = 400;

/** FILES images spread evenly over dir's images in path order (every k-th), decoded. */
async function pictures(dir: string): Promise<DecodedImage[]> {
  const paths: string[] = [];
  const visit = (d: string): void => {
    for (const name of readdirSync(d).sort()) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) visit(p);
      else if (/\.(jpe?g|png|webp)$/i.test(name)) paths.push(p);
    }
  };
  visit(dir);
  const step = Math.max(1, paths.length / FILES);
  const out: DecodedImage[] = [];
  for (let k = 0; k < paths.length && out.length < FILES; k = Math.round(k + step)) out.push(await decodeImage(paths[k]));
  return out;
}

export async function cropCost(dir: string): Promise<string> {
  const imgs = await pictures(dir);
  const [prepared] = prepareHashers([{ name: 'phash', hashSize: 16 }]);
  const rg = prepared.hasher.resizedGrey!;
  const pass = cropPassHasher([prepared])!;
  const big = imgs.filter((i) => i.width >= 138 && i.height >= 138);
  const boxes = big.map((img) => contentBox(img));
  const views = imgs.map((img) => greyViews(img, rg.order, rg.side).filter((v): v is Uint8Array => v !== null));
  const parts: [string, () => void][] = [
    ['whole-file hash (a plain scan)', () => imgs.forEach((img) => prepared.hasher.compute(img))],
    ['hashCrops, all of it', () => imgs.forEach((img, k) => hashCrops(String(k), img, [prepared], 'base64'))],
    ['  content box', () => imgs.forEach((img) => contentBox(img))],
    ['  grey grid (138 cells a side)', () => big.forEach((img) => resizeAreaGray(img.data, img.width, img.height, 138, 138, rg.order))],
    ['  grey grid and the ten views', () => imgs.forEach((img) => greyViews(img, rg.order, rg.side))],
    ['  ten finishes one by one (DCT, median, bits)', () => views.forEach((vs) => vs.forEach((v) => rg.finish(v)))],
    [
      '  grid, views and finishes, one call per view (as before)',
      () => big.forEach((img, k) => greyViews(img, rg.order, rg.side, boxes[k]).forEach((v) => v && rg.finish(v))),
    ],
    ['  grid, views and finishes, one kernel call (what a scan runs)', () => big.forEach((img, k) => greyViewBits(img, rg.order, rg.side, rg.bits!, boxes[k]))],
    ['  crop pass: box, grid, bits and colours in one call (what a scan runs, on the pool)', () => big.forEach((img) => cropPassSync(img, pass))],
    [
      '  view colours',
      () => imgs.forEach((img) => encodeViewColors(cellMeans(img, 0, 0, img.width, img.height, VIEW_COLOR_CELLS), contentBox(img), img.width, img.height)),
    ],
  ];
  // CPU time of this process (this thread's work: nothing else runs meanwhile), steadier than the wall
  // time on a shared machine.
  const cpuMs = (): number => {
    const c = process.cpuUsage();
    return (c.user + c.system) / 1000;
  };
  const times = parts.map(() => [] as number[]);
  for (let r = 0; r < ROUNDS; r++)
    parts.forEach(([, run], k) => {
      const t0 = cpuMs();
      run();
      times[k].push(cpuMs() - t0);
    });
  const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const perFile = times.map((t, k) => (median(t) * 1000) / (GRID_ROWS.includes(k) ? big.length : imgs.length));
  return formatTable(
    `Crop-resistant hashing per file, CPU time, one thread, ${imgs.length} decoded pictures (median of ${ROUNDS}; the grid rows over the ${big.length} pictures of 138 px or more a side)`,
    ['part', 'CPU us per file', 'x the whole-file hash'],
    parts.map(([name], k) => [name, perFile[k].toFixed(0), (perFile[k] / perFile[0]).toFixed(2)]),
  );
}
