/**
 * The WebAssembly INTER_AREA kernel (area.wat): grey conversion with SIMD and the float32 accumulation in
 * native single precision, several times faster than the same arithmetic in JavaScript (which must round
 * every step with Math.fround). One channel or RGB's grey; anyChannels (area.ts) does the rest.
 */
import { anyChannels, areaJs, finishFast, forEachSourceRow, packTab, satRound, type AreaKernel, type AreaPlan, type AreaTab } from './area.js';
import type { Weights } from './grey.js';
import { AREA_WASM_BASE64 } from './areaWasmBytes.js';

// The engine's tsconfig has no DOM lib, where TypeScript declares WebAssembly: type the few pieces used.
interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}
/** area.wat's exports; their parameters (all i32, beta f32) are documented there and named at the calls below. */
interface Exports {
  readonly memory: WasmMemory;
  horizontal(...args: number[]): void;
  vertical(...args: number[]): void;
  blockSums(...args: number[]): void;
}
interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { readonly exports: object };
}

let kernel: AreaKernel | null | undefined;

/** The kernel (one instance per thread, created on first use); undefined when this runtime cannot run it. */
export function areaWasm(): AreaKernel | undefined {
  if (kernel === undefined) {
    try {
      const wasm = (globalThis as unknown as { WebAssembly?: WasmApi }).WebAssembly;
      const k = wasm ? (new wasm.Instance(new wasm.Module(Buffer.from(AREA_WASM_BASE64, 'base64')), {}).exports as Exports) : undefined;
      kernel = k
        ? anyChannels((src, sw, sh, cn, gray, plan, dw, dh) => run(k, src, sw, sh, gray, plan, dw, dh) ?? areaJs(src, sw, sh, cn, gray, plan, dw, dh))
        : null;
    } catch {
      kernel = null; // e.g. no SIMD support
    }
  }
  return kernel ?? undefined;
}

// Source bytes copied into wasm memory per call; bounds memory use for very large images.
const CHUNK_BYTES = 8 << 20;

const align = (n: number): number => (n + 15) & ~15;

/** The memory, grown to `bytes`; null if it cannot grow (the JavaScript kernel then does the work). */
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

/** One channel or RGB's grey; undefined when the memory cannot grow to hold the work. */
function run(k: Exports, src: Uint8Array, sw: number, sh: number, gray: Weights | null, plan: AreaPlan, dw: number, dh: number): Uint8Array | undefined {
  const out = new Uint8Array(dw * dh);
  const ok = 'ix' in plan ? blockSums(k, src, sw, gray, plan.ix, plan.iy, dw, dh, out) : areaGeneric(k, src, sw, sh, gray, plan.xt, plan.yt, dw, dh, out);
  return ok ? out : undefined;
}

/**
 * INTER_AREA by a non-integer factor (ResizeArea_Invoker) into out: horizontal pass per source row, then
 * the vertical accumulation, all in float32. False when the memory cannot grow.
 */
function areaGeneric(
  k: Exports,
  src: Uint8Array,
  sw: number,
  sh: number,
  gray: Weights | null,
  xt: AreaTab,
  yt: AreaTab,
  dw: number,
  dh: number,
  out: Uint8Array,
): boolean {
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
  new Int32Array(mem, tabAt, dw * 7).set(packTab(xt));
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
    for (let i = 0, o = dy * dw; i < dw; i++) out[o + i] = satRound(sums[i]);
  }
  return true;
}

/** Integer-factor INTER_AREA into out: the sums of ix x iy blocks, dw x dh of them. False when the memory cannot grow. */
function blockSums(k: Exports, src: Uint8Array, sw: number, gray: Weights | null, ix: number, iy: number, dw: number, dh: number, out: Uint8Array): boolean {
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
      finishFast(sums, out, (dy0 + j) * dw, ix, iy);
    }
  }
  return true;
}
