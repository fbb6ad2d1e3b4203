import { UsageError } from "../../src/core/errors.js";
import type { RestrictedRows } from "./gauss-seidel-system.js";

/**
 * Direct solve of x = b + g P x over a restricted chain by state elimination in the Grassmann-Taksar-Heyman
 * form. Each row keeps its off-diagonal weights w(i, j) = g P(i, j) and its exit mass e(i) (discounting plus
 * moves out of the system); the diagonal is never stored but rebuilt as e(i) + sum_j w(i, j). Eliminating a
 * state only adds products of non-negative numbers, so no subtraction can cancel: a self-loop of probability
 * 1 - 1e-12 keeps its 1e-12 exit to full relative accuracy, where 1 - P(s, s) would keep about four digits.
 * Self-loops of the input are ignored (the row is read as if it summed to exactly 1). O(n^3), dense.
 */
export function gthSolve(rows: RestrictedRows, g: number, rhs: readonly Float64Array[]): Float64Array[] {
  const n = rows.states.length;
  const w = new Float64Array(n * n);
  const exit = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const s = rows.states[i]!;
    let out = 1 - g;
    for (let k = rows.start[s]!; k < rows.end[s]!; k++) {
      const c = rows.col[k]!;
      if (c === s) continue;
      const j = rows.local[c]!;
      const p = g * rows.val[k]!;
      if (j < 0) out += p;
      else w[i * n + j] = w[i * n + j]! + p;
    }
    exit[i] = out;
  }
  const xs = rhs.map((b) => b.slice());
  const denominator = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    let d = exit[k]!;
    for (let j = k + 1; j < n; j++) d += w[k * n + j]!;
    if (!(d > 0)) {
      throw new UsageError(
        "the policy-evaluation system is singular: some state can neither end its episode nor leave itself",
      );
    }
    denominator[k] = d;
    for (let i = k + 1; i < n; i++) {
      const wik = w[i * n + k]!;
      if (wik === 0) continue;
      const f = wik / d;
      w[i * n + k] = 0;
      exit[i] = exit[i]! + f * exit[k]!;
      // The f * w(k, i) share becomes a self-loop of i, which the rebuilt diagonal absorbs: skip j = i.
      for (let j = k + 1; j < n; j++) if (j !== i) w[i * n + j] = w[i * n + j]! + f * w[k * n + j]!;
      for (const x of xs) x[i] = x[i]! + f * x[k]!;
    }
  }
  for (const x of xs) {
    for (let k = n - 1; k >= 0; k--) {
      let acc = x[k]!;
      for (let j = k + 1; j < n; j++) acc += w[k * n + j]! * x[j]!;
      x[k] = acc / denominator[k]!;
    }
  }
  return xs;
}
