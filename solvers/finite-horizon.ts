import { UsageError } from "../src/core/errors.js";
import { actionSets } from "../src/model/action-sets.js";
import { defaultGamma, expectedRewardSA, type TabularMdp } from "../src/model/mdp.js";
import { checkPolicyTable } from "./policy-evaluation.js";

/**
 * Finite horizon: an episode is cut after `horizon` steps (simulators stop at a fixed time, e.g. 72 hours).
 * Step t = 0 is the first decision; V_t(s) is the expected (discounted) return of steps t .. H-1 from s, with
 * V_H = 0 and V_t = 0 on terminal states (the episode has ended). Rewards are those of the infinite-horizon
 * solvers: R(s') on entering s' or R(s, a), so the reward for entering a terminal state is counted when the
 * step that enters it is within the horizon.
 */
export interface FiniteHorizonOptions {
  /** Number of steps H (a non-negative integer). */
  readonly horizon: number;
  /** Discount in (0, 1]; default the metadata's, else 1. */
  readonly gamma?: number;
  /** Maximise over admissible actions only (default: when the MDP knows its admissible actions). */
  readonly admissibleOnly?: boolean;
}

/** Actions whose values are within this (times max(1, |best|)) of the best count as tied. */
export const FINITE_HORIZON_TIE_TOLERANCE = 1e-12;

export interface FiniteHorizonPlan {
  readonly horizon: number;
  readonly gamma: number;
  readonly admissibleOnly: boolean;
  /** V_t(s), (H + 1) x S row-major (row t = step t): the optimal expected return of steps t .. H-1. */
  readonly valuesTS: Float64Array;
  /**
   * The action to take at step t in state s, H x S row-major; -1 in terminal states. Among actions within
   * FINITE_HORIZON_TIE_TOLERANCE of the best the lowest index is taken (the values do not depend on it).
   */
  readonly policyTS: Int32Array;
  /** Number of (t, s) decisions where more than one action is tied. */
  readonly tiedDecisions: number;
}

/**
 * Backward induction over H steps (as MDPtoolbox's FiniteHorizon with a zero terminal reward): exact up to
 * rounding, H sweeps over the transitions, no stopping rule.
 */
export function finiteHorizonPlan(m: TabularMdp, options: FiniteHorizonOptions): FiniteHorizonPlan {
  const { horizon: h, gamma } = resolve(m, options);
  const admissibleOnly = options.admissibleOnly ?? m.admissibleKnown;
  const sets = actionSets(m, admissibleOnly);
  const rSA = expectedRewardSA(m);
  const { nS, nA, rowPtr, next, prob } = m;
  const valuesTS = new Float64Array((h + 1) * nS);
  const policyTS = new Int32Array(h * nS).fill(-1);
  const q = new Float64Array(nA);
  let tiedDecisions = 0;
  for (let t = h - 1; t >= 0; t--) {
    const after = valuesTS.subarray((t + 1) * nS, (t + 2) * nS);
    for (let s = 0; s < nS; s++) {
      if (m.terminalS[s] === 1) continue;
      let best = Number.NEGATIVE_INFINITY;
      for (let k = sets.ptr[s]!; k < sets.ptr[s + 1]!; k++) {
        const a = sets.actions[k]!;
        const row = s * nA + a;
        let acc = 0;
        for (let j = rowPtr[row]!; j < rowPtr[row + 1]!; j++) acc += prob[j]! * after[next[j]!]!;
        const value = rSA[row]! + gamma * acc;
        q[a] = value;
        if (value > best) best = value;
      }
      const slack = FINITE_HORIZON_TIE_TOLERANCE * Math.max(1, Math.abs(best));
      let chosen = -1;
      let tied = 0;
      for (let k = sets.ptr[s]!; k < sets.ptr[s + 1]!; k++) {
        const a = sets.actions[k]!;
        if (q[a]! >= best - slack) {
          if (chosen < 0) chosen = a;
          tied++;
        }
      }
      if (tied > 1) tiedDecisions++;
      valuesTS[t * nS + s] = best;
      policyTS[t * nS + s] = chosen;
    }
  }
  return { horizon: h, gamma, admissibleOnly, valuesTS, policyTS, tiedDecisions };
}

/** A stationary S x A policy table, or one table per step (H of them) for a time-dependent policy. */
export type FiniteHorizonPolicy = Float64Array | readonly Float64Array[];

export interface FiniteHorizonEvaluation {
  readonly horizon: number;
  readonly gamma: number;
  /** V_0(s): the expected return of the first H steps from s (0 in terminal states). */
  readonly valueS: Float64Array;
  /** d0 . V_0; an episode that starts in a terminal state contributes 0. */
  readonly expectedReturn: number;
  /** Expected number of steps taken, E[min(T, H)]. */
  readonly expectedSteps: number;
  /** P(the episode has ended in terminal state t by step H), from d0 (a terminal start ends in its state). */
  readonly terminalProbabilities: readonly { readonly state: number; readonly probability: number }[];
  /** P(the episode is still running after H steps). With the terminal probabilities it sums to 1. */
  readonly aliveAtHorizon: number;
}

