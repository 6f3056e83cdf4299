/**
 * The WebAssembly INTER_AREA kernels (areaKernel.wat): grey conversion with SIMD and the float32
 * accumulation in native single precision, several times faster than the same arithmetic in JavaScript
 * (which must round every step with Math.fround). resizeArea.ts falls back to its JavaScript kernels
 * when WebAssembly is unavailable; the unit tests check that both give identical bytes.
 */
import { AREA_KERNEL_WASM_BASE64 } from './areaKernelWasm.js';

// The engine's tsconfig has no DOM lib, where TypeScript declares WebAssembly: type the few pieces used.
interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}
interface Exports {
  readonly memory: WasmMemory;
  horizontal(
    src: number,
    rows: number,
    stride: number,
    sw: number,
    gray: number,
    wr: number,
    wg: number,
    wb: number,
    tab: number,
    dw: number,
    tmp: number,
    out: number,
  ): void;
  vertical(row: number, beta: number, sum: number, n: number, first: number): void;
  blockSums(
    src: number,
    rows: number,
    stride: number,
    sw: number,
    gray: number,
    wr: number,
    wg: number,
    wb: number,
    ix: number,
    dw: number,
    tmp: number,
    sums: number,
  ): void;
}
interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { readonly exports: object };
}

let kernel: Exports | null | undefined;

/** One instance per thread, created on first use; null when this runtime cannot run it. */
function instance(): Exports | null {
  if (kernel === undefined) {
    try {
      const wasm = (globalThis as unknown as { WebAssembly?: WasmApi }).WebAssembly;
      kernel = wasm ? (new wasm.Instance(new wasm.Module(Buffer.from(AREA_KERNEL_WASM_BASE64, 'base64')), {}).exports as Exports) : null;
    } catch {
      kernel = null; // e.g. no SIMD support: the JavaScript kernels do the same work
    }
  }
  return kernel;
}

export function areaKernelAvailable(): boolean {
  return instance() !== null;
}

/** Set by tests to compare the two implementations. */
export function setAreaKernelEnabled(on: boolean): void {
  kernel = on ? undefined : null;
}

/** The horizontal table for one axis, as areaKernel.wat reads it (7 fields per destination). */
export interface KernelTab {
  readonly lIdx: Int32Array;
  readonly lA: Float64Array;
  readonly s0: Int32Array;
  readonly s1: Int32Array;
  readonly a: Float64Array;
  readonly rIdx: Int32Array;
  readonly rA: Float64Array;
}

// Source bytes copied into wasm memory per call; bounds memory use for very large images.
const CHUNK_BYTES = 8 << 20;

const align = (n: number): number => (n + 15) & ~15;

/** The memory, grown to `bytes`; null if it cannot grow (the caller then uses the JavaScript kernels). */
function ensure(k: Exports, bytes: number): ArrayBuffer | null {
  const have = k.memory.buffer.byteLength;
  if (bytes > have) {
    try {
      k.memory.grow(Math.ceil((bytes - have) / 65536));
    } catch {
      return null;
    }
  }
  return k.memory.buffer;
}

/**
 * INTER_AREA by a non-integer factor (ResizeArea_Invoker) of a single-channel or, with `gray` weights,
 * RGB-to-grey image: horizontal pass per source row, then the vertical accumulation, all in float32.
 * Calls onRow(dy, sums) with the dw float32 sums of each destination row, in order (the view is reused).
 * Returns false when the kernel is unavailable.
 */
