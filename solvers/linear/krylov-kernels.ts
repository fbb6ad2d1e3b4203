import { type KernelSpace, type Layout, wasmModule, wasmSpace } from "../../src/core/kernel-space.js";
import { wasmBase64 } from "./krylov-kernels.generated.js";

/** A triangular pass over one CSR half (ptr, col, val) with the inverse diagonal, from v into out. */
type TriangularPass = (
  n: number,
  ptr: number,
  col: number,
  val: number,
  invDiag: number,
  v: number,
  out: number,
) => void;

/**
 * A pass over both halves of the split, I - gP = D - L - U: L (lptr, lcol, lval), a diagonal, U (uptr, ucol,
 * uval), then an input, a second input or scratch, and the output.
 */
type SplitPass<R> = (
  n: number,
  lptr: number,
  lcol: number,
  lval: number,
  diagonal: number,
  uptr: number,
  ucol: number,
  uval: number,
  first: number,
  second: number,
  out: number,
) => R;

/** The exported kernels of krylov-kernels.wat; every array argument is a byte address in the space's memory. */
export interface KrylovKernels {
  /** out = (D - L)^-1 v. */
  forwardSolve: TriangularPass;
  /** out = (D - U)^-1 D v (over U). */
  backwardSolveScaled: TriangularPass;
  /** out = M1^-1 A M2^-1 first (symmetric Gauss-Seidel by Eisenstat's trick; diagonal = 1/D; second is scratch). */
  ssorOperator: SplitPass<void>;
  /** out = second - A first (diagonal = D); returns its 2-norm. */
  residual: SplitPass<number>;
  /** Modified Gram-Schmidt step of GMRES on basis vector j + 1; coefficients to h; returns the norm. */
  arnoldi(n: number, basis: number, j: number, h: number): number;
}

const module = wasmModule(wasmBase64);

/** A private instance of the policy-evaluation kernels over a memory holding the arrays of `layout`. */
export function krylovKernelSpace<L extends Layout>(layout: L): KernelSpace<KrylovKernels, L> {
  return wasmSpace<KrylovKernels, L>(module, layout);
}
