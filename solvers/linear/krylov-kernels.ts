import {
  type KernelSpace,
  type Layout,
  type ReusableSpace,
  reusableSpace,
  wasmModule,
  wasmSpace,
} from "../../src/core/kernel-space.js";
import { wasmBase64 } from "./krylov-kernels.generated.js";

/**
 * A triangular pass over one half of g P, row i being the entries [lo[i], hi[i]) of (col, val) with val
 * holding P (the kernels multiply by g), with the inverse diagonal, from v into out.
 */
type TriangularPass = (
  n: number,
  lo: number,
  hi: number,
  col: number,
  val: number,
  invDiag: number,
  v: number,
  out: number,
  g: number,
) => void;

/**
 * A pass over both halves of the split, I - gP = D - L - U: L (llo, lhi, lcol, lval), a diagonal, U (ulo,
 * uhi, ucol, uval), then an input, a second input or scratch, the output, and g.
 */
type SplitPass<R> = (
  n: number,
  llo: number,
  lhi: number,
  lcol: number,
  lval: number,
  diagonal: number,
  ulo: number,
  uhi: number,
  ucol: number,
  uval: number,
  first: number,
  second: number,
  out: number,
  g: number,
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

/** The same over a reused memory (see reusableSpace): for the large chains of one-off evaluations. */
export function reusableKrylovSpace<L extends Layout>(
  layout: L,
  scratch: ReadonlySet<keyof L>,
): ReusableSpace<KrylovKernels, L> {
  return reusableSpace<KrylovKernels, L>(module, layout, scratch);
}
