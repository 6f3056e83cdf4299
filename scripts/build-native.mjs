// Builds the two optional C addons after `npm install` / `npm ci` (the root `postinstall`):
//  - native/kernels/ (kernels.node): the math kernels (INTER_AREA, phash's DCT block, the colour
//    signature's sums, the JPEG block-grid score, the size without borders) and the LSH search's table loop; plain C (and pthreads),
//    needs only a C compiler and Node's headers.
//  - native/decode/ (image_decode.node): the JPEG/PNG/WebP/TIFF/JPEG 2000 decoders, linked against the
//    system's libjpeg-turbo, and libpng, libwebp, libtiff and OpenJPEG when their headers are there
//    (Debian: libjpeg62-turbo-dev, libpng-dev, libwebp-dev, libtiff-dev, libopenjp2-7-dev; .ci/run
//    installs them). A format whose header is missing is left out.
// Both are optional by design: an addon that cannot be built is skipped with a message, and the engine
// uses sharp (decoder) or JavaScript (kernels) instead, with the same hashes, only slower.
// MEDIA_DEDUPE_SKIP_NATIVE=1 skips both.
//
// Idempotent: a marker beside each addon records the source hash, flags, formats and Node headers it was
// built against; a matching marker plus a passing smoke test skips that build.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { markerMatches, run } from './native-build-steps.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const cc = process.env.CC || 'gcc';
const log = (msg) => console.log(`[build-native] ${msg}`);

// A 1x1 grey JPEG made inline (no sharp needed).
const JPEG_1X1 =
  'ffd8ffdb00430006040506050406060506070706080a100a0a09090a140e0f0c1017141818171416161a1d251f1a1b231c1616202c20232627292a29191f2d302d283025282928ffdb0043010707070a080a130a0a13281a161a2828282828282828282828282828282828282828282828282828282828282828282828282828282828282828282828282828ffc00011080001000103012200021101031101ffc40014000100000000000000000000000000000000ffc40014100100000000000000000000000000000000ffc40014010100000000000000000000000000000000ffc40014110100000000000000000000000000000000ffda000c03010002110311003f00000fffd9';

/**
 * One row per addon. `formats` (decoder only): one row per image format, its source file compiled and
 * HAVE_<FORMAT> defined when the compiler finds `header` (with the row's `cflags`: OpenJPEG's header
 * lives in a versioned folder); a `required` format missing skips the addon.
 * `smoke` runs in a fresh Node with `a` the loaded addon, throws when it misbehaves, and prints a summary.
 */
