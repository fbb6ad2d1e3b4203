import { type ActionSets, actionSets } from "../src/model/action-sets.js";
import { expectedRewardSA, type TabularMdp } from "../src/model/mdp.js";
import { continuation, qTable, supDiff, TIE_TOLERANCE } from "./bellman.js";
import { undiscountedStructure } from "./gamma-one.js";
import { type RestrictedSystem, restrictedSystem } from "./linear/restricted-solve.js";
import { resolvePlanOptions } from "./options.js";
import { planResult } from "./plan-result.js";
import { deterministicTable } from "./policy-evaluation.js";
import { policyChain } from "./policy-matrix.js";
import type { PlanOptions, PlanResult } from "./types.js";

/**
 * A deterministic policy in which, at gamma = 1, states of zero-reward end components may also "stay":
 * remain in their component forever, worth exactly 0 (`stayS[s] = 1`; then `policyS[s]` is not used).
 */
export interface StayingPolicy {
  readonly policyS: Int32Array;
  readonly stayS: Uint8Array;
}

/**
 * Policy iteration with exact evaluation. With gamma < 1 it starts from each state's lowest allowed action. With
 * gamma = 1 it starts from a policy that ends surely (reaching a terminal state, or staying in a zero-reward
 * end component), and improvement keeps it so (stochastic shortest path theory: an improper policy would
 * need a cycle that does not lose reward, and the only such cycles are the zero-reward components, where
 * staying is already an option). An action replaces the current one only when it is better by more than the
 * tie tolerance, so ties cannot make it cycle.
 */
export function policyIteration(m: TabularMdp, options: PlanOptions = {}): PlanResult {
  const o = resolvePlanOptions(m, options, 1_000);
  const start = startingPolicy(m, o.admissibleOnly, o.gamma);
  const run = iteratePolicies(m, o.admissibleOnly, o.gamma, start, o.maxIterations, o.onIteration);
  run.system.release();
  return planResult(o, "pi", {
    vS: run.vS,
    qSA: run.qSA,
    policyS: actingPolicy(m, o.admissibleOnly, run.policy, o.gamma),
    iterations: run.iterations,
    residual: bellmanResidual(m, o.admissibleOnly, run.qSA, run.vS, o.gamma),
    converged: run.stable,
    convergedBy: "policy-stable",
  });
}

/** Gamma < 1: lowest allowed actions. Gamma = 1: stay in zero-reward components, elsewhere a sure way out. */
export function startingPolicy(m: TabularMdp, admissibleOnly: boolean, gamma: number): StayingPolicy {
  const sets = actionSets(m, admissibleOnly);
  const policyS = new Int32Array(m.nS);
  for (let s = 0; s < m.nS; s++) policyS[s] = sets.actions[sets.ptr[s]!]!;
  const stayS = new Uint8Array(m.nS);
  if (gamma < 1) return { policyS, stayS };
  const u = undiscountedStructure(m, admissibleOnly);
  for (let s = 0; s < m.nS; s++) {
    if (m.terminalS[s] === 1) continue;
    if (u.zeroComponentS[s]! >= 0) stayS[s] = 1;
    else policyS[s] = u.properActionS[s]!;
  }
  return { policyS, stayS };
}

/** Exact values of a policy that ends surely (staying states are worth 0), with the system they solve. */
export function evaluateStaying(m: TabularMdp, p: StayingPolicy, gamma: number): PolicyValues {
  const chain = policyChain(m, deterministicTable(m, p.policyS), expectedRewardSA(m));
  const system = restrictedSystem(chain, (s) => m.terminalS[s] === 0 && p.stayS[s] === 0, gamma);
  return { vS: system.solve((s) => chain.rS[s]!), system };
}

export interface PolicyValues {
  readonly vS: Float64Array;
  /**
   * I - gamma P of the policy over its non-terminal, non-staying states, already split for the solver: at
   * gamma = 1 its `ones()` are the policy's expected lengths, solved without a second split.
   */
  readonly system: RestrictedSystem;
}

/**
 * The end of policy iteration: the last evaluated policy's exact values, their Q table and system (`policy` is
 * that policy when stable, else the one greedy on those values). The caller releases the system.
 */
export interface PolicyIterationRun extends PolicyValues {
  readonly qSA: Float64Array;
  readonly policy: StayingPolicy;
  readonly iterations: number;
  readonly stable: boolean;
}

