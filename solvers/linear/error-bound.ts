import { diagonalOf, type RestrictedRows } from "./gauss-seidel-system.js";

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
  const { states, local, start, end, col, val } = rows;
  let worst = 0;
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
    const bound = Math.abs(acc) + (terms + 2) * EPS * size;
    if (!(bound <= worst)) worst = bound;
  }
  return worst;
}