/**
 * Exact H-step evaluation of a stationary or time-dependent stochastic policy: values by a backward pass,
 * outcome probabilities and the alive mass by pushing d0 forward H steps (sums of non-negative terms only).
 */
export function finiteHorizonEvaluate(
  m: TabularMdp,
  policy: FiniteHorizonPolicy,
  options: Omit<FiniteHorizonOptions, "admissibleOnly">,
): FiniteHorizonEvaluation {
  const { horizon: h, gamma } = resolve(m, options);
  const tables = policy instanceof Float64Array ? null : policy;
  if (tables !== null && tables.length !== h) {
    throw new UsageError(`the time-dependent policy has ${tables.length} steps, expected the horizon ${h}`);
  }
  const at = (t: number): Float64Array => (tables === null ? (policy as Float64Array) : tables[t]!);
  for (const table of tables ?? [policy as Float64Array]) checkPolicyTable(m, table);
  const rSA = expectedRewardSA(m);
  const { nS, nA, rowPtr, next, prob } = m;
  let value = new Float64Array(nS);
  let previous = new Float64Array(nS);
  for (let t = h - 1; t >= 0; t--) {
    [previous, value] = [value, previous];
    const pi = at(t);
    for (let s = 0; s < nS; s++) {
      if (m.terminalS[s] === 1) continue;
      let v = 0;
      for (let a = 0; a < nA; a++) {
        const w = pi[s * nA + a]!;
        if (w === 0) continue;
        const row = s * nA + a;
        let acc = 0;
        for (let j = rowPtr[row]!; j < rowPtr[row + 1]!; j++) acc += prob[j]! * previous[next[j]!]!;
        v += w * (rSA[row]! + gamma * acc);
      }
      value[s] = v;
    }
  }
  const ended = new Float64Array(nS);
  let alive = new Float64Array(nS);
  let moved = new Float64Array(nS);
  for (let s = 0; s < nS; s++) (m.terminalS[s] === 1 ? ended : alive)[s] = m.d0[s]!;
  let expectedSteps = 0;
  for (let t = 0; t < h; t++) {
    const pi = at(t);
    moved.fill(0);
    for (let s = 0; s < nS; s++) {
      const mass = alive[s]!;
      if (mass === 0) continue;
      expectedSteps += mass;
      for (let a = 0; a < nA; a++) {
        const w = mass * pi[s * nA + a]!;
        if (w === 0) continue;
        const row = s * nA + a;
        for (let j = rowPtr[row]!; j < rowPtr[row + 1]!; j++) {
          const s2 = next[j]!;
          if (m.terminalS[s2] === 1) ended[s2] = ended[s2]! + w * prob[j]!;
          else moved[s2] = moved[s2]! + w * prob[j]!;
        }
      }
    }
    [alive, moved] = [moved, alive];
  }
  let expectedReturn = 0;
  let aliveAtHorizon = 0;
  for (let s = 0; s < nS; s++) {
    expectedReturn += m.d0[s]! * value[s]!;
    aliveAtHorizon += alive[s]!;
  }
  const terminalProbabilities: { state: number; probability: number }[] = [];
  for (let s = 0; s < nS; s++) {
    if (m.terminalS[s] === 1 && ended[s]! > 0)
      terminalProbabilities.push({ state: s, probability: ended[s]! });
  }
  return {
    horizon: h,
    gamma,
    valueS: value,
    expectedReturn,
    expectedSteps,
    terminalProbabilities,
    aliveAtHorizon,
  };
}

/** The plan's time-dependent policy as H one-hot S x A tables (terminal rows all zero), for evaluation. */
export function planPolicyTables(m: TabularMdp, p: FiniteHorizonPlan): Float64Array[] {
  return Array.from({ length: p.horizon }, (_, t) => {
    const table = new Float64Array(m.nS * m.nA);
    for (let s = 0; s < m.nS; s++) {
      const a = p.policyTS[t * m.nS + s]!;
      if (a >= 0) table[s * m.nA + a] = 1;
    }
    return table;
  });
}

function resolve(m: TabularMdp, o: { horizon: number; gamma?: number }): { horizon: number; gamma: number } {
  if (!(Number.isInteger(o.horizon) && o.horizon >= 0)) {
    throw new UsageError(`horizon must be a non-negative integer number of steps, got ${o.horizon}`);
  }
  const gamma = o.gamma ?? defaultGamma(m);
  if (!(gamma > 0 && gamma <= 1)) throw new UsageError(`gamma must be in (0, 1], got ${gamma}`);
  return { horizon: o.horizon, gamma };
}
