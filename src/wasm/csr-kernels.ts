import { wasmBase64 } from "./csr-kernels.generated.js";
import { type KernelSpace, type Layout, wasmModule, wasmSpace } from "./kernel-space.js";

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
    bound: number,
    lastBest: number,
    drift: number,
    scale: number,
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
  rowValues(
    nRows: number,
    rowPtr: number,
    next: number,
    weight: number,
    reward: number,
    v: number,
    out: number,
  ): void;
}

const module = wasmModule(wasmBase64);

/** A private instance of the sparse kernels over a memory holding the arrays of `layout`. */
export function kernelSpace<L extends Layout>(layout: L): KernelSpace<CsrKernels, L> {
  return wasmSpace<CsrKernels, L>(module, layout);
}
