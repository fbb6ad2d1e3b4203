import { actionSets } from "../src/model/action-sets.js";
import { expectedRewardSA, type TabularMdp } from "../src/model/mdp.js";
import { continuation, greedy, qRow, supDiff } from "./bellman.js";
import { collapseZeroComponents, zeroComponentsToCollapse } from "./gamma-one.js";
import { resolvePlanOptions } from "./options.js";
import { planResult } from "./plan-result.js";
import type { PlanOptions, PlanResult } from "./types.js";

/**
 * Modified policy iteration (Puterman 6.5): each iteration takes one greedy backup, then `evaluationSweeps`
 * sweeps of partial evaluation of that greedy policy. Stops when the greedy backup changes V by <= tolerance
 * in sup norm.
 */
export function modifiedPolicyIteration(
  m: TabularMdp,
  options: PlanOptions & { readonly evaluationSweeps?: number } = {},
): PlanResult {
  const o = resolvePlanOptions(m, options, 100_000);
  const sweeps = options.evaluationSweeps ?? 10;
  const rSA = expectedRewardSA(m);
  const cont = continuation(m, o.gamma);
  const sets = actionSets(m, o.admissibleOnly);
  const collapse = zeroComponentsToCollapse(m, o.gamma, o.admissibleOnly);
  const { nS, nA, rowPtr, next, prob } = m;
  const v = new Float64Array(nS);
  const cv = new Float64Array(nS);
  const policy = new Int32Array(nS);
  let residual = Number.POSITIVE_INFINITY;
  let k = 0;
  const before = collapse === null ? null : new Float64Array(nS);
  while (k < o.maxIterations) {
    k++;
    before?.set(v);
    residual = 0;
    for (let s = 0; s < nS; s++) {
      if (m.terminalS[s] === 1) continue;
      let best = Number.NEGATIVE_INFINITY;
      let bestA = 0;
      for (let i = sets.ptr[s]!; i < sets.ptr[s + 1]!; i++) {
        const a = sets.actions[i]!;
        const q = qRow(rowPtr, next, prob, rSA, cv, s * nA + a);
        if (q > best) {
          best = q;
          bestA = a;
        }
      }
      residual = Math.max(residual, Math.abs(best - v[s]!));
      v[s] = best;
      policy[s] = bestA;
    }
    for (let s = 0; s < nS; s++) cv[s] = cont[s]! * v[s]!;
    if (collapse !== null && before !== null) {
      // The backup of the collapsed MDP (see collapseZeroComponents).
      collapseZeroComponents(m, collapse, sets, v, (row) => qRow(rowPtr, next, prob, rSA, cv, row));
      for (let s = 0; s < nS; s++) cv[s] = cont[s]! * v[s]!;
      residual = supDiff(v, before);
    }
    o.onIteration?.(k, residual);
    if (residual <= o.tolerance) break;
    // Partial evaluation of the greedy policy (Gauss-Seidel order). Collapsed components keep their value:
    // a greedy move inside one is a zero-reward step that would only carry values around the component.
    for (let j = 0; j < sweeps; j++) {
      for (let s = 0; s < nS; s++) {
        if (m.terminalS[s] === 1 || (collapse !== null && collapse.zeroComponentS[s]! >= 0)) continue;
        v[s] = qRow(rowPtr, next, prob, rSA, cv, s * nA + policy[s]!);
        cv[s] = cont[s]! * v[s]!;
      }
    }
  }
  const g = greedy(m, rSA, cont, v, sets, o.gamma, 1e3 * residual);
  const converged = residual <= o.tolerance;
  return planResult(o, "mpi", {
    vS: v,
    qSA: g.qSA,
    policyS: g.policyS,
    iterations: k,
    residual,
    converged,
    convergedBy: "tolerance",
  });
}
