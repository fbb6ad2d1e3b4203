import { expectedRewardSA, type TabularMdp } from "../src/model/mdp.js";
import { actionSets, continuation, greedy, qRow } from "./bellman.js";
import { errorBound, resolvePlanOptions } from "./options.js";
import type { PlanOptions, PlanResult } from "./types.js";

/**
 * Value iteration from V = 0. Jacobi ("vi") updates every state from the previous sweep's values;
 * Gauss-Seidel ("gs-vi") uses each new value as soon as it is computed (usually fewer sweeps).
 * Stops when the sup-norm change of a sweep is <= tolerance, or after maxIterations (converged = false).
 */
export function valueIteration(
  m: TabularMdp,
  options: PlanOptions & { readonly gaussSeidel?: boolean } = {},
): PlanResult {
  const o = resolvePlanOptions(m, options, 100_000);
  const gs = options.gaussSeidel ?? false;
  const rSA = expectedRewardSA(m);
  const cont = continuation(m, o.gamma);
  const sets = actionSets(m, o.admissibleOnly);
  const { rowPtr, next, prob, nA, nS } = m;
  const v = new Float64Array(nS);
  // cv = cont * v: discounted, zero on terminal states. Gauss-Seidel writes into it in place.
  const cv = new Float64Array(nS);
  const cvNext = gs ? cv : new Float64Array(nS);
  let residual = Number.POSITIVE_INFINITY;
  let k = 0;
  while (k < o.maxIterations) {
    k++;
    residual = 0;
    for (let s = 0; s < nS; s++) {
      if (m.terminalS[s] === 1) continue;
      let best = Number.NEGATIVE_INFINITY;
      const base = s * nA;
      for (let i = sets.ptr[s]!; i < sets.ptr[s + 1]!; i++) {
        const q = qRow(rowPtr, next, prob, rSA, cv, base + sets.actions[i]!);
        if (q > best) best = q;
      }
      const d = Math.abs(best - v[s]!);
      if (d > residual) residual = d;
      v[s] = best;
      cvNext[s] = cont[s]! * best;
    }
    if (!gs) cv.set(cvNext);
    o.onIteration?.(k, residual);
    if (residual <= o.tolerance) break;
  }
  const { qSA, policyS } = greedy(m, rSA, cont, v, sets);
  const converged = residual <= o.tolerance;
  return {
    vS: v,
    qSA,
    policyS,
    gamma: o.gamma,
    admissibleOnly: o.admissibleOnly,
    method: gs ? "gs-vi" : "vi",
    report: {
      converged,
      iterations: k,
      residual,
      stop: converged ? "tolerance" : "max-iterations",
      errorBound: errorBound(residual, o.gamma),
    },
  };
}
