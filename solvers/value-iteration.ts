import { expectedRewardSA, type TabularMdp } from "../src/model/mdp.js";
import { actionSets, continuation, greedy } from "./bellman.js";
import { compactRows } from "./compact-rows.js";
import { sparseDot } from "./linear/kernels.js";
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
  const { statePtr, rowPtr, next, weight, reward } = compactRows(m, sets, rSA, cont);
  const nS = m.nS;
  const v = new Float64Array(nS);
  // Jacobi reads the previous sweep from `old`; Gauss-Seidel reads and writes `v` in place.
  const old = gs ? v : new Float64Array(nS);
  let residual = Number.POSITIVE_INFINITY;
  let k = 0;
  while (k < o.maxIterations) {
    k++;
    residual = 0;
    if (!gs) old.set(v);
    for (let s = 0; s < nS; s++) {
      const r0 = statePtr[s]!;
      const r1 = statePtr[s + 1]!;
      if (r0 === r1) continue; // terminal: V = 0
      let best = Number.NEGATIVE_INFINITY;
      for (let r = r0; r < r1; r++) {
        const q = reward[r]! + sparseDot(next, weight, old, rowPtr[r]!, rowPtr[r + 1]!);
        if (q > best) best = q;
      }
      const d = Math.abs(best - v[s]!);
      if (d > residual) residual = d;
      v[s] = best;
    }
    o.onIteration?.(k, residual);
    if (residual <= o.tolerance) break;
  }
  const { qSA, policyS } = greedy(m, rSA, cont, v, sets, o.gamma, 1e3 * residual);
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
