/**
 * Video engine bench: accuracy on ../shared/bench/videos (ground_truth.json), hashing throughput on
 * 640x360 H.264, and agreement with perception's own frames and FramewiseHasher outputs
 * (../shared/reference/perception/video). Runs alone with `npx tsx bench/video.ts [benchDir]`, or from
 * bench.ts through benchVideo(ctx).
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { decodeHash } from '../src/core/hashers/format.js';
import { hashVideo, hashVideos, toolsFor, type VideoHashOutcome } from '../src/core/video/hashVideo.js';
import { findVideoPairs } from '../src/core/video/pairs.js';
import { PERCEPTION_PARITY } from '../src/core/video/options.js';
import { probeVideo } from '../src/core/video/probe.js';
import { readFrames } from '../src/core/video/frameReader.js';
import { createPHash } from '../src/core/hashers/phash.js';
import { computeQuality } from '../src/core/quality.js';
import { encodeHash } from '../src/core/hashers/format.js';
import type { VideoHashOptions, VideoHashResult, VideoMatch, VideoMatchOptions } from '../src/core/video/types.js';
import { type BenchContext, runsAlone } from './context.js';
import { formatTable } from './table.js';
import { bitDistance, perceptionFramewise, readPerceptionVideoRef } from '../src/core/testing/perceptionVideoRef.js';

interface GroundTruth {
  files: Record<string, { role: string; transform?: string; width: number; height: number; duration: number }>;
  duplicate_pairs: Array<{ a: string; b: string; kind: string; transform_a?: string; transform_b?: string }>;
  hard_negative_pairs: Array<{ a: string; b: string }>;
}

const pairKey = (a: string, b: string): string => (a < b ? `${a}\u0000${b}` : `${b}\u0000${a}`);

/** CPU seconds of this process and of its finished children (ffmpeg, ffprobe): Linux /proc only. */
function cpuSeconds(): { self: number; children: number } | undefined {
  try {
    const f = readFileSync('/proc/self/stat', 'utf8');
    const rest = f.slice(f.lastIndexOf(')') + 2).split(' ');
    const tick = 100; // USER_HZ on Linux
    // Fields after the command: state is rest[0]; utime=14, stime=15, cutime=16, cstime=17 (1-based in proc(5)).
    return { self: (Number(rest[11]) + Number(rest[12])) / tick, children: (Number(rest[13]) + Number(rest[14])) / tick };
  } catch {
    return undefined;
  }
}

function families(p: GroundTruth['duplicate_pairs'][number]): string[] {
  if (p.kind === 'natural') return ['natural'];
  const f = [p.transform_a, p.transform_b].filter((t): t is string => !!t && t !== 'original');
  return f.length ? [...new Set(f)] : ['exact_copy'];
}

interface Score {
  precision: number;
  recall: number;
  tp: number;
  fp: number;
  fn: number;
  hardNegFp: number;
  perFamily: Map<string, [number, number]>;
  misses: string[];
  falsePositives: string[];
}

function score(gt: GroundTruth, found: ReadonlySet<string>): Score {
  const positives = new Set(gt.duplicate_pairs.map((p) => pairKey(p.a, p.b)));
  const hard = new Set(gt.hard_negative_pairs.map((p) => pairKey(p.a, p.b)));
  const perFamily = new Map<string, [number, number]>();
  let tp = 0;
  const misses: string[] = [];
  for (const p of gt.duplicate_pairs) {
    const hit = found.has(pairKey(p.a, p.b));
    if (hit) tp++;
    else misses.push(`${p.a} ~ ${p.b}`);
    for (const f of families(p)) {
      const c = perFamily.get(f) ?? [0, 0];
      c[1]++;
      if (hit) c[0]++;
      perFamily.set(f, c);
    }
  }
  const falsePositives = [...found].filter((k) => !positives.has(k));
  const fp = falsePositives.length;
  return {
    precision: tp + fp ? tp / (tp + fp) : 1,
    recall: tp / gt.duplicate_pairs.length,
    tp,
    fp,
    fn: gt.duplicate_pairs.length - tp,
    hardNegFp: falsePositives.filter((k) => hard.has(k)).length,
    perFamily,
    misses,
    falsePositives: falsePositives.map((k) => k.replace('\u0000', ' ~ ')),
  };
}

