// Builds the linux-x64 .vsix. esbuild bundles everything it can; packages the bundles require at run time
// (native ones such as sharp) must ship too. `vsce package --no-dependencies` (vsce 4) never reads the
// top-level node_modules, so this script finds those requires in dist/, copies their installed dependency
// closure into dist/node_modules of a staging folder (Node resolves require('sharp') from dist/ first),
// packages that folder, and fails if a run-time file is missing.
// Usage: node scripts/package.mjs [--out file.vsix] [--no-build]
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const args = process.argv.slice(2);
const outArg = args.indexOf('--out');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const out = resolve(outArg >= 0 ? args[outArg + 1] : join(root, `${pkg.name}-linux-x64-${pkg.version}.vsix`));
const RUNTIME_BUNDLES = ['extension.js', 'scanWorker.js', 'hashWorker.js', 'exactWorker.js', 'lshWorker.js', 'colorWorker.js', 'webview.js'];

function run(cmd, argv) {
  const r = spawnSync(cmd, argv, { cwd: root, stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8' });
  if (r.status !== 0) {
    process.stdout.write(r.stdout ?? '');
    throw new Error(`${cmd} ${argv.join(' ')} exited with ${r.status}`);
  }
  return r.stdout;
}

if (!args.includes('--no-build')) run(process.execPath, ['scripts/build.mjs']);
for (const f of ['extension.js', 'scanWorker.js', 'webview.js']) {
  if (!existsSync(join(root, 'dist', f))) throw new Error(`dist/${f} is missing: the build did not produce it`);
}

// 1. Packages the run-time bundles require (esbuild's externals that are actually used).
// The static ffmpeg/ffprobe builds would add ~140 MB (about 60 MB compressed) to an 9 MB .vsix: the
// extension uses the mediaDedupe.ffmpegPath setting or ffmpeg on PATH instead (the engine treats the
// bundled packages as optional), and without one videos are listed as skipped (FFMPEG_MISSING).
const NOT_SHIPPED = new Set(['@ffmpeg-installer/ffmpeg', '@ffprobe-installer/ffprobe']);
const builtins = new Set([...builtinModules, ...builtinModules.map((m) => `node:${m}`)]);
const direct = new Set();
for (const f of RUNTIME_BUNDLES) {
  const p = join(root, 'dist', f);
  if (!existsSync(p)) continue;
  for (const m of readFileSync(p, 'utf8').matchAll(/require\(["']([^"'./][^"']*)["']\)/g)) {
    const spec = m[1];
    // tsx appears only in the engine's dev path (workers run from .ts sources); it never loads from dist/.
    if (builtins.has(spec) || spec === 'vscode' || spec.startsWith('tsx')) continue;
    const name = spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0];
    if (!NOT_SHIPPED.has(name)) direct.add(name);
  }
}

// 2. Their dependency closure, as installed (optional dependencies only when present, e.g. this platform's @img/*).
// Some native packages list their build tools as dependencies (annoy-node: cmake-js, typescript...): those
// only build the add-on at install time and never load at run time.
const BUILD_ONLY = new Set([
  '@types/node',
  'cmake-js',
  'cross-env',
  'node-addon-api',
  'node-gyp',
  'prebuild-install',
  'rimraf',
  'typescript',
  'tsx',
  'esbuild',
]);
const closure = new Set();
const queue = [...direct];
while (queue.length) {
  const name = queue.shift();
  if (closure.has(name)) continue;
  const dir = join(root, 'node_modules', name);
  if (!existsSync(join(dir, 'package.json'))) {
    if (direct.has(name)) throw new Error(`dist/ requires ${name}, which is not installed`);
    continue; // an optional dependency for another platform
  }
  closure.add(name);
  const p = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
  for (const dep of Object.keys({ ...p.dependencies, ...p.optionalDependencies })) if (!BUILD_ONLY.has(dep)) queue.push(dep);
}
console.error(`[package] run-time packages: ${[...closure].sort().join(', ') || '(none)'}`);

// 3. The staging folder: what the extension needs at run time, and nothing from the work tree by accident.
const tmp = mkdtempSync(join(tmpdir(), 'media-dedupe-package-'));
try {
  const stage = join(tmp, 'extension');
  mkdirSync(stage);
  const top = ['package.json', '.vscodeignore', 'dist', 'media', 'schemas'];
  for (const f of readdirSync(root)) if (/^(README|CHANGELOG|LICENSE|NOTICE)(\.|$)/i.test(f)) top.push(f);
  for (const f of top) {
    if (!existsSync(join(root, f))) continue;
    cpSync(join(root, f), join(stage, f), { recursive: true, dereference: true, filter: (src) => !src.startsWith(join(root, 'dist', 'node_modules')) });
  }
  // Not run-time files: test coverage reports (fluent-ffmpeg ships ~10 MB of them) and build-only tools a
  // package keeps in its own nested node_modules (annoy-node's typescript).
  const notRuntime = (rel) =>
    /(^|\/)coverage(\/|$)/.test(rel) || [...BUILD_ONLY].some((b) => rel.includes(`node_modules/${b}/`) || rel.endsWith(`node_modules/${b}`));
  for (const n of closure) {
    const from = join(root, 'node_modules', n);
    cpSync(from, join(stage, 'dist', 'node_modules', n), {
      recursive: true,
      dereference: true,
      filter: (src) => !notRuntime(src.slice(from.length).split('\\').join('/')),
    });
  }
  // Build trees of native add-ons hold object files and sources; only the compiled .node files are needed.
  for (const n of closure) {
    const build = join(stage, 'dist', 'node_modules', n, 'build');
    if (!existsSync(build)) continue;
    const keep = existsSync(join(build, 'Release')) ? readdirSync(join(build, 'Release')).filter((f) => f.endsWith('.node')) : [];
    const saved = keep.map((f) => [f, readFileSync(join(build, 'Release', f))]);
    rmSync(build, { recursive: true, force: true });
    mkdirSync(join(build, 'Release'), { recursive: true });
    for (const [f, buf] of saved) writeFileSync(join(build, 'Release', f), buf);
  }

  // The native addons, when they were built (src/core/native/addons.ts looks for them in dist/native/).
  for (const [dir, file, without] of [
    ['decode', 'image_decode.node', 'decode every image with sharp'],
    ['kernels', 'kernels.node', 'run its math kernels in JavaScript'],
  ]) {
    const built = join(root, 'native', dir, 'build', file);
    if (existsSync(built)) {
      mkdirSync(join(stage, 'dist', 'native'), { recursive: true });
      cpSync(built, join(stage, 'dist', 'native', file));
    } else console.warn(`[package] native/${dir}/build/${file} was not built: the extension will ${without}`);
  }

  const vsce = join(root, 'node_modules', '@vscode', 'vsce', 'vsce');
  const inStage = (argv) => {
    const r = spawnSync(process.execPath, [vsce, ...argv], { cwd: stage, stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`vsce ${argv.join(' ')} exited with ${r.status}\n${r.stdout}`);
    return r.stdout;
  };
  const listed = new Set(
    inStage(['ls', '--no-dependencies'])
      .split('\n')
      .map((l) => l.trim())
      .filter(Boolean),
  );

  // 4. Check before packaging: every bundle, every closure package's manifest, sharp's native binary, the schema.
  const missing = [];
  for (const f of ['package.json', 'dist/extension.js', 'dist/scanWorker.js', 'dist/webview.js', 'media/gallery.css', 'media/icon.png'])
    if (!listed.has(f)) missing.push(f);
  for (const n of closure) if (!listed.has(`dist/node_modules/${n}/package.json`)) missing.push(`dist/node_modules/${n}/package.json`);
  if (closure.has('sharp') && ![...listed].some((f) => /^dist\/node_modules\/@img\/sharp-linux-x64\/.*\.node$/.test(f)))
    missing.push('sharp linux-x64 native binary (@img/sharp-linux-x64/**/*.node)');
  for (const schema of (pkg.contributes?.jsonValidation ?? []).map((j) => j.url.replace(/^\.\//, ''))) if (!listed.has(schema)) missing.push(schema);
  for (const f of listed) if (/^(src|test|webview|scripts)\//.test(f) || /^dist\/[^/]+\.map$/.test(f)) missing.push(`(should not ship) ${f}`);
  if (missing.length) throw new Error(`the .vsix would be wrong:\n  ${missing.join('\n  ')}`);

  rmSync(out, { force: true });
  inStage([
    'package',
    '--no-dependencies',
    '--target',
    'linux-x64',
    '--out',
    out,
    '--allow-missing-repository',
    '--skip-license',
    '--no-rewrite-relative-links',
  ]);
  console.error(`[package] ${listed.size} files -> ${out}`);
  console.log(out);
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
