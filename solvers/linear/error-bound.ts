import { diagonalOf, type RestrictedRows, type RowShape } from "./gauss-seidel-system.js";

const EPS = 2 ** -53;

/**
 * max_i of |b - A x|_i plus the rounding that evaluating row i can add (a row of k terms summed in order
 * is off by at most (k + 2) eps times the sum of the terms' magnitudes), for A = I - gP over the restricted
 * rows with the same diagonal as the solvers use. Multiplied by ||A^-1||_inf this bounds the error of x.
 * Rows whose probabilities are tiny have tiny residuals too, which is why this bound stays small on
 * near-improper chains where ||A^-1||_inf is huge.
 */
export function residualErrorBound(
  rows: RestrictedRows,
  g: number,
  b: Float64Array,
  x: Float64Array,
): number {
  let worst = 0;
  for (const bound of residualBounds(rows, g, b, x)) if (!(bound <= worst)) worst = bound;
  return worst;
}

/** Row by row: |b - A x|_i plus the rounding of evaluating row i (see residualErrorBound). */
export function residualBounds(
  rows: RestrictedRows,
  g: number,
  b: Float64Array,
  x: Float64Array,
): Float64Array {
  const { states, local, start, end, col, val } = rows;
  const out = new Float64Array(states.length);
  for (let i = 0; i < states.length; i++) {
    const s = states[i]!;
    let selfLoop = false;
    let acc = b[i]!;
    let size = Math.abs(b[i]!);
    let terms = 2;
    for (let k = start[s]!; k < end[s]!; k++) {
      const j = local[col[k]!]!;
      if (j < 0) continue;
      if (j === i) {
        selfLoop = true;
        continue;
      }
      const t = g * val[k]! * x[j]!;
      acc += t;
      size += Math.abs(t);
      terms++;
    }
    const d = selfLoop ? diagonalOf(rows, s, g) : 1;
    acc -= d * x[i]!;
    size += Math.abs(d * x[i]!);
    out[i] = Math.abs(acc) + (terms + 2) * EPS * size;
  }
  return out;
}

/**
 * The same kind of bound from what an iterative solve already has, without another pass over the rows: the
 * residual's 2-norm (>= its max norm) as computed, plus the rounding of any row, bounded through the rows'
 * largest length, diagonal and off-diagonal mass. Coarser than residualErrorBound where rows differ in scale
 * (near-improper chains), which is why callers fall back to that one when this misses their target.
 */
export function coarseResidualBound(
  residual2: number,
  shape: RowShape,
  b: Float64Array,
  x: Float64Array,
): number {
  let maxB = 0;
  let maxX = 0;
  for (let i = 0; i < b.length; i++) maxB = Math.max(maxB, Math.abs(b[i]!));
  for (let i = 0; i < x.length; i++) maxX = Math.max(maxX, Math.abs(x[i]!));
  const rounding =
    (shape.maxRowLength + 4) * EPS * (maxB + (shape.maxDiagonal + shape.maxOffDiagonal) * maxX);
  return residual2 + rounding;
}