const pct = (x: number): string => `${(100 * x).toFixed(1)}%`;

async function hashAll(
  dir: string,
  files: readonly string[],
  opts: VideoHashOptions,
): Promise<{ results: VideoHashResult[]; failed: VideoHashOutcome[]; wall: number; videoSec: number }> {
  const t0 = performance.now();
  const out = await hashVideos(
    files.map((f) => join(dir, f)),
    { ...opts, concurrency: Math.max(1, cpus().length) },
  );
  const wall = (performance.now() - t0) / 1000;
  const results: VideoHashResult[] = [];
  const failed: VideoHashOutcome[] = [];
  for (const o of out) o.ok ? results.push({ ...o.result, path: o.result.path.slice(dir.length + 1) }) : failed.push(o);
  return { results, failed, wall, videoSec: results.reduce((s, r) => s + r.durationSec, 0) };
}

async function accuracy(ctx: BenchContext): Promise<void> {
  const dir = join(ctx.benchDir, 'videos');
  const gt = JSON.parse(readFileSync(join(dir, 'ground_truth.json'), 'utf8')) as GroundTruth;
  const files = Object.keys(gt.files).sort();
  // isometric hashes are needed for the flip family; the matcher uses them only when asked.
  const h = await hashAll(dir, files, { isometric: true });
  for (const f of h.failed) if (!f.ok) ctx.out(`  skipped ${f.path}: ${f.error.code} ${f.error.message}\n`);
  const frames = h.results.reduce((s, r) => s + r.frames.length, 0);
  ctx.out(
    `\nHashed ${h.results.length} of ${files.length} videos (${h.videoSec.toFixed(0)} s of video, ${frames} kept frames) in ${h.wall.toFixed(1)} s wall (defaults: 1 fps, at least 16 frames per clip, phash16, bars removed, 90% centre crop hash, mirrored hashes).\n`,
  );

  const configs: Array<[string, VideoMatchOptions]> = [
    ['default + isometric', { isometric: true }],
    ['default (no isometric)', {}],
    ['perception rule (share only) + isometric', { isometric: true, temporalCheck: false }],
  ];
  const scores: Array<[string, Score, number]> = [];
  for (const [name, mo] of configs) {
    const t0 = performance.now();
    const pairs: VideoMatch[] = findVideoPairs(h.results, mo);
    const ms = performance.now() - t0;
    scores.push([name, score(gt, new Set(pairs.map((m) => pairKey(m.a, m.b)))), ms]);
  }
  ctx.out(
    formatTable(
      `Video duplicates: ${gt.duplicate_pairs.length} true pairs, ${gt.hard_negative_pairs.length} hard-negative pairs (two halves of one recording), ${(files.length * (files.length - 1)) / 2} pairs in all`,
      ['matcher', 'precision', 'recall', 'TP', 'FP', 'FN', 'hard-neg FP', 'match ms'],
      scores.map(([n, s, ms]) => [n, pct(s.precision), pct(s.recall), s.tp, s.fp, s.fn, s.hardNegFp, Math.round(ms)]),
    ),
  );
  const fams = [...scores[0][1].perFamily.keys()].sort();
  ctx.out(
    formatTable(
      'Recall per variant family (pairs that involve a file of that family; flip needs isometric)',
      ['family', ...scores.map(([n]) => n)],
      fams.map((f) => [
        f,
        ...scores.map(([, s]) => {
          const [a, b] = s.perFamily.get(f) ?? [0, 0];
          return `${a}/${b} ${pct(b ? a / b : 1)}`;
        }),
      ]),
    ),
  );
  const main = scores[0][1];
  if (ctx.explore || main.misses.length <= 40)
    ctx.out(`\nMissed pairs (default + isometric): ${main.misses.length}\n${main.misses.map((m) => `  ${m}`).join('\n')}\n`);
  if (main.falsePositives.length) ctx.out(`False positives: ${main.falsePositives.map((m) => `\n  ${m}`).join('')}\n`);
}