const ADDONS = [
  {
    name: 'kernels',
    file: 'kernels.node',
    sources: ['addon.c', 'area.c', 'blockgrid.c', 'cellsums.c', 'contentbox.c', 'contentsize.c', 'cropbits.c', 'croppass.c', 'dct.c', 'lsh.c'],
    // -ffp-contract=off: no fused multiply-add, so the float32/double arithmetic is JavaScript's bit for bit.
    // -pthread: the LSH table loop (lsh.c) runs its tables on threads of its own.
    cflags: ['-ffp-contract=off', '-pthread'],
    libs: ['-lm'],
    smoke: `const out = new Float64Array(1); a.dct2Block(new Uint8Array([1]), 1, 0, 1, new Float64Array([2]), out);
      if (out[0] !== 4) throw new Error('dct2Block gave ' + out[0]);
      const r = a.lshTables(new Uint8Array(16).fill(1, 9, 10), 2, 8, null, 1, 0, 2, new Int32Array([0]), 2, 2, 1);
      if (r.i.length !== 1 || r.distance[0] !== 1) throw new Error('lshTables gave ' + JSON.stringify(r));
      if (a.blockGrid(new Uint8Array(3), 1, 1, 100, new Float64Array(64)) !== 0) throw new Error('blockGrid of one pixel is not 0');
      const size = new Int32Array(2); a.contentSize(new Uint8Array(3), 1, 1, 12, size);
      if (size[0] !== 1 || size[1] !== 1) throw new Error('contentSize of one pixel is ' + size.join('x'));
      const box = new Int32Array(4); a.contentBox(new Uint8Array(3), 1, 1, 24, box);
      if (box.join() !== '0,0,1,1') throw new Error('contentBox of one pixel is ' + box.join());
      const bits = new Uint8Array(20); a.cropViewBits(new Uint8Array(16).fill(9), 4, 2, new Float64Array(0), new Int32Array([0, 0]), 0, 2, 0, new Float64Array(4), bits);
      if (bits.subarray(4, 8).join() !== '1,1,1,1') throw new Error('cropViewBits of a flat grid gave ' + bits.join());
      if (typeof a.cropPass !== 'function' || typeof a.cropPassSync !== 'function') throw new Error('no cropPass');
      const up = new Uint8Array(4); a.areaUpscale(new Uint8Array([8]), 1, 1, 1, new Int32Array(2), new Int32Array([2048, 2048]), new Int32Array(2), new Int32Array(2), new Int32Array([2048, 2048]), new Int32Array(2), 2, 2, up);
      if (up.join() !== '8,8,8,8') throw new Error('areaUpscale of one pixel gave ' + up.join());
      if (typeof a.viewBits !== 'function') throw new Error('no viewBits');
      console.log('cellSums, dct2Block, areaResize, lshTables, blockGrid, contentSize, contentBox, cropViewBits, cropPass, areaUpscale, viewBits');`,
  },
  {
    name: 'decode',
    file: 'image_decode.node',
    // The keep policy's pixel kernels, shared with the kernels addon: measured on the pool thread after a decode.
    sources: ['addon.c', '../kernels/blockgrid.c', '../kernels/contentsize.c'],
    cflags: ['-ffp-contract=off', '-pthread'],
    libs: ['-lm'],
    formats: [
      {
        format: 'jpeg',
        source: 'jpeg.c',
        header: 'jpeglib.h',
        lib: '-ljpeg',
        required: "libjpeg-turbo's headers are missing: apt-get install libjpeg62-turbo-dev",
      },
      { format: 'png', source: 'png.c', header: 'png.h', lib: '-lpng' },
      { format: 'webp', source: 'webp.c', header: 'webp/decode.h', lib: '-lwebp' },
      { format: 'tiff', source: 'tiff.c', header: 'tiffio.h', lib: '-ltiff' },
      { format: 'jp2', source: 'jp2.c', header: 'openjpeg.h', lib: '-lopenjp2', cflags: ['-I/usr/include/openjpeg-2.5'] },
    ],
    smoke: `const r = a.decodeSync(Buffer.from(${JSON.stringify(JPEG_1X1)}, 'hex'), 'jpeg', 1e6, 1);
      if (r.status !== 'ok' || r.width !== 1 || r.height !== 1 || r.data.length !== 3) throw new Error('unexpected result ' + JSON.stringify(r));
      const v = a.libjpegTurboVersion;
      console.log('libjpeg-turbo ' + Math.floor(v / 1e6) + '.' + (Math.floor(v / 1e3) % 1e3) + '.' + (v % 1e3) + '; formats ' + a.formats.join(', '));`,
  },
];

if (process.env.MEDIA_DEDUPE_SKIP_NATIVE === '1') {
  log('MEDIA_DEDUPE_SKIP_NATIVE=1: not building the native addons (sharp decodes every image, the kernels run in WebAssembly or JavaScript).');
  process.exit(0);
}
const nodedir = [process.env.npm_config_nodedir, '/usr', dirname(dirname(process.execPath))]
  .filter(Boolean)
  .find((d) => existsSync(join(d, 'include', 'node', 'node_api.h')));
for (const addon of ADDONS) build(addon);

