import { expectedRewardSA, type TabularMdp } from "../../src/model/mdp.js";

/**
 * A small in-place (Gauss-Seidel) value iteration for the Oberst & Sontag tests, independent of solvers/.
 * Terminal states keep value 0. Stops when the sup-norm change of a sweep is below tol.
 */
export function localValueIteration(
  m: TabularMdp,
  gamma: number,
  tol = 1e-10,
  maxIter = 20_000,
): { vS: Float64Array; policyS: Int32Array; iterations: number; converged: boolean } {
  const rSA = expectedRewardSA(m);
  const vS = new Float64Array(m.nS);
  const policyS = new Int32Array(m.nS);
  for (let it = 1; it <= maxIter; it++) {
    let residual = 0;
    for (let s = 0; s < m.nS; s++) {
      if (m.terminalS[s] === 1) continue;
      let best = Number.NEGATIVE_INFINITY;
      for (let a = 0; a < m.nA; a++) {
        const r = s * m.nA + a;
        let acc = 0;
        for (let k = m.rowPtr[r]!; k < m.rowPtr[r + 1]!; k++) acc += m.prob[k]! * vS[m.next[k]!]!;
        const q = rSA[r]! + gamma * acc;
        if (q > best) {
          best = q;
          policyS[s] = a;
        }
      }
      residual = Math.max(residual, Math.abs(best - vS[s]!));
      vS[s] = best;
    }
    if (residual < tol) return { vS, policyS, iterations: it, converged: true };
  }
  return { vS, policyS, iterations: maxIter, converged: false };
}

/** Expected value under the initial distribution. */
export const startValue = (m: TabularMdp, vS: Float64Array): number =>
  m.d0.reduce((acc, p, s) => acc + p * vS[s]!, 0);