export function areaGenericKernel(
  src: Uint8Array,
  sw: number,
  sh: number,
  gray: readonly [number, number, number] | null,
  xt: KernelTab,
  yt: KernelTab,
  dw: number,
  dh: number,
  onRow: (dy: number, sums: Float32Array) => void,
): boolean {
  const k = instance();
  if (!k) return false;
  const stride = gray ? sw * 3 : sw;
  const chunkRows = Math.max(1, Math.min(sh, Math.floor(CHUNK_BYTES / stride)));
  // Layout: table | sums | one f32 row | chunkRows rows of dw f32 | the source chunk; 16-byte aligned.
  const tabAt = 0;
  const sumAt = align(tabAt + dw * 28);
  const tmpAt = align(sumAt + dw * 4);
  const outAt = align(tmpAt + sw * 4);
  const srcAt = align(outAt + chunkRows * dw * 4);
  const mem = ensure(k, srcAt + chunkRows * stride);
  if (!mem) return false;
  const ti = new Int32Array(mem, tabAt, dw * 7);
  const tf = new Float32Array(mem, tabAt, dw * 7);
  for (let d = 0; d < dw; d++) {
    ti[7 * d] = xt.lIdx[d];
    tf[7 * d + 1] = xt.lA[d];
    ti[7 * d + 2] = xt.s0[d];
    ti[7 * d + 3] = xt.s1[d];
    tf[7 * d + 4] = xt.a[d];
    ti[7 * d + 5] = xt.rIdx[d];
    tf[7 * d + 6] = xt.rA[d];
  }
  const u8 = new Uint8Array(mem);
  const sums = new Float32Array(mem, sumAt, dw);
  const [wr, wg, wb] = gray ?? [0, 0, 0];
  const rowBytes = dw * 4;
  let first = -1;
  let count = 0;
  // Rows are requested in non-decreasing order; a chunk of source rows is copied in and run at once.
  const add = (sy: number, beta: number, firstOfRow: boolean): void => {
    if (sy < first || sy >= first + count) {
      first = sy;
      count = Math.min(chunkRows, sh - sy);
      u8.set(src.subarray(sy * stride, (sy + count) * stride), srcAt);
      k.horizontal(srcAt, count, stride, sw, gray ? 1 : 0, wr, wg, wb, tabAt, dw, tmpAt, outAt);
    }
    k.vertical(outAt + (sy - first) * rowBytes, beta, sumAt, dw, firstOfRow ? 1 : 0);
  };
  for (let dy = 0; dy < dh; dy++) {
    forEachSourceRow(yt, dy, add);
    onRow(dy, sums);
  }
  return true;
}

/**
 * The source rows of destination row dy with their weights, in OpenCV's order: left partial row, whole
 * rows, right partial row (absent partials have weight 0 and are skipped). `first` marks the row that
 * starts the sum.
 */
export function forEachSourceRow(yt: KernelTab, dy: number, add: (sy: number, beta: number, first: boolean) => void): void {
  const hasLeft = yt.lA[dy] !== 0;
  if (hasLeft) add(yt.lIdx[dy], yt.lA[dy], true);
  for (let sy = yt.s0[dy]; sy < yt.s1[dy]; sy++) add(sy, yt.a[dy], !hasLeft && sy === yt.s0[dy]);
  if (yt.rA[dy] !== 0) add(yt.rIdx[dy], yt.rA[dy], !hasLeft && yt.s1[dy] === yt.s0[dy]);
}

/**
 * The block sums of integer-factor INTER_AREA (ix x iy blocks, dw x dh of them) of a single-channel or,
 * with `gray` weights, RGB-to-grey image: onRow(dy, sums) for each destination row in order, `sums`
 * being a view valid during the call. Returns false when the kernel is unavailable.
 */
export function blockSums(
  src: Uint8Array,
  sw: number,
  gray: readonly [number, number, number] | null,
  ix: number,
  iy: number,
  dw: number,
  dh: number,
  onRow: (dy: number, sums: Int32Array) => void,
): boolean {
  const k = instance();
  if (!k) return false;
  const stride = gray ? sw * 3 : sw;
  const blocksPerChunk = Math.max(1, Math.min(dh, Math.floor(CHUNK_BYTES / (stride * iy))));
  const tmpAt = 0;
  const sumsAt = align(sw * 4);
  const srcAt = align(sumsAt + dw * 4);
  const mem = ensure(k, srcAt + blocksPerChunk * iy * stride);
  if (!mem) return false;
  const u8 = new Uint8Array(mem);
  const sums = new Int32Array(mem, sumsAt, dw);
  const [wr, wg, wb] = gray ?? [0, 0, 0];
  for (let dy0 = 0; dy0 < dh; dy0 += blocksPerChunk) {
    const n = Math.min(blocksPerChunk, dh - dy0);
    u8.set(src.subarray(dy0 * iy * stride, (dy0 + n) * iy * stride), srcAt);
    for (let j = 0; j < n; j++) {
      sums.fill(0);
      k.blockSums(srcAt + j * iy * stride, iy, stride, sw, gray ? 1 : 0, wr, wg, wb, ix, dw, tmpAt, sumsAt);
      onRow(dy0 + j, sums);
    }
  }
  return true;
}