function build(spec) {
  const srcDir = join(root, 'native', spec.name);
  const outDir = join(srcDir, 'build');
  const addon = join(outDir, spec.file);
  const markerPath = join(outDir, 'build.json');
  const skip = (why, fallback) => log(`${spec.file} not built: ${why}\n[build-native] ${fallback}`);
  const fallback =
    spec.name === 'decode'
      ? 'sharp will decode every image (identical hashes, slower).'
      : 'the kernels will run in WebAssembly or JavaScript (identical hashes, slower), and the LSH search in WebAssembly (identical pairs; at most ~100M distinct hashes a task).';
  const formats = (spec.formats ?? []).filter((f) => hasHeader(f.header, f.cflags));
  const missing = (spec.formats ?? []).filter((f) => !formats.includes(f));
  const required = missing.find((f) => f.required);
  if (required) return skip(required.required, fallback);
  const CFLAGS = [
    '-O3',
    '-std=c11',
    '-fPIC',
    '-shared',
    '-Wall',
    '-DNAPI_VERSION=6',
    `-DNODE_GYP_MODULE_NAME=${spec.file.replace('.node', '')}`,
    ...spec.cflags,
  ];
  const sources = [...spec.sources, ...formats.map((f) => f.source)].map((f) => join(srcDir, f));
  // Every file of the addon's folder, and the ones it borrows from another folder (with their headers).
  const borrowed = spec.sources.filter((f) => f.startsWith('../')).flatMap((f) => [f, f.replace(/\.c$/, '.h')]);
  const everySource = [
    ...readdirSync(srcDir)
      .filter((f) => /\.[ch]$/.test(f))
      .sort(),
    ...borrowed,
  ];
  const wanted = {
    source: createHash('sha256')
      .update(Buffer.concat(everySource.map((f) => readFileSync(join(srcDir, f)))))
      .digest('hex'),
    cflags: CFLAGS.join(' '),
    formats: formats.map((f) => f.format).join(','),
    nodedir: nodedir ?? null,
  };
  if (existsSync(addon) && markerMatches(markerPath, wanted) && smokeTest(addon, spec.smoke).ok) return log(`${spec.file} is up to date; nothing to do.`);
  if (!nodedir) return skip('no Node.js headers (include/node/node_api.h) under npm_config_nodedir, /usr or the Node install', fallback);
  if (missing.length) log(`${spec.file} without ${missing.map((f) => `${f.format} (no ${f.header})`).join(', ')}: sharp decodes those`);
  mkdirSync(outDir, { recursive: true });
  const tmp = `${addon}.tmp`;
  const defines = formats.map((f) => `-DHAVE_${f.format.toUpperCase()}`);
  const formatFlags = formats.flatMap((f) => f.cflags ?? []);
  const r = run(cc, [
    ...CFLAGS,
    ...defines,
    ...formatFlags,
    `-I${join(nodedir, 'include', 'node')}`,
    ...sources,
    '-o',
    tmp,
    ...formats.map((f) => f.lib),
    ...spec.libs,
  ]);
  if (!r.ok)
    return skip(`${cc} failed:\n${r.output.trim()}`, `${fallback} Install a C compiler, then run \`npm rebuild\` or \`node scripts/build-native.mjs\`.`);
  renameSync(tmp, addon);
  const smoke = smokeTest(addon, spec.smoke);
  if (!smoke.ok) return skip(`the addon built but does not work:\n${smoke.output}`, fallback);
  writeFileSync(markerPath, JSON.stringify(wanted, null, 2) + '\n');
  log(`ok: ${addon} (${smoke.output.trim()})`);
}

function smokeTest(addon, code) {
  return run(process.execPath, ['-e', `const a = require(${JSON.stringify(addon)});\n${code}`]);
}

/** Whether the C compiler finds <header> with these flags (a one-line preprocessor run). */
function hasHeader(header, cflags = []) {
  const res = spawnSync(cc, [...cflags, '-E', '-x', 'c', '-'], { input: `#include <${header}>\n`, encoding: 'utf8' });
  return !res.error && res.status === 0;
}
