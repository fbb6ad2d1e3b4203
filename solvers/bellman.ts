import type { ActionSets } from "../src/model/action-sets.js";
import type { TabularMdp } from "../src/model/mdp.js";
import { sparseDot } from "./linear/kernels.js";
import { makeTiesProper } from "./proper-ties.js";

/** Tie tolerance for greedy choices: actions within this of the max count as tied; lowest index wins. */
export const TIE_TOLERANCE = 1e-12;

/**
 * Continuation weights: `cont[s'] = gamma` for non-terminal s', 0 for terminal ones, so one multiply
 * both discounts and stops bootstrapping at episode end (terminal states have value 0).
 */
export function continuation(m: TabularMdp, gamma: number): Float64Array {
  const c = new Float64Array(m.nS);
  for (let s = 0; s < m.nS; s++) c[s] = m.terminalS[s] === 1 ? 0 : gamma;
  return c;
}

/** Q(s,a) = rSA[row] + sum_k prob[k] * cont[s'] * v[s'] for one row. Hot: keep it small and monomorphic. */
export function qRow(
  rowPtr: Int32Array,
  next: Int32Array,
  prob: Float64Array,
  rSA: Float64Array,
  cv: Float64Array,
  row: number,
): number {
  return rSA[row]! + sparseDot(next, prob, cv, rowPtr[row]!, rowPtr[row + 1]!);
}

/**
 * Greedy policy and Q table from values: ties go to the lowest action within TIE_TOLERANCE of the max.
 * With gamma = 1 a tied action that would make the episode run forever is passed over (see makeTiesProper); for
 * that repair only, actions within `repairSlack` of the best count as tied, because iterative values are only
 * within their residual of V* and a loop can then look marginally better than the way out.
 */
export function greedy(
  m: TabularMdp,
  rSA: Float64Array,
  cont: Float64Array,
  vS: Float64Array,
  sets: ActionSets,
  gamma = 1,
  repairSlack = TIE_TOLERANCE,
): { qSA: Float64Array; policyS: Int32Array } {
  const qSA = qTable(m, rSA, cont, vS, sets);
  return { qSA, policyS: greedyFromQ(m, sets, qSA, gamma, repairSlack) };
}

/** Q(s, a) of the allowed actions from values V (-Infinity elsewhere). */
export function qTable(
  m: TabularMdp,
  rSA: Float64Array,
  cont: Float64Array,
  vS: Float64Array,
  sets: ActionSets,
): Float64Array {
  const cv = new Float64Array(m.nS);
  for (let s = 0; s < m.nS; s++) cv[s] = cont[s]! * vS[s]!;
  const qSA = new Float64Array(m.nS * m.nA).fill(Number.NEGATIVE_INFINITY);
  for (let s = 0; s < m.nS; s++) fillQ(m, rSA, cv, sets, s, qSA);
  return qSA;
}

/** Q(s, a) for the allowed actions of state s, from cv = cont * V. */
export function fillQ(
  m: TabularMdp,
  rSA: Float64Array,
  cv: Float64Array,
  sets: ActionSets,
  s: number,
  qSA: Float64Array,
): void {
  for (let i = sets.ptr[s]!; i < sets.ptr[s + 1]!; i++) {
    const row = s * m.nA + sets.actions[i]!;
    qSA[row] = qRow(m.rowPtr, m.next, m.prob, rSA, cv, row);
  }
}

/** The greedy policy of a Q table whose allowed entries are filled (see `greedy` for the tie rules). */
export function greedyFromQ(
  m: TabularMdp,
  sets: ActionSets,
  qSA: Float64Array,
  gamma = 1,
  repairSlack = TIE_TOLERANCE,
): Int32Array {
  const bestS = new Float64Array(m.nS);
  const policyS = new Int32Array(m.nS);
  for (let s = 0; s < m.nS; s++) {
    let best = Number.NEGATIVE_INFINITY;
    for (let i = sets.ptr[s]!; i < sets.ptr[s + 1]!; i++)
      best = Math.max(best, qSA[s * m.nA + sets.actions[i]!]!);
    bestS[s] = best;
    for (let i = sets.ptr[s]!; i < sets.ptr[s + 1]!; i++) {
      const a = sets.actions[i]!;
      if (qSA[s * m.nA + a]! >= best - TIE_TOLERANCE) {
        policyS[s] = a;
        break;
      }
    }
  }
  const slack = Math.max(TIE_TOLERANCE, repairSlack);
  if (gamma === 1) makeTiesProper(m, sets, policyS, (s, a) => qSA[s * m.nA + a]! >= bestS[s]! - slack);
  return policyS;
}

/** Sup norm of a - b. */
export function supDiff(a: Float64Array, b: Float64Array): number {
  let d = 0;
  for (let i = 0; i < a.length; i++) {
    const x = Math.abs(a[i]! - b[i]!);
    if (x > d) d = x;
  }
  return d;
}
