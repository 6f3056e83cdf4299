// Builds annoy-node's native addon, optimised, after `npm install` / `npm ci` (the root `postinstall`).
//
// Why we build it ourselves instead of letting annoy-node's own scripts run (package.json denies them in
// `allowScripts`): its `install` first tries prebuild-install, which downloads from GitHub (unreachable on
// our machines), then falls back to `cmake-js rebuild` with a CMakeLists that forces a Debug build (no -O,
// 3x slower); its `postinstall` deletes the shipped dist/ and recompiles it with tsc, which breaks on its
// @types/node@15 versus the DOM types. dist/index.js ships in the tarball, so only the addon is missing.
//
// Idempotent: a marker beside the addon records how it was built; a matching marker plus a passing smoke
// test skips the build. Set MEDIA_DEDUPE_SKIP_ANNOY=1 to skip it entirely (the engine then reports that the
// Annoy index is unavailable and everything else still works). A failed build fails the install, so a
// broken toolchain is seen at once rather than as a missing feature later.
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { markerMatches, run } from './native-build-steps.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(join(root, 'package.json'));
const CXXFLAGS = '-O3';
const log = (msg) => console.log(`[build-annoy] ${msg}`);

if (process.env.MEDIA_DEDUPE_SKIP_ANNOY === '1') {
  log('MEDIA_DEDUPE_SKIP_ANNOY=1: not building annoy-node (the Annoy index will report itself unavailable).');
  process.exit(0);
}

let pkgDir;
try {
  pkgDir = dirname(require.resolve('annoy-node/package.json'));
} catch {
  log('annoy-node is not installed here; nothing to build.');
  process.exit(0);
}
const pkgVersion = JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8')).version;
const addon = join(pkgDir, 'build', 'Release', 'annoy-node.node');
const markerPath = join(pkgDir, 'build', 'Release', 'media-dedupe-build.json');
const wanted = { annoyNode: pkgVersion, cxxflags: CXXFLAGS, napi: 6 };

if (existsSync(addon) && markerMatches(markerPath, wanted) && smokeTest().ok) {
  log(`annoy-node ${pkgVersion} already built with ${CXXFLAGS}; nothing to do.`);
  process.exit(0);
}

const nodedir = findNodeDir();
if (!nodedir) {
  fail(
    `no Node.js headers found (looked for include/node/node_api.h under npm_config_nodedir, /usr and ${dirname(dirname(process.execPath))}).\n` +
      'Install them (Debian: the nodejs package ships /usr/include/node) or set npm_config_nodedir.',
  );
}
log(`building annoy-node ${pkgVersion} with ${CXXFLAGS} against the headers in ${nodedir}/include/node`);

const attempts = [];
const viaCmake = buildWithCmakeJs(nodedir);
attempts.push(viaCmake);
if (!viaCmake.ok) {
  log(`cmake-js build failed (${viaCmake.reason}); falling back to a direct g++ build.`);
  attempts.push(buildWithCxx(nodedir));
}
if (!attempts.some((a) => a.ok)) {
  fail(attempts.map((a) => `--- ${a.how}: ${a.reason}\n${a.output ?? ''}`).join('\n'));
}
const smoke = smokeTest();
if (!smoke.ok) fail(`the addon built but does not work:\n${smoke.output}`);
writeFileSync(markerPath, JSON.stringify({ ...wanted, builtBy: attempts.find((a) => a.ok).how, nodedir }, null, 2) + '\n');
log(`ok: ${addon} (${attempts.find((a) => a.ok).how})`);

/** Headers must come from disk: cmake-js would otherwise download them, and our machines reach only the npm registry. */
function findNodeDir() {
  const candidates = [process.env.npm_config_nodedir, '/usr', dirname(dirname(process.execPath))].filter(Boolean);
  return candidates.find((d) => existsSync(join(d, 'include', 'node', 'node_api.h')));
}

/** The package's own build system, with the optimisation its CMakeLists leaves out (it forces Debug). */
function buildWithCmakeJs(dir) {
  const how = 'cmake-js';
  if (!run('cmake', ['--version']).ok) return { how, ok: false, reason: 'cmake is not installed' };
  let cli;
  try {
    cli = createRequire(join(pkgDir, 'package.json')).resolve('cmake-js/bin/cmake-js');
  } catch {
    return { how, ok: false, reason: 'cmake-js is not installed' };
  }
  const env = { ...process.env, npm_config_nodedir: dir };
  const r = run(process.execPath, [cli, 'rebuild', `--CDCMAKE_CXX_FLAGS=${CXXFLAGS}`], { cwd: pkgDir, env });
  return { how, ...r, ok: r.ok && existsSync(addon) };
}

/** Same sources, defines and includes as the CMakeLists, without cmake: only g++ and the Node headers needed. */
function buildWithCxx(dir) {
  const how = 'g++';
  let napiInclude;
  try {
    napiInclude = dirname(createRequire(join(pkgDir, 'package.json')).resolve('node-addon-api/package.json'));
  } catch {
    return { how, ok: false, reason: 'node-addon-api is not installed' };
  }
  const cxx = process.env.CXX || 'g++';
  const sources = readdirSync(join(pkgDir, 'src'))
    .filter((f) => f.endsWith('.cpp'))
    .map((f) => join(pkgDir, 'src', f));
  rmSync(join(pkgDir, 'build'), { recursive: true, force: true });
  mkdirSync(dirname(addon), { recursive: true });
  const args = [
    ...CXXFLAGS.split(' '),
    '-std=gnu++14',
    '-fPIC',
    '-shared',
    '-pthread',
    '-DANNOYLIB_MULTITHREADED_BUILD',
    '-DNAPI_DISABLE_CPP_EXCEPTIONS',
    '-DNAPI_VERSION=6',
    `-I${napiInclude}`,
    `-I${join(pkgDir, 'annoy', 'src')}`,
    `-I${join(dir, 'include', 'node')}`,
    ...sources,
    '-o',
    addon,
  ];
  const r = run(cxx, args, { cwd: pkgDir });
  return { how, ...r, ok: r.ok && existsSync(addon) };
}

/** Load through the package's own entry point (bindings finds build/Release) and answer one query. */
function smokeTest() {
  const code = `
    const A = require(${JSON.stringify(pkgDir)});
    const idx = new A.default(2, A.Metric.MANHATTAN);
    idx.addItem(0, new Float64Array([0, 0])); idx.addItem(1, new Float64Array([1, 1]));
    idx.build(1, 1);
    const r = idx.get_nns_by_vector(new Float64Array([1, 0]), 2, true);
    if (r.neighbours.length < 2 || r.distances[0] !== 1) throw new Error('unexpected answer ' + JSON.stringify(r));
    idx.unload();`;
  return run(process.execPath, ['-e', code], { cwd: root });
}

function fail(detail) {
  console.error(`[build-annoy] could not build annoy-node ${pkgVersion ?? ''}:\n${detail}`);
  console.error('[build-annoy] Set MEDIA_DEDUPE_SKIP_ANNOY=1 to install without it (the Annoy index is then unavailable).');
  process.exit(1);
}
