// One esbuild bundle per runtime: the CLI and workers (Node), the extension host (Node + vscode), the webview (browser).
import { build } from 'esbuild';
import { existsSync, mkdirSync } from 'node:fs';

const node = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: true,
  // Native and runtime-resolved packages stay outside the bundle.
  external: ['sharp', 'vscode', 'annoy-node', '@ffmpeg-installer/ffmpeg', '@ffprobe-installer/ffprobe', 'fluent-ffmpeg'],
  logLevel: 'warning',
};

const entries = [
  ['src/cli/main.ts', 'dist/cli.js', { banner: { js: '#!/usr/bin/env node' } }],
  ['src/extension/extension.vscode.ts', 'dist/extension.js', {}],
  ['bench/bench.ts', 'dist/bench.js', {}],
];
// Worker entry points are separate bundles so the engine can start them by path.
for (const w of [
  'src/core/workers/hashWorker.ts',
  'src/core/pairs/exactWorker.ts',
  'src/core/pairs/lshWorker.ts',
  'src/core/scan/colorWorker.ts',
  'src/extension/scan/scanWorker.ts',
]) {
  if (existsSync(w)) entries.push([w, `dist/${w.split('/').pop().replace('.ts', '.js')}`, {}]);
}

mkdirSync('dist', { recursive: true });
await Promise.all(entries.filter(([src]) => existsSync(src)).map(([entry, outfile, extra]) => build({ ...node, entryPoints: [entry], outfile, ...extra })));
if (existsSync('webview/main.ts')) {
  await build({
    bundle: true,
    platform: 'browser',
    target: 'es2022',
    format: 'iife',
    sourcemap: true,
    entryPoints: ['webview/main.ts'],
    outfile: 'dist/webview.js',
    logLevel: 'warning',
  });
}
