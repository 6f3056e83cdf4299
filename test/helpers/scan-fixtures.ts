/** Small real images for scan tests, made with sharp from seeded pixel patterns (no binary fixtures in git). */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';

/** A smooth-ish RGB pattern: seeded 8x8 colour blocks, blurred, so perceptual hashes behave as on photos. */
export function patternPixels(seed: number, width = 128, height = 96): Buffer {
  let s = (seed * 2654435761 + 12345) >>> 0;
  const rnd = (): number => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) & 0xff;
  };
  const bw = 8;
  const bh = 6;
  const blocks = Array.from({ length: bw * bh }, () => [rnd(), rnd(), rnd()]);
  const px = Buffer.alloc(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const c = blocks[Math.min(bh - 1, Math.floor((y * bh) / height)) * bw + Math.min(bw - 1, Math.floor((x * bw) / width))];
      px.set(c, (y * width + x) * 3);
    }
  }
  return px;
}

export function pattern(seed: number, width = 128, height = 96): sharp.Sharp {
  return sharp(patternPixels(seed, width, height), { raw: { width, height, channels: 3 } }).blur(2);
}

export function tempDir(prefix = 'md-scan-'): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Writes an image: `kind` picks the encoder; `flip` mirrors it; `scale` resizes. */
export async function writeImage(
  path: string,
  seed: number,
  opts: { kind?: 'jpeg' | 'png' | 'webp'; flip?: boolean; scale?: number; quality?: number; width?: number; height?: number } = {},
): Promise<void> {
  const w = opts.width ?? 128;
  const h = opts.height ?? 96;
  // Render to a buffer first: sharp applies resize before blur within one pipeline, which would change the picture.
  const base = await pattern(seed, w, h).png().toBuffer();
  let img = sharp(base);
  if (opts.flip) img = img.flop();
  if (opts.scale) img = img.resize(Math.round(w * opts.scale), Math.round(h * opts.scale));
  const kind = opts.kind ?? 'jpeg';
  if (kind === 'jpeg') img = img.jpeg({ quality: opts.quality ?? 90 });
  else if (kind === 'png') img = img.png();
  else img = img.webp({ quality: opts.quality ?? 90 });
  await img.toFile(path);
}

/**
 * Runs `scanFolder(dir, options)` so that file permissions mean something: in this process normally, but
 * as the unprivileged user `nobody` in a child process when the tests run as root (root reads
 * everything, so a chmod 000 file would not be unreadable). Returns the result's files and skipped.
 */
export async function scanWithPermissions(
  dir: string,
  options: Record<string, unknown>,
): Promise<{ files: { path: string }[]; skipped: { path: string; code: string; message: string }[]; asNobody: boolean }> {
  const { spawnSync } = await import('node:child_process');
  const { chmodSync } = await import('node:fs');
  const { resolve } = await import('node:path');
  if (process.getuid?.() !== 0) {
    const { scanFolder } = await import('../../src/core/scan/scanFolder.js');
    const r = await scanFolder(dir, options);
    return { files: [...r.files], skipped: [...r.skipped], asNobody: false };
  }
  chmodSync(dir, 0o777);
  const entry = resolve(__dirname, '..', '..', 'src', 'core', 'scan', 'scanFolder.ts');
  const script = `require(${JSON.stringify(entry)}).scanFolder(${JSON.stringify(dir)}, ${JSON.stringify(options)}).then((r) => process.stdout.write(JSON.stringify({ files: r.files, skipped: r.skipped })), (e) => { console.error(e); process.exit(1); })`;
  const r = spawnSync(process.execPath, ['--import', 'tsx', '-e', script], { uid: 65534, gid: 65534, cwd: resolve(__dirname, '..', '..'), encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`scan as nobody failed (${r.status}): ${r.stderr}`);
  return { ...(JSON.parse(r.stdout) as { files: { path: string }[]; skipped: { path: string; code: string; message: string }[] }), asNobody: true };
}

/** Runs the CLI in this process, capturing what it prints. */
export async function runCli(argv: string[], cwd = process.cwd()): Promise<{ code: number; stdout: string; stderr: string }> {
  const { main } = await import('../../src/cli/main.js');
  const { runInProcess } = await import('./runInProcess.js');
  return runInProcess(main, argv, cwd);
}
