import type { ActionSets } from "../src/model/action-sets.js";
import type { TabularMdp } from "../src/model/mdp.js";
import { LENGTH_TIE, type LengthBounds, lengthsOf, shortestTo, stepLength } from "./length-range.js";

/**
 * The tie rule. Where some optimal policy ends surely: the optimal action with the shortest expected episode
 * (lengths within LENGTH_TIE count as equal), lowest index first. Where every optimal policy may run forever,
 * staying forever in an end component of optimal actions is itself optimal (at gamma = 1: a zero-reward one
 * whose value is 0); such states take their lowest optimal action that stays, and the remaining states the
 * shortest way (same tie rule) to a terminal state or to one of those. Also returns ||(I - P)^-1||_inf of
 * the chosen policy with staying counted as an end (gamma = 1: the length in the error bound).
 */
export function chooseShortest(
  m: TabularMdp,
  optimal: ActionSets,
  lengths: LengthBounds,
  vS: Float64Array,
  tolerance: number,
  gamma: number,
  certified: Int32Array,
): { policyS: Int32Array; largestLength: number } {
  // Where no rule below applies (not expected: every state ends surely or reaches a staying state), the
  // certified policy's action, which is optimal.
  const policyS = certified.slice();
  const stays = new Uint8Array(m.nS);
  for (let s = 0; s < m.nS; s++) {
    const endless = m.terminalS[s] === 0 && !Number.isFinite(lengths.minS[s]!);
    const stayingOptimal = gamma < 1 || Math.abs(vS[s]!) <= tolerance;
    if (endless && lengths.ecS[s]! >= 0 && stayingOptimal) stays[s] = 1;
  }
  pickShortest(m, optimal, lengths.minS, m.terminalS, policyS);
  const anyStay = stays.some((x) => x === 1);
  if (anyStay) {
    const toStay = shortestTo(m, optimal, stays);
    const unset = (s: number): boolean => !Number.isFinite(lengths.minS[s]!) && stays[s] === 0;
    pickShortest(m, optimal, toStay.lengthS, stays, policyS, unset);
    for (let s = 0; s < m.nS; s++) {
      if (stays[s] === 0) continue;
      for (let i = optimal.ptr[s]!; i < optimal.ptr[s + 1]!; i++) {
        if (lengths.ecInsideRow[s * m.nA + optimal.actions[i]!] === 1) {
          policyS[s] = optimal.actions[i]!;
          break;
        }
      }
    }
  }
  let largestLength = 0;
  if (anyStay) {
    const l = lengthsOf(m, policyS, (s) => m.terminalS[s] === 0 && stays[s] === 0);
    for (let s = 0; s < m.nS; s++) largestLength = Math.max(largestLength, l[s]!);
  } else {
    for (let s = 0; s < m.nS; s++)
      if (m.terminalS[s] === 0) largestLength = Math.max(largestLength, lengths.minS[s]!);
  }
  return { policyS, largestLength };
}

/** In each state `only` selects whose length is finite: the lowest optimal action within LENGTH_TIE of it. */
function pickShortest(
  m: TabularMdp,
  optimal: ActionSets,
  lengthS: Float64Array,
  endS: Uint8Array,
  policyS: Int32Array,
  only: (s: number) => boolean = () => true,
): void {
  const finite = (s: number): boolean =>
    endS[s] === 0 && m.terminalS[s] === 0 && Number.isFinite(lengthS[s]!);
  for (let s = 0; s < m.nS; s++) {
    if (!finite(s) || !only(s)) continue;
    // A sole optimal action already chosen stays chosen whatever its length: nothing to compare.
    if (optimal.ptr[s + 1]! - optimal.ptr[s]! === 1 && policyS[s] === optimal.actions[optimal.ptr[s]!])
      continue;
    const target = lengthS[s]!;
    for (let i = optimal.ptr[s]!; i < optimal.ptr[s + 1]!; i++) {
      const a = optimal.actions[i]!;
      const value = stepLength(m, s * m.nA + a, lengthS, finite, endS);
      if (value !== null && value <= target + LENGTH_TIE * (1 + target)) {
        policyS[s] = a;
        break;
      }
    }
  }
}