function execFileP(bin: string, args: string[]): Promise<void> {
  return new Promise((res, rej) => execFile(bin, args, { timeout: 120000 }, (e) => (e ? rej(e) : res())));
}

async function throughput(ctx: BenchContext): Promise<void> {
  const dir = join(ctx.benchDir, 'videos');
  const gt = JSON.parse(readFileSync(join(dir, 'ground_truth.json'), 'utf8')) as GroundTruth;
  const src = Object.entries(gt.files)
    .filter(([f, m]) => m.role === 'original' && m.width === 640 && m.height === 360 && f.endsWith('.mp4'))
    .map(([f]) => join(dir, f));
  if (!src.length) {
    ctx.out('\nThroughput: no 640x360 original in the benchmark.\n');
    return;
  }
  const tools = await toolsFor({});
  // A minute of 640x360 H.264 made from the benchmark's own clips (stream copy, no re-encoding).
  const tmp = mkdtempSync(join(tmpdir(), 'media-dedupe-video-bench-'));
  try {
    const list = join(tmp, 'list.txt');
    writeFileSync(list, Array.from({ length: 4 }, () => src.map((s) => `file '${s.replace(/'/g, "'\\''")}'`).join('\n')).join('\n') + '\n');
    const long = join(tmp, 'h264-640x360.mp4');
    await execFileP(tools.ffmpeg, ['-v', 'error', '-y', '-f', 'concat', '-safe', '0', '-i', list, '-c', 'copy', long]);
    const copies = Array.from({ length: 4 }, () => long);
    const rows: Array<Array<string | number>> = [];
    const configs: Array<[string, VideoHashOptions & { concurrency?: number }]> = [
      ['default (full resolution, 2 videos at once)', {}],
      ['1 video at a time', { concurrency: 1 }],
      ['ffmpeg pre-scale to 256 px (maxSide)', { maxSide: 256 }],
      ['keyframes only (-skip_frame nokey)', { keyframesOnly: true }],
    ];
    for (const [name, cfg] of configs) {
      const walls: number[] = [];
      let cpuPerSec = NaN;
      let videoSec = 0;
      for (let r = 0; r < ctx.rounds; r++) {
        const c0 = cpuSeconds();
        const t0 = performance.now();
        const out = await hashVideos(copies, { minFrames: 0, concurrency: cfg.concurrency ?? 2, ...cfg });
        walls.push((performance.now() - t0) / 1000);
        const c1 = cpuSeconds();
        videoSec = out.reduce((s, o) => s + (o.ok ? o.result.durationSec : 0), 0);
        if (c0 && c1) cpuPerSec = (c1.self + c1.children - c0.self - c0.children) / videoSec;
      }
      walls.sort((a, b) => a - b);
      const wall = walls[walls.length >> 1];
      rows.push([
        name,
        Math.round(videoSec),
        wall.toFixed(2),
        `${(videoSec / wall).toFixed(1)}x`,
        Number.isFinite(cpuPerSec) ? `${(1 / cpuPerSec).toFixed(0)}x per core` : '-',
      ]);
    }
    ctx.out(
      formatTable(
        `Throughput at 1 fps on 640x360 H.264 (${tools.source} ffmpeg: ${tools.version.slice(0, 40)}; ${cpus().length} cores; median of ${ctx.rounds}; CPU includes ffmpeg)`,
        ['configuration', 'video s', 'wall s', 'real time', 'CPU-bound'],
        rows,
      ),
    );
    // What the pre-scale costs in accuracy: frame hashes at full resolution vs scaled in ffmpeg.
    const full = await hashVideo(long, { minFrames: 0, interframeThreshold: 0, cropFraction: 0 });
    const small = await hashVideo(long, { minFrames: 0, interframeThreshold: 0, cropFraction: 0, maxSide: 256 });
    const n = Math.min(full.frames.length, small.frames.length);
    let bits = 0;
    let maxBits = 0;
    for (let i = 0; i < n; i++) {
      const a = decodeHash(full.frames[i].hash, 'bool', 256);
      const b = decodeHash(small.frames[i].hash, 'bool', 256);
      let d = 0;
      for (let k = 0; k < 256; k++) if (a[k] !== b[k]) d++;
      bits += d;
      maxBits = Math.max(maxBits, d);
    }
    ctx.out(
      `\nPre-scale to 256 px changes a frame's phash16 by ${(bits / n).toFixed(1)} bits on average (max ${maxBits} of 256, threshold 51) over ${n} frames.\n`,
    );
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

async function parity(ctx: BenchContext, refDir: string): Promise<void> {
  const ref = readPerceptionVideoRef(refDir);
  const tools = await toolsFor({});
  const ph = createPHash({ hashSize: 16 });
  const rows: Array<Array<string | number>> = [];
  for (const [video, readers] of Object.entries(ref.frames)) {
    const path = join(refDir, video);
    const probe = await probeVideo(tools, path);
    let n = 0;
    let cv = 0;
    let ff = 0;
    let hashEq = 0;
    let qualEq = 0;
    let maxBits = 0;
    for await (const f of readFrames(tools, path, probe, { fps: 1, sampleBy: 'frames' })) {
      const md5 = createHash('md5').update(f.image.data).digest('hex');
      const c = readers.opencv_fps1[n];
      const g = readers.ffmpeg_fps1[n];
      if (c && c.rgb_md5 === md5) cv++;
      if (g && g.rgb_md5 === md5) ff++;
      const refFrame = c && c.rgb_md5 === md5 ? c : g && g.rgb_md5 === md5 ? g : c;
      const h = encodeHash(ph.compute(f.image)!, 'bool');
      if (refFrame && h === refFrame.phash16) hashEq++;
      if (refFrame) maxBits = Math.max(maxBits, bitDistance(h, refFrame.phash16));
      if (refFrame && computeQuality(f.image) === refFrame.quality) qualEq++;
      n++;
    }
    rows.push([video, `${n}/${readers.opencv_fps1.length}`, cv, ff, `${hashEq}/${n}`, maxBits, `${qualEq}/${n}`]);
  }
  ctx.out(
    formatTable(
      `Frames at 1 fps vs perception's readers (${tools.source} ffmpeg): RGB bytes identical to its OpenCV / ffmpeg reader, phash16 and quality of the same frame`,
      ['video', 'frames', '= OpenCV', '= ffmpeg', 'phash16 equal', 'max bits', 'quality equal'],
      rows,
    ),
  );

  const configs: Record<string, VideoHashOptions> = {
    'framewise_phash16_fps1_thr0.2': { framesPerSecond: 1, interframeThreshold: 0.2 },
    'framewise_phash16_fps1_thr0.2_q90': { framesPerSecond: 1, interframeThreshold: 0.2, qualityThreshold: 90 },
    'framewise_phash16_fps5_thr0.1': { framesPerSecond: 5, interframeThreshold: 0.1 },
    framewise_phashu8_12_fs1_fps1_thr50_q90: {
      framesPerSecond: 1,
      interframeThreshold: 50,
      qualityThreshold: 90,
      hasher: { name: 'phashu8', params: { hashSize: 12, freqShift: 1 } },
    },
  };
  const fwRows: Array<Array<string | number>> = [];
  const ours: Record<string, VideoHashResult> = {};
  for (const [cfg, o] of Object.entries(configs)) {
    const cells: string[] = [];
    for (const video of Object.keys(ref.framewise)) {
      const want = ref.framewise[video][cfg];
      const r = await hashVideo(join(refDir, video), { ...PERCEPTION_PARITY, ...o });
      if (cfg === 'framewise_phash16_fps1_thr0.2') ours[video] = r;
      const got = r.frames.map((f) => f.hash);
      if (got.length === want.length && got.every((g, i) => g === want[i])) cells.push('identical');
      else if (
        !o.hasher &&
        o.framesPerSecond === 1 &&
        sameList(got, perceptionFramewise(ref.frames[video].ffmpeg_fps1, o.interframeThreshold!, o.qualityThreshold))
      )
        cells.push('= on its ffmpeg frames');
      else cells.push(`${got.length} vs ${want.length} hashes`);
    }
    fwRows.push([cfg, ...cells]);
  }
  ctx.out(
    formatTable(
      "FramewiseHasher vs perception's outputs (parity options: frame-count sampling, reference never updated, no bars removal). '= on its ffmpeg frames': OpenCV decodes that file's first frame differently; perception's algorithm on its own ffmpeg-reader frames gives our list",
      ['configuration', ...Object.keys(ref.framewise)],
      fwRows,
    ),
  );
  const videos = Object.values(ours);
  const pairs = findVideoPairs(videos, { temporalCheck: false, minShare: 1e-9 }).map((m) => [m.a.split('/').pop(), m.b.split('/').pop()].sort().join(' ~ '));
  const want = Object.values(ref.dedup)[0].map((p) => [...p].sort().join(' ~ '));
  ctx.out(
    `\nCross-video dedupe (perception: deduplicate_hashes at 0.2 on the framewise hashes): perception ${JSON.stringify(want)}, ours (share rule, any frame) ${JSON.stringify(pairs.sort())}\n`,
  );
}

const sameList = (a: readonly string[], b: readonly string[]): boolean => a.length === b.length && a.every((x, i) => x === b[i]);

export async function benchVideo(ctx: Partial<BenchContext> = {}): Promise<void> {
  const repoRoot = ctx.repoRoot ?? resolve(__dirname, '..');
  const benchDir = ctx.benchDir ?? resolve(process.env.MEDIA_DEDUPE_SHARED ?? join(repoRoot, '..', 'shared'), 'bench');
  const full: BenchContext = { benchDir, repoRoot, rounds: ctx.rounds ?? 3, explore: ctx.explore ?? false, out: ctx.out ?? ((t) => process.stdout.write(t)) };
  full.out('\n## video\n');
  try {
    const tools = await toolsFor({});
    full.out(`ffmpeg: ${tools.ffmpeg} (${tools.source}; ${tools.version}); ffprobe: ${tools.ffprobe ?? 'none (probing with ffmpeg -i)'}\n`);
  } catch (e) {
    full.out(`video: skipped: ${e instanceof Error ? e.message : String(e)}\n`);
    return;
  }
  if (existsSync(join(benchDir, 'videos', 'ground_truth.json'))) {
    await accuracy(full);
    await throughput(full);
  } else full.out(`video accuracy and throughput: skipped: ${join(benchDir, 'videos')} not found\n`);
  const refDir = join(benchDir, '..', 'reference', 'perception', 'video');
  if (existsSync(join(refDir, 'video_results.json'))) await parity(full, refDir);
  else full.out(`video parity: skipped: ${refDir} not found\n`);
}

// Alone: npx tsx bench/video.ts [benchDir] (inside dist/bench.js, bench.ts runs it; require.main is the bundle there)
if (runsAlone('video')) {
  const dir = process.argv[2];
  benchVideo(dir ? { benchDir: resolve(dir) } : {}).catch((e: unknown) => {
    process.stderr.write(`bench video: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exitCode = 1;
  });
}
