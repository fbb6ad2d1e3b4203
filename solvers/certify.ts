import { type ActionSets, actionSets } from "../src/model/action-sets.js";
import type { TabularMdp } from "../src/model/mdp.js";
import { canReach, reachesEverywhere } from "./end-components.js";
import { listedText, undiscountedStructure } from "./gamma-one.js";
import { type LengthBounds, lengthBounds, lengthsOf, onlyPolicy, soleProperBounds } from "./length-range.js";
import { PROMISED_ACCURACY } from "./policy-evaluation.js";
import {
  actingPolicy,
  bellmanResidual,
  iteratePolicies,
  type PolicyIterationRun,
  type StayingPolicy,
} from "./policy-iteration.js";
import { chooseShortest } from "./tie-rule.js";
import type { PlanResult } from "./types.js";

/** A planner's answer made independent of its stopping tolerance (see docs/planning.md). */
export interface CertifiedOptimum {
  readonly gamma: number;
  readonly admissibleOnly: boolean;
  /** Exact values of the certified policy (linear solves), V*(s) within errorBound. */
  readonly vS: Float64Array;
  readonly qSA: Float64Array;
  /** max_s |max_a Q(s, a) - V(s)| of the exact values (at gamma = 1 staying in a zero-reward component counts). */
  readonly residual: number;
  /** Bound on max_s |V*(s) - V(s)|: residual * gamma / (1 - gamma), or at gamma = 1 residual * boundLength. */
  readonly errorBound: number | null;
  /** Gamma = 1: ||(I - P)^-1||_inf of the chosen policy, its largest expected length from any state. */
  readonly boundLength: number | null;
  /**
   * errorBound misses PROMISED_ACCURACY (absolute, or relative to the largest |V| above 1): possible when an
   * optimal policy ends episodes extremely slowly, so that a residual at rounding level allows a large error.
   */
  readonly lessAccurateThan1e10: boolean;
  /** Exact evaluations certification took (1 when the planner's greedy policy was already optimal). */
  readonly evaluations: number;
  /** Actions within this of the best count as optimal: far above the values' error, far below real gaps. */
  readonly tieTolerance: number;
  /** The optimal actions of each state (terminal states: none). */
  readonly optimalActions: ActionSets;
  /** Non-terminal states with more than one optimal action. */
  readonly tiedStates: number;
  /** The tie rule's choice: among optimal actions the shortest expected episode, then the lowest index. */
  readonly policyS: Int32Array;
  /** Shortest and longest expected lengths over optimal policies, per state. */
  readonly lengths: LengthBounds;
  /** From d0: [shortest, longest] expected length over optimal policies; null = unbounded. */
  readonly lengthRange: readonly [number | null, number | null];
}

/**
 * Certify a planner's result: take its greedy policy (made to end surely at gamma = 1), evaluate it exactly,
 * and improve it by exact policy iteration until no action is better by more than the tie tolerance (one
 * evaluation when the planner's greedy policy was already optimal). The optimal action sets, the tie rule's
 * policy and the length range then come from those exact values, not from the planner's stopping point.
 */
export function certify(m: TabularMdp, r: PlanResult): CertifiedOptimum {
  const { gamma, admissibleOnly } = r;
  const sets = actionSets(m, admissibleOnly);
  const start = warmStart(m, r, sets);
  const run = iteratePolicies(m, admissibleOnly, gamma, start, 1_000, undefined, sets);
  const { vS, qSA } = run;
  const residual = bellmanResidual(m, admissibleOnly, qSA, vS, gamma, sets);
  let scale = 1;
  for (let s = 0; s < m.nS; s++) scale = Math.max(scale, Math.abs(vS[s]!));
  const discountedBound = gamma < 1 ? (residual * gamma) / (1 - gamma) : 0;
  // The values are exact solves: their errors are of order 1e-14 times the longest expected length (or
  // 1 / (1 - gamma)). 1e-9 of the values' scale stays far above that, as does a thousand times the bound.
  const tieTolerance = Math.max(1e-9 * scale, 1e3 * discountedBound);
  const optimalActions = optimalSets(m, sets, qSA, vS, tieTolerance);
  const lengths = optimalLengths(m, optimalActions, run, gamma);
  run.system.release();
  const acting = actingPolicy(m, admissibleOnly, run.policy, gamma);
  const chosen = chooseShortest(m, optimalActions, lengths, vS, tieTolerance, gamma, acting);
  const policyS = chosen.policyS;
  const boundLength = gamma === 1 ? chosen.largestLength : null;
  const errorBound = boundLength === null ? discountedBound : residual * boundLength;
  let tiedStates = 0;
  for (let s = 0; s < m.nS; s++) if (optimalActions.ptr[s + 1]! - optimalActions.ptr[s]! > 1) tiedStates++;
  return {
    gamma,
    admissibleOnly,
    vS,
    qSA,
    residual,
    errorBound,
    boundLength,
    lessAccurateThan1e10: !(errorBound !== null && errorBound <= PROMISED_ACCURACY * scale),
    evaluations: run.iterations,
    tieTolerance,
    optimalActions,
    tiedStates,
    policyS,
    lengths,
    lengthRange: [fromStart(m, lengths.minS), fromStart(m, lengths.maxS)],
  };
}

/** The optimal action sets of a planner's result (see `certify`). */
export function optimalActionSets(m: TabularMdp, r: PlanResult): number[][] {
  const { optimalActions: o } = certify(m, r);
  return Array.from({ length: m.nS }, (_, s) => Array.from(o.actions.subarray(o.ptr[s]!, o.ptr[s + 1]!)));
}

