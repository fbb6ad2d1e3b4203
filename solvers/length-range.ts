import type { ActionSets } from "../src/model/action-sets.js";
import type { TabularMdp } from "../src/model/mdp.js";
import { almostSureReach, canReach, maximalEndComponents } from "./end-components.js";
import { restrictedSystem } from "./linear/restricted-solve.js";
import { policyChain } from "./policy-matrix.js";

/**
 * Expected episode lengths (steps until a terminal state is entered) over the policies that use only the
 * given actions, per state: the shortest (Infinity where every such policy may run forever) and the longest
 * (Infinity where some such policy can delay the end without bound), each from an exact stochastic shortest
 * path solve by policy iteration, plus the shortest policy itself.
 */
export interface LengthBounds {
  readonly minS: Float64Array;
  readonly maxS: Float64Array;
  /** A policy attaining minS wherever it is finite (-1 elsewhere and in terminal states). */
  readonly shortestS: Int32Array;
  /** States from which the longest is unbounded because they can reach a cycle of allowed actions. */
  readonly cycleS: Uint8Array;
  /** End component of allowed actions each state lies in (-1: none): where a policy can stay forever. */
  readonly ecS: Int32Array;
  /** Rows of allowed actions that keep their state inside its end component. */
  readonly ecInsideRow: Uint8Array;
}

/** Relative slack under which two lengths count as equal when choosing between actions. */
export const LENGTH_TIE = 1e-9;

export function lengthBounds(m: TabularMdp, allowed: ActionSets): LengthBounds {
  const rows = rowsOf(m, allowed);
  const shortest = shortestTo(m, allowed, m.terminalS, rows);
  // Longest: finite only where no cycle of allowed actions is reachable; there every policy ends surely.
  const ec = maximalEndComponents(m, rows);
  const inCycle = Uint8Array.from(ec.componentS, (c) => (c >= 0 ? 1 : 0));
  const cycleS = canReach(m, rows, inCycle);
  const ends = { shortestS: shortest.policyS, cycleS, ecS: ec.componentS, ecInsideRow: ec.insideRow };
  if (oneActionEach(m, allowed)) {
    // One policy (no ties, e.g. ICU-Sepsis): its lengths are also the longest, so the second solve is skipped.
    // It reaches a cycle exactly where it may run forever, where its length is already Infinity.
    return { minS: shortest.lengthS, maxS: shortest.lengthS, ...ends };
  }
  const acyclic = new Uint8Array(m.nS);
  const start = new Int32Array(m.nS).fill(-1);
  for (let s = 0; s < m.nS; s++) {
    if (m.terminalS[s] === 1 || cycleS[s] === 1) continue;
    acyclic[s] = 1;
    start[s] = allowed.actions[allowed.ptr[s]!]!;
  }
  const longest = optimiseLength(m, allowed, rows, acyclic, start, +1, m.terminalS);
  return { minS: shortest.lengthS, maxS: longest.lengthS, ...ends };
}

function oneActionEach(m: TabularMdp, allowed: ActionSets): boolean {
  for (let s = 0; s < m.nS; s++)
    if (m.terminalS[s] === 0 && allowed.ptr[s + 1]! - allowed.ptr[s]! > 1) return false;
  return true;
}

/** The one policy the action sets allow (-1 in terminal states), or null when some state has a choice. */
export function onlyPolicy(m: TabularMdp, allowed: ActionSets): Int32Array | null {
  const policyS = new Int32Array(m.nS).fill(-1);
  for (let s = 0; s < m.nS; s++) {
    if (m.terminalS[s] === 1) continue;
    if (allowed.ptr[s + 1]! - allowed.ptr[s]! !== 1) return null;
    policyS[s] = allowed.actions[allowed.ptr[s]!]!;
  }
  return policyS;
}

/**
 * lengthBounds of action sets that allow one policy, which ends surely from every state, given that policy's
 * exact lengths (lengthsOf over the non-terminal states): the shortest and the longest are its own, and a
 * policy that surely ends leaves no end component to stay in nor a cycle to repeat. The same answer as
 * lengthBounds without its graph searches and policy iteration.
 */
export function soleProperBounds(m: TabularMdp, policyS: Int32Array, lengthS: Float64Array): LengthBounds {
  return {
    minS: lengthS,
    maxS: lengthS,
    shortestS: policyS,
    cycleS: new Uint8Array(m.nS),
    ecS: new Int32Array(m.nS).fill(-1),
    ecInsideRow: new Uint8Array(m.nS * m.nA),
  };
}

