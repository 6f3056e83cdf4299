// Builds the image decoder addon (native/decode/*.c) after `npm install` / `npm ci` (the root
// `postinstall`), linked against the system's libjpeg-turbo, and libpng and libwebp when their headers
// are there (Debian: libjpeg62-turbo-dev, libpng-dev, libwebp-dev; .ci/run installs them). Optional by
// design: without a C compiler or libjpeg's headers the build is skipped with a message, and sharp
// decodes every image instead (same hashes, 2-4x more CPU per image). MEDIA_DEDUPE_SKIP_NATIVE=1 skips it.
//
// Idempotent: a marker beside the addon records the source hash and the Node headers it was built
// against; a matching marker plus a passing smoke test skips the build.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { markerMatches, run } from './native-build-steps.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const srcDir = join(root, 'native', 'decode');
const sources = ['addon.c', 'area.c', 'cellsums.c', 'dct.c', 'jpeg.c', 'png.c', 'webp.c'].map((f) => join(srcDir, f));
const outDir = join(srcDir, 'build');
const addon = join(outDir, 'image_decode.node');
const markerPath = join(outDir, 'build.json');
// -ffp-contract=off: no fused multiply-add, so dct.c's doubles are JavaScript's bit for bit.
const CFLAGS = ['-O3', '-ffp-contract=off', '-std=c11', '-fPIC', '-shared', '-pthread', '-Wall', '-DNAPI_VERSION=6', '-DNODE_GYP_MODULE_NAME=image_decode'];
// Optional formats: built in when the compiler finds the library's header.
const OPTIONAL = [
  { format: 'png', header: 'png.h', define: '-DHAVE_PNG', lib: '-lpng' },
  { format: 'webp', header: 'webp/decode.h', define: '-DHAVE_WEBP', lib: '-lwebp' },
];
const log = (msg) => console.log(`[build-native] ${msg}`);

if (process.env.MEDIA_DEDUPE_SKIP_NATIVE === '1') {
  log('MEDIA_DEDUPE_SKIP_NATIVE=1: not building the JPEG decoder addon (sharp decodes every image).');
  process.exit(0);
}

const nodedir = [process.env.npm_config_nodedir, '/usr', dirname(dirname(process.execPath))]
  .filter(Boolean)
  .find((d) => existsSync(join(d, 'include', 'node', 'node_api.h')));
const cc = process.env.CC || 'gcc';
const optional = OPTIONAL.filter((o) => hasHeader(o.header));
const wanted = {
  source: createHash('sha256')
    .update(Buffer.concat([...sources, ...['area.h', 'decoders.h', 'cellsums.h', 'dct.h'].map((f) => join(srcDir, f))].map((f) => readFileSync(f))))
    .digest('hex'),
  cflags: CFLAGS.join(' '),
  formats: ['jpeg', ...optional.map((o) => o.format)].join(','),
  nodedir: nodedir ?? null,
};
if (existsSync(addon) && markerMatches(markerPath, wanted) && smokeTest().ok) {
  log('image_decode.node is up to date; nothing to do.');
  process.exit(0);
}
if (!nodedir) skip('no Node.js headers (include/node/node_api.h) under npm_config_nodedir, /usr or the Node install');

mkdirSync(outDir, { recursive: true });
const tmp = `${addon}.tmp`;
const missing = OPTIONAL.filter((o) => !optional.includes(o));
if (missing.length) log(`without ${missing.map((o) => `${o.format} (no ${o.header})`).join(', ')}: sharp decodes those`);
const r = run(cc, [
  ...CFLAGS,
  ...optional.map((o) => o.define),
  `-I${join(nodedir, 'include', 'node')}`,
  ...sources,
  '-o',
  tmp,
  '-ljpeg',
  ...optional.map((o) => o.lib),
  '-lm',
]);
if (!r.ok) {
  const hint = /jpeglib\.h/.test(r.output) ? " (libjpeg-turbo's headers are missing: apt-get install libjpeg62-turbo-dev)" : '';
  skip(`${cc} failed${hint}:\n${r.output.trim()}`);
}
renameSync(tmp, addon);
const smoke = smokeTest();
if (!smoke.ok) skip(`the addon built but does not work:\n${smoke.output}`);
writeFileSync(markerPath, JSON.stringify(wanted, null, 2) + '\n');
log(`ok: ${addon} (${smoke.output.trim()})`);

/** Decode a 1x1 grey JPEG made inline (no sharp needed) and print libjpeg-turbo's version. */
function smokeTest() {
  const jpeg =
    'ffd8ffdb00430006040506050406060506070706080a100a0a09090a140e0f0c1017141818171416161a1d251f1a1b231c1616202c20232627292a29191f2d302d283025282928ffdb0043010707070a080a130a0a13281a161a2828282828282828282828282828282828282828282828282828282828282828282828282828282828282828282828282828ffc00011080001000103012200021101031101ffc40014000100000000000000000000000000000000ffc40014100100000000000000000000000000000000ffc40014010100000000000000000000000000000000ffc40014110100000000000000000000000000000000ffda000c03010002110311003f00000fffd9';
  const code = `
    const a = require(${JSON.stringify(addon)});
    const r = a.decodeSync(Buffer.from(${JSON.stringify(jpeg)}, 'hex'), 'jpeg', 1e6, 1);
    if (r.status !== 'ok' || r.width !== 1 || r.height !== 1 || r.data.length !== 3) throw new Error('unexpected result ' + JSON.stringify(r));
    const v = a.libjpegTurboVersion;
    console.log('libjpeg-turbo ' + Math.floor(v / 1e6) + '.' + (Math.floor(v / 1e3) % 1e3) + '.' + (v % 1e3) + '; formats ' + a.formats.join(', '));`;
  return run(process.execPath, ['-e', code]);
}

/** Whether the C compiler finds <header> (a one-line preprocessor run). */
function hasHeader(header) {
  const res = spawnSync(cc, ['-E', '-x', 'c', '-'], { input: `#include <${header}>\n`, encoding: 'utf8' });
  return !res.error && res.status === 0;
}

function skip(why) {
  log(`not built: ${why}`);
  log(
    'sharp will decode every image (identical hashes, slower). Install a C compiler and libjpeg-turbo headers, then run `npm rebuild` or `node scripts/build-native.mjs`.',
  );
  process.exit(0);
}