/** Evaluate, improve, repeat until stable or `maxIterations` evaluations (at least one). */
export function iteratePolicies(
  m: TabularMdp,
  admissibleOnly: boolean,
  gamma: number,
  start: StayingPolicy,
  maxIterations: number,
  onIteration?: (iteration: number, change: number) => void,
  sets: ActionSets = actionSets(m, admissibleOnly),
): PolicyIterationRun {
  const canStay = gamma === 1 ? undiscountedStructure(m, admissibleOnly).zeroComponentS : null;
  const rSA = expectedRewardSA(m);
  const cont = continuation(m, gamma);
  let policy = start;
  let previous: Float64Array = new Float64Array(m.nS);
  for (let k = 1; ; k++) {
    const values = evaluateStaying(m, policy, gamma);
    onIteration?.(k, supDiff(values.vS, previous));
    previous = values.vS;
    // The full table, not only the improvement's maxima: callers need it, and it is the same arithmetic.
    const qSA = qTable(m, rSA, cont, values.vS, sets);
    const improved = improve(m, sets, qSA, policy, canStay);
    if (improved === null) return { ...values, qSA, policy, iterations: k, stable: true };
    // Out of evaluations: the policy greedy on the last values, as a planner's policy is.
    if (k >= maxIterations) return { ...values, qSA, policy: improved, iterations: k, stable: false };
    values.system.release();
    policy = improved;
  }
}

/** The improved policy, or null when no state can improve by more than the tie tolerance. */
function improve(
  m: TabularMdp,
  sets: ActionSets,
  qSA: Float64Array,
  p: StayingPolicy,
  canStay: Int32Array | null,
): StayingPolicy | null {
  let out: StayingPolicy | null = null;
  for (let s = 0; s < m.nS; s++) {
    if (m.terminalS[s] === 1) continue;
    let best = p.stayS[s] === 1 ? 0 : qSA[s * m.nA + p.policyS[s]!]!;
    let bestA = p.stayS[s] === 1 ? -1 : p.policyS[s]!;
    for (let i = sets.ptr[s]!; i < sets.ptr[s + 1]!; i++) {
      const a = sets.actions[i]!;
      const value = qSA[s * m.nA + a]!;
      if (value > best + TIE_TOLERANCE) {
        best = value;
        bestA = a;
      }
    }
    if (canStay !== null && canStay[s]! >= 0 && 0 > best + TIE_TOLERANCE) bestA = -1;
    const current = p.stayS[s] === 1 ? -1 : p.policyS[s]!;
    if (bestA === current) continue;
    out ??= { policyS: p.policyS.slice(), stayS: p.stayS.slice() };
    out.stayS[s] = bestA === -1 ? 1 : 0;
    if (bestA >= 0) out.policyS[s] = bestA;
  }
  return out;
}

/** The actions a staying policy takes: in a staying state, its lowest action that keeps it in its component. */
export function actingPolicy(
  m: TabularMdp,
  admissibleOnly: boolean,
  p: StayingPolicy,
  gamma: number,
): Int32Array {
  const policyS = p.policyS.slice();
  if (gamma < 1 || !p.stayS.includes(1)) return policyS;
  const sets = actionSets(m, admissibleOnly);
  const { zeroInsideRow } = undiscountedStructure(m, admissibleOnly);
  for (let s = 0; s < m.nS; s++) {
    if (p.stayS[s] === 0) continue;
    for (let i = sets.ptr[s]!; i < sets.ptr[s + 1]!; i++) {
      if (zeroInsideRow[s * m.nA + sets.actions[i]!] === 1) {
        policyS[s] = sets.actions[i]!;
        break;
      }
    }
  }
  return policyS;
}

/**
 * max_s |max(options) - V(s)| over non-terminal states, where the options are the allowed actions' Q values
 * and, at gamma = 1 in a zero-reward end component, staying (worth 0).
 */
export function bellmanResidual(
  m: TabularMdp,
  admissibleOnly: boolean,
  qSA: Float64Array,
  v: Float64Array,
  gamma: number,
  sets: ActionSets = actionSets(m, admissibleOnly),
): number {
  const canStay = gamma === 1 ? undiscountedStructure(m, admissibleOnly).zeroComponentS : null;
  let r = 0;
  for (let s = 0; s < m.nS; s++) {
    if (m.terminalS[s] === 1) continue;
    let best = canStay !== null && canStay[s]! >= 0 ? 0 : Number.NEGATIVE_INFINITY;
    for (let i = sets.ptr[s]!; i < sets.ptr[s + 1]!; i++)
      best = Math.max(best, qSA[s * m.nA + sets.actions[i]!]!);
    r = Math.max(r, Math.abs(best - v[s]!));
  }
  return r;
}
