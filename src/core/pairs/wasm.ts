// The engine's tsconfig has no DOM lib, which is where TypeScript declares WebAssembly; these are the
// few pieces the two pair kernels (popcount.wat, lsh.wat) use, typed locally so the same code checks
// with and without DOM.
export interface WasmMemory {
  readonly buffer: ArrayBufferLike;
  grow(pages: number): number;
}
/** A compiled WebAssembly.Module, kept opaque; it can be posted to worker threads. */
export type WasmModule = object;
interface WasmApi {
  Module: new (bytes: Uint8Array) => WasmModule;
  Instance: new (module: WasmModule, imports: object) => { readonly exports: object };
  Memory: new (d: { initial: number; maximum: number; shared: boolean }) => WasmMemory;
}
export const wasm = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;

/** A module compiled once per thread from the committed bytes (a few KB: synchronous compilation is instant). */
export function compiledOnce(base64: string): () => WasmModule {
  let compiled: WasmModule | undefined;
  return () => (compiled ??= new wasm.Module(Buffer.from(base64, 'base64')));
}

export function instantiate<T>(module: WasmModule, imports: object = {}): T {
  return new wasm.Instance(module, imports).exports as T;
}
