import { sparseDot } from "./kernels.js";

/** A square sparse matrix in CSR form over a compact index set (used for I - g P systems). */
export interface Csr {
  readonly n: number;
  readonly ptr: Int32Array;
  readonly col: Int32Array;
  readonly val: Float64Array;
}

/** y = x - g * (P x): the operator of the policy-evaluation system (I - g P) x = b. */
export function applyIMinusGP(p: Csr, g: number, x: Float64Array, y: Float64Array): void {
  const { ptr, col, val } = p;
  for (let i = 0; i < p.n; i++) y[i] = x[i]! - g * sparseDot(col, val, x, ptr[i]!, ptr[i + 1]!);
}

/** Dense row-major copy of I - g P (for the direct fallback on small or hard systems). */
export function denseIMinusGP(p: Csr, g: number): Float64Array {
  const n = p.n;
  const a = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    a[i * n + i] = 1;
    for (let k = p.ptr[i]!; k < p.ptr[i + 1]!; k++)
      a[i * n + p.col[k]!] = a[i * n + p.col[k]!]! - g * p.val[k]!;
  }
  return a;
}
