import { UsageError } from "../src/core/errors.js";
import { type ActionSets, actionSets } from "../src/model/action-sets.js";
import { expectedRewardSA, type TabularMdp } from "../src/model/mdp.js";
import { continuation, greedy, qRow, supDiff, TIE_TOLERANCE } from "./bellman.js";
import { solveRestricted } from "./linear/restricted-solve.js";
import { errorBound, resolvePlanOptions } from "./options.js";
import { deterministicTable } from "./policy-evaluation.js";
import { policyChain, terminationStructure } from "./policy-matrix.js";
import type { PlanOptions, PlanResult } from "./types.js";
import { valueIteration } from "./value-iteration.js";

/**
 * Policy iteration with exact evaluation. Starts from the uniform policy over the allowed actions; an
 * improvement step only switches action when the new one beats the current by more than 1e-12, so ties
 * cannot make it cycle. Stops when the policy is stable ("policy-stable").
 */
export function policyIteration(m: TabularMdp, options: PlanOptions = {}): PlanResult {
  const o = resolvePlanOptions(m, options, 1_000);
  const rSA = expectedRewardSA(m);
  const cont = continuation(m, o.gamma);
  const sets = actionSets(m, o.admissibleOnly);
  let v = evaluateTable(m, uniformOver(m, sets), rSA, o.gamma);
  if (v === null) {
    // The uniform policy can run forever (gamma = 1): start from a coarse value-iteration policy instead.
    const coarse = valueIteration(m, { ...options, tolerance: 1e-6, onIteration: undefined });
    v = evaluateTable(m, deterministicTable(m, coarse.policyS), rSA, o.gamma);
    if (v === null)
      throw new UsageError("policy iteration needs a policy that terminates surely; use vi or gs-vi");
  }
  let policy = greedy(m, rSA, cont, v, sets).policyS;
  let k = 0;
  let stable = false;
  while (k < o.maxIterations) {
    k++;
    const vNew = evaluateTable(m, deterministicTable(m, policy), rSA, o.gamma);
    if (vNew === null)
      throw new UsageError(`policy iteration produced a policy that may not terminate (iteration ${k})`);
    const change = supDiff(vNew, v);
    v = vNew;
    o.onIteration?.(k, change);
    const improved = improve(m, rSA, cont, v, sets, policy);
    if (improved === null) {
      stable = true;
      break;
    }
    policy = improved;
  }
  const { qSA, policyS } = greedy(m, rSA, cont, v, sets, o.gamma);
  const residual = bellmanResidual(m, qSA, v, sets);
  return {
    vS: v,
    qSA,
    policyS,
    gamma: o.gamma,
    admissibleOnly: o.admissibleOnly,
    method: "pi",
    report: {
      converged: stable,
      iterations: k,
      residual,
      stop: stable ? "policy-stable" : "max-iterations",
      errorBound: errorBound(residual, o.gamma),
    },
  };
}

/** Values of a policy table, or null when gamma = 1 and some state may never terminate under it. */
export function evaluateTable(
  m: TabularMdp,
  piSA: Float64Array,
  rSA: Float64Array,
  gamma: number,
): Float64Array | null {
  const chain = policyChain(m, piSA, rSA);
  if (gamma === 1) {
    const { mayAvoidT } = terminationStructure(m, chain);
    for (let s = 0; s < m.nS; s++) if (m.terminalS[s] === 0 && mayAvoidT[s] === 1) return null;
  }
  return solveRestricted(
    chain,
    (s) => m.terminalS[s] === 0,
    gamma,
    (s) => chain.rS[s]!,
  );
}

/** The improved policy, or null when no state can improve by more than the tie tolerance. */
function improve(
  m: TabularMdp,
  rSA: Float64Array,
  cont: Float64Array,
  v: Float64Array,
  sets: ActionSets,
  policy: Int32Array,
): Int32Array | null {
  const cv = new Float64Array(m.nS);
  for (let s = 0; s < m.nS; s++) cv[s] = cont[s]! * v[s]!;
  let out: Int32Array | null = null;
  for (let s = 0; s < m.nS; s++) {
    if (m.terminalS[s] === 1) continue;
    const current = qRow(m.rowPtr, m.next, m.prob, rSA, cv, s * m.nA + policy[s]!);
    let best = current;
    let bestA = policy[s]!;
    for (let i = sets.ptr[s]!; i < sets.ptr[s + 1]!; i++) {
      const a = sets.actions[i]!;
      const q = qRow(m.rowPtr, m.next, m.prob, rSA, cv, s * m.nA + a);
      if (q > best + TIE_TOLERANCE) {
        best = q;
        bestA = a;
      }
    }
    if (bestA !== policy[s]) {
      out ??= policy.slice();
      out[s] = bestA;
    }
  }
  return out;
}

/** max_s |max_a Q(s,a) - V(s)| over non-terminal states. */
export function bellmanResidual(m: TabularMdp, qSA: Float64Array, v: Float64Array, sets: ActionSets): number {
  let r = 0;
  for (let s = 0; s < m.nS; s++) {
    if (m.terminalS[s] === 1) continue;
    let best = Number.NEGATIVE_INFINITY;
    for (let i = sets.ptr[s]!; i < sets.ptr[s + 1]!; i++)
      best = Math.max(best, qSA[s * m.nA + sets.actions[i]!]!);
    r = Math.max(r, Math.abs(best - v[s]!));
  }
  return r;
}

function uniformOver(m: TabularMdp, sets: ActionSets): Float64Array {
  const t = new Float64Array(m.nS * m.nA);
  for (let s = 0; s < m.nS; s++) {
    const n = sets.ptr[s + 1]! - sets.ptr[s]!;
    for (let i = sets.ptr[s]!; i < sets.ptr[s + 1]!; i++) t[s * m.nA + sets.actions[i]!] = 1 / n;
  }
  return t;
}
