/**
 * Sparse row dot products with four independent accumulators. A single running sum makes every
 * multiply-add wait for the previous one; four chains let the CPU overlap them.
 * Summation order differs from a naive loop, which is why results are compared with tolerances, not bits.
 */
export function sparseDot(
  col: Int32Array,
  val: Float64Array,
  x: Float64Array,
  lo: number,
  hi: number,
): number {
  let a0 = 0;
  let a1 = 0;
  let a2 = 0;
  let a3 = 0;
  let k = lo;
  for (; k + 3 < hi; k += 4) {
    a0 += val[k]! * x[col[k]!]!;
    a1 += val[k + 1]! * x[col[k + 1]!]!;
    a2 += val[k + 2]! * x[col[k + 2]!]!;
    a3 += val[k + 3]! * x[col[k + 3]!]!;
  }
  for (; k < hi; k++) a0 += val[k]! * x[col[k]!]!;
  return a0 + a1 + (a2 + a3);
}
