import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { runCli } from './testing/runInProcess.js';
import { nativeDecoderInfo } from '../core/image/nativeDecoder.js';
import { kernelLevel, nativeKernelsInfo } from '../core/kernels/kernels.js';
import { writeImage } from '../core/testing/images.js';
import { tempDir } from '../core/testing/tempDir.js';

describe('media-dedupe --version', () => {
  test('prints the version, then which decoder and kernels this install uses', async () => {
    const r = await runCli(['--version']);
    assert.equal(r.code, 0);
    const [version, decoder, kernels] = r.stdout.trim().split('\n');
    assert.match(version, /^\d+\.\d+\.\d+/);
    const info = nativeDecoderInfo();
    assert.equal(
      decoder,
      info.available
        ? `decoder: native addon for ${info.formats!.join(', ')} (libjpeg-turbo ${info.version}), sharp for the rest`
        : `decoder: sharp only (${info.reason})`,
    );
    const k = nativeKernelsInfo();
    assert.equal(
      kernels,
      kernelLevel() !== 'native'
        ? `kernels: up to ${kernelLevel()} (MEDIA_DEDUPE_KERNELS=${kernelLevel()})`
        : k.available
          ? 'kernels: native addon'
          : `kernels: WebAssembly and JavaScript (${k.reason})`,
    );
  });
});

describe('media-dedupe <command> --help', () => {
  test('every command prints its own usage for --help and -h, exits 0 and touches nothing', async () => {
    for (const command of ['scan', 'check', 'prune', 'hash', 'pairs', 'compare', 'query', 'plan', 'cluster']) {
      for (const flag of ['--help', '-h']) {
        const r = await runCli([command, flag]);
        assert.equal(r.code, 0, `${command} ${flag}: ${r.stderr}`);
        assert.match(r.stdout, new RegExp(`^media-dedupe ${command}\\b`, 'm'), `${command} ${flag} prints its usage line`);
        assert.equal(r.stderr, '');
      }
    }
  });

  test('an unknown option names --help among the known ones', async () => {
    const r = await runCli(['prune', '--frobnicate']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /Unknown option --frobnicate\. Known options: .*--help/);
  });
});

/**
 * A re-scan of unchanged files must not pay for code it does not run: the bundled CLI loads the decoder
 * (sharp/libvips) only when a file needs hashing, and the video engine (fluent-ffmpeg) only when there is
 * a video. Checked on a bundle made like scripts/build.mjs makes dist/cli.js (esbuild's lazy module
 * initialisation is what this relies on), run as its own process.
 */
describe('lazy loading of the bundled CLI', () => {
  const ROOT = join(__dirname, '..', '..');
  let work = '';
  let cli = '';
  let probe = '';

  before(async () => {
    work = mkdtempSync(join(tmpdir(), 'media-dedupe-lazy-'));
    cli = join(work, 'cli.js');
    probe = join(work, 'probe.cjs');
    // The externals of scripts/build.mjs: resolved at run time from node_modules (NODE_PATH below).
    await build({
      entryPoints: [join(ROOT, 'src', 'cli', 'main.ts')],
      bundle: true,
      platform: 'node',
      format: 'cjs',
      target: 'node20',
      outfile: cli,
      external: ['sharp', 'vscode', 'annoy-node', '@ffmpeg-installer/ffmpeg', '@ffprobe-installer/ffprobe', 'fluent-ffmpeg'],
      logLevel: 'warning',
    });
    // Records every module request the process makes.
    writeFileSync(
      probe,
      `const Module = require('module'); const seen = new Set(); const load = Module._load;
Module._load = function (request) { seen.add(request); return load.apply(this, arguments); };
process.on('exit', () => require('fs').writeFileSync(process.env.MD_PROBE_OUT, JSON.stringify([...seen])));\n`,
    );
  });

  after(() => {
    if (work) rmSync(work, { recursive: true, force: true });
  });

  function runCliProcess(args: string[]): { code: number | null; stdout: string; stderr: string; loaded: string[] } {
    const out = join(work, `loaded-${Math.random().toString(36).slice(2)}.json`);
    const r = spawnSync(process.execPath, ['--require', probe, cli, ...args], {
      encoding: 'utf8',
      env: { ...process.env, NODE_PATH: join(ROOT, 'node_modules'), MD_PROBE_OUT: out },
    });
    return { code: r.status, stdout: r.stdout, stderr: r.stderr, loaded: JSON.parse(readFileSync(out, 'utf8')) as string[] };
  }

  test('CLI re-scan of unchanged files loads neither the decoder nor the video engine; a scan that hashes loads the decoder', async () => {
    const { dir, cleanup } = tempDir();
    try {
      mkdirSync(join(dir, 'a'));
      await writeImage(join(dir, 'a', 'one.jpg'), 1);
      await writeImage(join(dir, 'a', 'one_small.jpg'), 1, { scale: 0.5 });
      await writeImage(join(dir, 'two.png'), 2, { kind: 'png' });

      const first = runCliProcess(['scan', dir, '--json']);
      assert.equal(first.code, 0, first.stderr);
      assert.equal(JSON.parse(first.stdout).hashed, 3);
      assert.ok(first.loaded.includes('sharp'), 'the probe sees sharp when files are hashed');
      const manifest = readFileSync(join(dir, 'dedupe-manifest.json'));

      const again = runCliProcess(['scan', dir, '--json']);
      assert.equal(again.code, 0, again.stderr);
      const s = JSON.parse(again.stdout);
      assert.equal(s.hashed, 0);
      assert.equal(s.cached, 3);
      assert.equal(s.pairs, 1);
      assert.equal(s.manifestChanged, false);
      assert.deepEqual(readFileSync(join(dir, 'dedupe-manifest.json')), manifest, 'the manifest is byte-identical');
      for (const m of ['sharp', 'fluent-ffmpeg', '@ffmpeg-installer/ffmpeg', '@ffprobe-installer/ffprobe']) {
        assert.ok(!again.loaded.includes(m), `a re-scan of unchanged images loaded ${m}`);
      }

      // One changed file: hashed again, so the decoder loads, and the result is the same.
      await writeImage(join(dir, 'two.png'), 2, { kind: 'png', width: 130 });
      const changed = runCliProcess(['scan', dir, '--json']);
      assert.equal(changed.code, 0, changed.stderr);
      assert.equal(JSON.parse(changed.stdout).hashed, 1);
      assert.ok(changed.loaded.includes('sharp'));
    } finally {
      cleanup();
    }
  });
});
