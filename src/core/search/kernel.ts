import { POPCOUNT_WASM_BASE64 } from './popcountWasm.js';

// The engine's tsconfig has no DOM lib, which is where TypeScript declares WebAssembly; these are
// the few pieces used here, typed locally so the same code checks with and without DOM.
export interface WasmMemory {
  readonly buffer: ArrayBufferLike;
}
interface WasmGlobal {
  value: unknown;
}
type WasmModule = object;
interface WasmApi {
  Module: new (bytes: Uint8Array) => WasmModule;
  Instance: new (module: WasmModule, imports: object) => { readonly exports: object };
  Memory: new (d: { initial: number; maximum: number; shared: boolean }) => WasmMemory;
}
const wasm = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;

/** The exports of popcount.wat; see the comments there for the calling convention. */
export interface PopcountKernel {
  pairs1(
    aBase: number,
    bBase: number,
    i0: number,
    i1: number,
    j0: number,
    j1: number,
    tri: number,
    shift: number,
    r: number,
    out: number,
    outEnd: number,
  ): number;
  pairs4(
    aBase: number,
    bBase: number,
    i0: number,
    i1: number,
    j0: number,
    j1: number,
    tri: number,
    shift: number,
    r: number,
    out: number,
    outEnd: number,
  ): number;
  pairs4full(
    aBase: number,
    bBase: number,
    i0: number,
    i1: number,
    j0: number,
    j1: number,
    tri: number,
    shift: number,
    r: number,
    out: number,
    outEnd: number,
  ): number;
  pairsW(
    aBase: number,
    bBase: number,
    i0: number,
    i1: number,
    j0: number,
    j1: number,
    tri: number,
    shift: number,
    r: number,
    out: number,
    outEnd: number,
    w: number,
    c: number,
  ): number;
  verify(aBase: number, bBase: number, w: number, cand: number, n: number, r: number, out: number): number;
  readonly resume: WasmGlobal;
}

let compiled: WasmModule | undefined;

/** Compiled once per thread; 2 KB, so synchronous compilation is instant. */
export function popcountModule(): WasmModule {
  compiled ??= new wasm.Module(Buffer.from(POPCOUNT_WASM_BASE64, 'base64'));
  return compiled;
}

/** The module's memory is imported and shared, so workers run on the very bytes the main thread wrote. */
export function createSharedMemory(bytes: number): WasmMemory {
  const pages = Math.max(1, Math.ceil(bytes / 65536));
  if (pages > 65535) throw new RangeError(`exact search needs ${bytes} bytes of wasm memory, more than 4 GB`);
  return new wasm.Memory({ initial: pages, maximum: pages, shared: true });
}

export function instantiateKernel(memory: WasmMemory): PopcountKernel {
  const instance = new wasm.Instance(popcountModule(), { env: { memory } });
  return instance.exports as unknown as PopcountKernel;
}

/**
 * How many leading words to sum before the one early check. Unrelated hashes differ in about half
 * their bits, so after c words the partial sum is about 32c with a spread of 4 sqrt(c); the check
 * pays when that is past the radius by 1.5 spreads, and is skipped (c = all words) otherwise: a check
 * that often passes costs a branch misprediction each time. Measured on 256-bit hashes the early
 * check after two words wins up to radius 56 (1.4 G pairs/s at 52, 0.84 with all four words).
 * Any c gives the same pairs: only the speed depends on it.
 */
export function checkWords(words: number, radius: number): number {
  for (let c = 1; c < words; c++) if (32 * c >= radius + 6 * Math.sqrt(c)) return c;
  return words;
}