/** The rows of the given action sets (non-terminal states only). */
export function rowsOf(m: TabularMdp, allowed: ActionSets): Uint8Array {
  const rows = new Uint8Array(m.nS * m.nA);
  for (let s = 0; s < m.nS; s++) {
    if (m.terminalS[s] === 1) continue;
    for (let i = allowed.ptr[s]!; i < allowed.ptr[s + 1]!; i++) rows[s * m.nA + allowed.actions[i]!] = 1;
  }
  return rows;
}

/**
 * Shortest expected number of steps to a state of `endS` (terminal states always count), over policies using
 * the allowed actions: Infinity where no such policy gets there surely; policy iteration from one that does.
 */
export function shortestTo(
  m: TabularMdp,
  allowed: ActionSets,
  endS: Uint8Array,
  rows = rowsOf(m, allowed),
): { lengthS: Float64Array; policyS: Int32Array } {
  const ends = Uint8Array.from(endS, (x, s) => x | m.terminalS[s]!);
  const reach = almostSureReach(m, rows, ends);
  return optimiseLength(m, allowed, rows, reach.reachS, reach.actionS, -1, ends);
}

/**
 * Policy iteration on expected lengths over the states `region` selects (closed under the chosen actions),
 * minimising (direction -1) or maximising (+1); Infinity outside the region, 0 in terminal states. An action
 * replaces the current one only when better by more than LENGTH_TIE (relative), so it cannot cycle.
 */
function optimiseLength(
  m: TabularMdp,
  allowed: ActionSets,
  rows: Uint8Array,
  region: Uint8Array,
  start: Int32Array,
  direction: 1 | -1,
  endS: Uint8Array,
): { lengthS: Float64Array; policyS: Int32Array } {
  const policyS = start.slice();
  const inside = (s: number): boolean => region[s] === 1 && endS[s] === 0;
  let lengthS: Float64Array = new Float64Array(m.nS);
  for (let iteration = 0; iteration < 10_000; iteration++) {
    lengthS = lengthsOf(m, policyS, inside);
    let changed = false;
    for (let s = 0; s < m.nS; s++) {
      if (!inside(s)) continue;
      let best = lengthS[s]!;
      for (let i = allowed.ptr[s]!; i < allowed.ptr[s + 1]!; i++) {
        const row = s * m.nA + allowed.actions[i]!;
        if (rows[row] === 0) continue;
        const value = stepLength(m, row, lengthS, inside, endS);
        if (value === null) continue;
        if (direction * (value - best) > LENGTH_TIE * (1 + Math.abs(best))) {
          best = value;
          policyS[s] = allowed.actions[i]!;
          changed = true;
        }
      }
    }
    if (!changed) break;
  }
  for (let s = 0; s < m.nS; s++) if (endS[s] === 0 && !inside(s)) lengthS[s] = Number.POSITIVE_INFINITY;
  return { lengthS, policyS };
}

/** 1 + sum_s' P(s'|row) L(s') (0 in end and terminal states), or null when the row can leave the region. */
export function stepLength(
  m: TabularMdp,
  row: number,
  lengthS: Float64Array,
  inside: (s: number) => boolean,
  endS: Uint8Array = m.terminalS,
): number | null {
  let acc = 1;
  for (let k = m.rowPtr[row]!; k < m.rowPtr[row + 1]!; k++) {
    const t = m.next[k]!;
    if (m.terminalS[t] === 1 || endS[t] === 1 || m.prob[k] === 0) continue;
    if (!inside(t)) return null;
    acc += m.prob[k]! * lengthS[t]!;
  }
  return acc;
}

/** Exact expected lengths of a deterministic policy over the included states (0 elsewhere). */
export function lengthsOf(m: TabularMdp, policyS: Int32Array, include: (s: number) => boolean): Float64Array {
  const piSA = new Float64Array(m.nS * m.nA);
  for (let s = 0; s < m.nS; s++) piSA[s * m.nA + Math.max(0, policyS[s]!)] = 1;
  const chain = policyChain(m, piSA, new Float64Array(m.nS * m.nA));
  const system = restrictedSystem(chain, include, 1);
  try {
    return system.ones();
  } finally {
    system.release();
  }
}
