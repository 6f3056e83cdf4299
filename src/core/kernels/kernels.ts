/**
 * The math kernels: the few loops that dominate hashing time, each with a JavaScript implementation that
 * defines it and faster ones that must give the same bits, WebAssembly and C (the kernels addon, native/
 * kernels/). KERNELS is the table; kernels.test.ts runs every implementation of every kernel on the same
 * inputs and compares the outputs bit for bit. Callers take the implementation in use with kernel().
 *
 * MEDIA_DEDUPE_KERNELS caps the level: native (default: C when the addon is built, else WebAssembly when
 * the kernel has it, else JavaScript), wasm (no C), js (JavaScript only). The decoder is switched
 * separately (MEDIA_DEDUPE_DECODER).
 */
import { loadAddon, type AddonInfo, type AddonSpec } from '../native/loader.js';
import { areaJs, areaNative, upscaleJs, type AreaKernel, type AreaResizeC, type UpscaleKernel } from './area.js';
import { areaWasm } from './areaWasm.js';
import { blockGridJs, GRID_COS, type BlockGridC, type BlockGridKernel } from './blockGrid.js';
import { cellSumsJs, type CellSumsKernel } from './cellSums.js';
import { contentBoxJs, type ContentBoxKernel } from './contentBox.js';
import { contentSizeJs, type ContentSizeKernel } from './contentSize.js';
import { dct2BlockJs, type Dct2BlockKernel } from './dct.js';
import { cropViewBitsJs, viewBitsJs, type CropViewBitsKernel, type ViewBitsKernel } from './cropViewBits.js';

/** The kernels addon (native/kernels/), each function the C twin of a JavaScript kernel here. */
/** The kernels addon's cropPass (a promise: on the libuv pool) and cropPassSync (native/kernels/addon.c lists the arguments; crops/cropPass.ts calls them). */
export type CropPassC = (
  rgb: Uint8Array,
  params: Int32Array,
  fparams: Float64Array,
  xtab: Int32Array,
  ytab: Int32Array,
  windows: Int32Array,
  cos: Float64Array,
  cols: Int32Array,
  rows: Int32Array,
  box: Int32Array,
  grid: Uint8Array,
  bits: Uint8Array,
  sums: Float64Array,
  counts: Float64Array,
) => Promise<void> | void;

export interface KernelsAddon {
  readonly cellSums: CellSumsKernel;
  readonly dct2Block: Dct2BlockKernel;
  readonly areaResize: AreaResizeC;
  readonly blockGrid: BlockGridC;
  readonly contentSize: ContentSizeKernel;
  readonly contentBox: ContentBoxKernel;
  readonly cropViewBits: CropViewBitsKernel;
  /** Absent from an addon built before it (crops/cropPass.ts then leaves the work to the main thread). */
  readonly cropPass?: CropPassC;
  readonly cropPassSync?: CropPassC;
  /** Absent from an addon built before it (the JavaScript kernel runs then). */
  readonly areaUpscale?: UpscaleKernel;
  readonly viewBits?: ViewBitsKernel;
}
const ADDON: AddonSpec = {
  dir: 'kernels',
  file: 'kernels.node',
  exports: ['cellSums', 'dct2Block', 'areaResize', 'blockGrid', 'contentSize', 'contentBox', 'cropViewBits'],
  pathEnv: 'MEDIA_DEDUPE_NATIVE_KERNELS',
};
export const nativeKernels = (): KernelsAddon | undefined => loadAddon<KernelsAddon>(ADDON).addon;
export const nativeKernelsInfo = (): AddonInfo => loadAddon(ADDON).info;

export type KernelLevel = 'js' | 'wasm' | 'native';
const LEVELS: readonly KernelLevel[] = ['js', 'wasm', 'native'];

/** One kernel's implementations; wasm and native give undefined when this process cannot run them. */
export interface Kernel<F> {
  readonly js: F;
  readonly wasm?: () => F | undefined;
  readonly native?: () => F | undefined;
}

/** The table: INTER_AREA downscale (cv/resizeArea.ts), phash's DCT block (cv/dct.ts), the colour signature's cell sums (hashers/colorSignature.ts), the JPEG block-grid score and the size without borders (image/keepStats.ts), the crop-resistant content box (crops/cropWindows.ts) and the PHash bits of its ten views (crops/greyViews.ts). */
export const KERNELS = {
  area: { js: areaJs, wasm: areaWasm, native: () => nativeKernels() && areaNative(nativeKernels()!.areaResize) } satisfies Kernel<AreaKernel>,
  dct2Block: { js: dct2BlockJs, native: () => nativeKernels()?.dct2Block } satisfies Kernel<Dct2BlockKernel>,
  cellSums: { js: cellSumsJs, native: () => nativeKernels()?.cellSums } satisfies Kernel<CellSumsKernel>,
  blockGrid: { js: blockGridJs, native: () => nativeKernels() && blockGridNative(nativeKernels()!.blockGrid) } satisfies Kernel<BlockGridKernel>,
  contentSize: { js: contentSizeJs, native: () => nativeKernels()?.contentSize } satisfies Kernel<ContentSizeKernel>,
  contentBox: { js: contentBoxJs, native: () => nativeKernels()?.contentBox } satisfies Kernel<ContentBoxKernel>,
  cropViewBits: { js: cropViewBitsJs, native: () => nativeKernels()?.cropViewBits } satisfies Kernel<CropViewBitsKernel>,
  upscale: { js: upscaleJs, native: () => nativeKernels()?.areaUpscale } satisfies Kernel<UpscaleKernel>,
  viewBits: { js: viewBitsJs, native: () => nativeKernels()?.viewBits } satisfies Kernel<ViewBitsKernel>,
};

const blockGridNative =
  (c: BlockGridC): BlockGridKernel =>
  (rgb, width, height, minScore) =>
    c(rgb, width, height, minScore, GRID_COS);

let level: KernelLevel | undefined;
const chosen = new Map<Kernel<unknown>, unknown>();

/** The level in force: set by setKernelLevel, else MEDIA_DEDUPE_KERNELS, else native. */
export function kernelLevel(): KernelLevel {
  if (!level) {
    const env = process.env.MEDIA_DEDUPE_KERNELS || 'native';
    if (!(LEVELS as readonly string[]).includes(env)) throw new Error(`MEDIA_DEDUPE_KERNELS must be one of ${LEVELS.join(', ')} (got "${env}")`);
    level = env as KernelLevel;
  }
  return level;
}

/** For tests and the bench: cap the level (undefined: back to MEDIA_DEDUPE_KERNELS). */
export function setKernelLevel(l: KernelLevel | undefined): void {
  level = l;
  chosen.clear();
}

/** The implementation to call: the fastest this process can run, up to the level in force. */
export function kernel<F>(k: Kernel<F>): F {
  let f = chosen.get(k) as F | undefined;
  if (!f) {
    f = implementations(k).at(-1)![1];
    chosen.set(k, f);
  }
  return f;
}

/** Every implementation of k this process can run up to the level in force, JavaScript first. */
export function implementations<F>(k: Kernel<F>): Array<[KernelLevel, F]> {
  const out: Array<[KernelLevel, F]> = [['js', k.js]];
  const cap = LEVELS.indexOf(kernelLevel());
  for (const l of ['wasm', 'native'] as const) {
    const f = LEVELS.indexOf(l) <= cap ? k[l]?.() : undefined;
    if (f) out.push([l, f]);
  }
  return out;
}
