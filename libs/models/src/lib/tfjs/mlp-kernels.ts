import { WASM_BASE64 } from './mlp-kernels-wasm';

/** Bytes of a WebAssembly memory page, and the most pages of a 32-bit memory (4 GiB). */
export const WASM_PAGE = 65_536;
export const WASM_MAX_PAGES = 65_536;

/**
 * The part of WebAssembly's JavaScript API used here. Node has it all; its typings come with the
 * DOM library, which this workspace does not include.
 */
export interface WasmApi {
  Module: new (bytes: Uint8Array) => WasmModule;
  Memory: new (descriptor: { initial: number; maximum: number; shared: true }) => WasmMemory;
  Instance: new (module: WasmModule, imports: object) => { exports: object };
}
export type WasmModule = { readonly __wasmModule: unique symbol };
export type WasmMemory = { readonly buffer: SharedArrayBuffer };

/** The exports of mlp-kernels.wat; pointers are byte offsets into the memory. */
export interface MlpKernels {
  gemm(c: number, m: number, n: number, a: number, aRow: number, aStep: number, b: number, bStep: number, depth: number): void;
  csrTimes(out: number, count: number, starts: number, index: number, values: number, mat: number, units: number): void;
  broadcastRow(out: number, row: number, count: number, units: number): void;
  gatherRows(out: number, rows: number, count: number, src: number, cols: number): void;
  relu(a: number, count: number): void;
  reluMasked(a: number, mask: number, count: number): void;
  activeDelta(d: number, h: number, count: number, scale: number): void;
  gatherCsr(outStarts: number, outIndex: number, outValues: number, rows: number, count: number, starts: number, index: number, values: number): void;
  byColumn(colStarts: number, colRows: number, colValues: number, cols: number, starts: number, index: number, values: number, count: number): void;
  adam(lo: number, hi: number, grads: number, stride: number, chunks: number, params: number, m: number, v: number, p32: number,
    lr: number, epsilon: number, l2: number, beta1: number, beta2: number): number;
}

const wasm = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;
let compiled: WasmModule | undefined;

/** The kernels' module (mlp-kernels.wat), compiled once per process. */
export function kernelModule(): WasmModule {
  compiled ??= new wasm.Module(Buffer.from(WASM_BASE64, 'base64'));
  return compiled;
}

/** A shared memory of `pages` pages, neither more nor less: the kernels' module imports one. */
export function newSharedMemory(pages: number): WasmMemory {
  return new wasm.Memory({ initial: pages, maximum: pages, shared: true });
}

/** The kernels over `memory`, for this thread. */
export function instantiateKernels(memory: WasmMemory): MlpKernels {
  return new wasm.Instance(kernelModule(), { env: { memory } }).exports as MlpKernels;
}
