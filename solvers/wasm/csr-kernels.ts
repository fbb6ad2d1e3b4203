import { wasmBase64 } from "./csr-kernels.generated.js";

/** The exported kernels of csr-kernels.wat; every array argument is a byte address in the space's memory. */
export interface CsrKernels {
  bellmanSweep(
    nS: number,
    statePtr: number,
    rowPtr: number,
    next: number,
    weight: number,
    reward: number,
    v: number,
    old: number,
  ): number;
  forwardSolve(
    n: number,
    ptr: number,
    col: number,
    val: number,
    invDiag: number,
    v: number,
    out: number,
  ): void;
  gaussSeidelOperator(
    n: number,
    lptr: number,
    lcol: number,
    lval: number,
    invDiag: number,
    uptr: number,
    ucol: number,
    uval: number,
    v: number,
    z: number,
    y: number,
  ): void;
  arnoldi(n: number, basis: number, j: number, h: number): number;
  backwardSolveScaled(
    n: number,
    ptr: number,
    col: number,
    val: number,
    invDiag: number,
    v: number,
    out: number,
  ): void;
  ssorOperator(
    n: number,
    lptr: number,
    lcol: number,
    lval: number,
    invDiag: number,
    uptr: number,
    ucol: number,
    uval: number,
    v: number,
    t: number,
    y: number,
  ): void;
  residual(
    n: number,
    lptr: number,
    lcol: number,
    lval: number,
    diag: number,
    uptr: number,
    ucol: number,
    uval: number,
    x: number,
    b: number,
    out: number,
  ): number;
  axpy(n: number, c: number, x: number, y: number): void;
}

type ElementType = "i32" | "f64";
type View<T extends ElementType> = T extends "i32" ? Int32Array : Float64Array;
export type Layout = Record<string, { readonly type: ElementType; readonly length: number }>;

/** A kernel instance with its own memory holding the arrays of `layout`, as typed-array views. */
export interface KernelSpace<L extends Layout> {
  readonly kernels: CsrKernels;
  /** Byte address of each array, to pass to the kernels. */
  readonly at: { readonly [K in keyof L]: number };
  /** The arrays themselves (zero-filled), to fill and read from JavaScript. */
  readonly view: { readonly [K in keyof L]: View<L[K]["type"]> };
}

// The few WebAssembly APIs used here, typed locally: the DOM library that declares them is not loaded.
interface WasmMemory {
  readonly buffer: ArrayBuffer;
}
interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Memory: new (descriptor: { initial: number }) => WasmMemory;
  Instance: new (module: object, imports: object) => { readonly exports: object };
}
const wasm = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;

let compiled: object | null = null;

/**
 * A private instance of the kernels over a memory sized for one problem. The memory never grows after
 * this, so the views stay valid, and instances never share memory, so callers cannot clobber each other
 * (instantiating the small compiled module costs microseconds).
 */
export function kernelSpace<L extends Layout>(layout: L): KernelSpace<L> {
  compiled ??= new wasm.Module(Buffer.from(wasmBase64, "base64"));
  const offsets: Record<string, number> = {};
  let bytes = 0;
  for (const [name, { type, length }] of Object.entries(layout)) {
    offsets[name] = bytes;
    bytes += Math.ceil((length * (type === "f64" ? 8 : 4)) / 8) * 8;
  }
  const memory = new wasm.Memory({ initial: Math.max(1, Math.ceil(bytes / 65536)) });
  const instance = new wasm.Instance(compiled, { env: { memory } });
  const view: Record<string, Int32Array | Float64Array> = {};
  for (const [name, { type, length }] of Object.entries(layout)) {
    view[name] =
      type === "f64"
        ? new Float64Array(memory.buffer, offsets[name], length)
        : new Int32Array(memory.buffer, offsets[name], length);
  }
  return {
    kernels: instance.exports as unknown as CsrKernels,
    at: offsets as KernelSpace<L>["at"],
    view: view as KernelSpace<L>["view"],
  };
}