/**
 * The planner's greedy policy, at gamma = 1 with staying wherever nothing beats it (zero-reward
 * components), and repaired where it could run forever: those states stay if they can, else take the
 * structural policy that surely reaches a terminal state or a zero-reward component.
 */
function warmStart(m: TabularMdp, r: PlanResult, sets: ActionSets): StayingPolicy {
  const policyS = r.policyS.slice();
  const stayS = new Uint8Array(m.nS);
  if (r.gamma < 1) return { policyS, stayS };
  const u = undiscountedStructure(m, r.admissibleOnly);
  const slack = Math.max(1e-12, 1e3 * r.report.residual);
  for (let s = 0; s < m.nS; s++) {
    if (m.terminalS[s] === 1 || u.zeroComponentS[s]! < 0) continue;
    let best = Number.NEGATIVE_INFINITY;
    for (let i = sets.ptr[s]!; i < sets.ptr[s + 1]!; i++)
      best = Math.max(best, r.qSA[s * m.nA + sets.actions[i]!]!);
    if (best <= slack) stayS[s] = 1;
  }
  const ends = Uint8Array.from(m.terminalS);
  for (let s = 0; s < m.nS; s++) if (stayS[s] === 1) ends[s] = 1;
  // The usual case: every state reaches an end, so none is stuck and none may loop.
  if (reachesEverywhere(m, policyS, ends)) return { policyS, stayS };
  const rows = new Uint8Array(m.nS * m.nA);
  for (let s = 0; s < m.nS; s++) if (ends[s] === 0) rows[s * m.nA + policyS[s]!] = 1;
  const stuck = Uint8Array.from(canReach(m, rows, ends), (x) => 1 - x);
  const mayLoop = canReach(m, rows, stuck);
  for (let s = 0; s < m.nS; s++) {
    if (m.terminalS[s] === 1 || ends[s] === 1 || mayLoop[s] === 0) continue;
    if (u.zeroComponentS[s]! >= 0) stayS[s] = 1;
    else policyS[s] = u.properActionS[s]!;
  }
  return { policyS, stayS };
}

/**
 * The length range over optimal policies. When only one policy is optimal and it surely ends (ICU-Sepsis),
 * the range is its own expected length and no graph search is needed; at gamma = 1, when it is the policy
 * policy iteration evaluated last (as expected), its lengths are solved on the system its values were (one
 * split of the chain for both).
 */
function optimalLengths(
  m: TabularMdp,
  optimal: ActionSets,
  run: PolicyIterationRun,
  gamma: number,
): LengthBounds {
  const only = onlyPolicy(m, optimal);
  if (only === null || run.policy.stayS.includes(1) || !reachesEverywhere(m, only, m.terminalS)) {
    return lengthBounds(m, optimal);
  }
  const nonTerminal = (s: number): boolean => m.terminalS[s] === 0;
  // The system is I - P over the non-terminal states (none stays) when gamma = 1 and it is that policy's.
  let shared = gamma === 1 && run.stable;
  for (let s = 0; s < m.nS && shared; s++) shared = !nonTerminal(s) || only[s] === run.policy.policyS[s];
  const lengthS = shared ? run.system.ones() : lengthsOf(m, only, nonTerminal);
  return soleProperBounds(m, only, lengthS);
}

function optimalSets(
  m: TabularMdp,
  sets: ActionSets,
  qSA: Float64Array,
  vS: Float64Array,
  tolerance: number,
): ActionSets {
  const ptr = new Int32Array(m.nS + 1);
  const list: number[] = [];
  for (let s = 0; s < m.nS; s++) {
    if (m.terminalS[s] === 0) {
      for (let i = sets.ptr[s]!; i < sets.ptr[s + 1]!; i++) {
        const a = sets.actions[i]!;
        if (qSA[s * m.nA + a]! >= vS[s]! - tolerance) list.push(a);
      }
    }
    ptr[s + 1] = list.length;
  }
  return { ptr, actions: Int32Array.from(list) };
}

function fromStart(m: TabularMdp, lengthS: Float64Array): number | null {
  let acc = 0;
  for (let s = 0; s < m.nS; s++) {
    if (m.d0[s]! === 0 || m.terminalS[s] === 1) continue;
    if (!Number.isFinite(lengthS[s]!)) return null;
    acc += m.d0[s]! * lengthS[s]!;
  }
  return acc;
}

/**
 * Why an end of the length range is unbounded, in words (null when both ends are finite): which start states,
 * and whether an optimal policy loops forever or optimal policies can only postpone the end without bound.
 */
export function lengthRangeNote(m: TabularMdp, c: CertifiedOptimum): string | null {
  const starts = (pick: (s: number) => boolean): number[] => {
    const out: number[] = [];
    for (let s = 0; s < m.nS; s++) if (m.d0[s]! > 0 && m.terminalS[s] === 0 && pick(s)) out.push(s);
    return out;
  };
  const notes: string[] = [];
  const neverEnds = starts((s) => !Number.isFinite(c.lengths.minS[s]!));
  if (neverEnds.length > 0) {
    notes.push(
      `min unbounded: from ${startText(neverEnds)} every optimal policy may run forever ` +
        "(staying in a cycle is worth at least as much as any way to a terminal state)",
    );
  }
  const loops = starts((s) => !Number.isFinite(c.lengths.maxS[s]!));
  if (loops.length > 0 && neverEnds.length === 0) {
    notes.push(
      `max unbounded: from ${startText(loops)} an optimal policy can reach a cycle of optimal ` +
        "actions and repeat it forever, or with probability as close to 1 as it likes before ending",
    );
  }
  return notes.length === 0 ? null : notes.join("; ");
}

function startText(states: readonly number[]): string {
  return `start ${states.length === 1 ? "state" : "states"} ${listedText(states)}`;
}
