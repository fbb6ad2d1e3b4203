import type { FastRng } from "../../src/core/fast-rng.js";
import { type ActionSets, actionSets } from "../../src/model/action-sets.js";
import type { TabularMdp } from "../../src/model/mdp.js";
import type { GreedyCache } from "./greedy-cache.js";

export type { ActionSets };

/** The actions a learner may take in each state: all, or the admissible ones (masking). */
export const learnerActions = (m: TabularMdp, p: { readonly actions: "all" | "admissible" }): ActionSets =>
  actionSets(m, p.actions === "admissible");

const TWO_32 = 4294967296;

/**
 * Epsilon-greedy on the cached greedy action: one draw decides explore-or-not and, rescaled, the action. The
 * rescaled draw u / eps is cut to a 32-bit fraction F and the row of n actions is indexed by
 * floor(F * n / 2^32): the WebAssembly loop's integer multiply-shift, bit for bit (F * n is exact while rows
 * hold under 2^21 actions). F stays below 2^32: u < eps makes the rounded quotient at most 1 - 2^-53.
 */
export function epsilonGreedy(
  c: GreedyCache,
  s: number,
  sets: ActionSets,
  eps: number,
  rng: FastRng,
): number {
  const u = rng.next();
  if (u < eps) {
    const lo = sets.ptr[s]!;
    const fraction = Math.floor((u / eps) * TWO_32);
    return sets.actions[lo + Math.floor((fraction * (sets.ptr[s + 1]! - lo)) / TWO_32)]!;
  }
  return c.best[s]!;
}

/** Softmax over the allowed actions at temperature tau (max-shifted so large Q never overflows). */
export function boltzmann(
  q: Float64Array,
  s: number,
  nA: number,
  sets: ActionSets,
  tau: number,
  rng: FastRng,
): number {
  const lo = sets.ptr[s]!;
  const hi = sets.ptr[s + 1]!;
  const row = s * nA;
  const mx = rowMaxIn(q, s, nA, sets);
  let z = 0;
  for (let k = lo; k < hi; k++) z += Math.exp((q[row + sets.actions[k]!]! - mx) / tau);
  let u = rng.next() * z;
  for (let k = lo; k < hi - 1; k++) {
    u -= Math.exp((q[row + sets.actions[k]!]! - mx) / tau);
    if (u < 0) return sets.actions[k]!;
  }
  return sets.actions[hi - 1]!;
}

export function rowMaxIn(q: Float64Array, s: number, nA: number, sets: ActionSets): number {
  const hi = sets.ptr[s + 1]!;
  const row = s * nA;
  let mx = Number.NEGATIVE_INFINITY;
  for (let k = sets.ptr[s]!; k < hi; k++) {
    const v = q[row + sets.actions[k]!]!;
    if (v > mx) mx = v;
  }
  return mx;
}

/** Greedy action at s with ties to the lowest index (deterministic: what the evaluated greedy policy uses). */
export function argmaxIn(q: Float64Array, s: number, nA: number, sets: ActionSets): number {
  const hi = sets.ptr[s + 1]!;
  const row = s * nA;
  let best = sets.actions[sets.ptr[s]!]!;
  for (let k = sets.ptr[s]! + 1; k < hi; k++) {
    const a = sets.actions[k]!;
    if (q[row + a]! > q[row + best]!) best = a;
  }
  return best;
}

/** Expected value of Q(s, .) under the softmax policy at temperature tau (Expected SARSA, Boltzmann). */
export function softmaxValue(q: Float64Array, s: number, nA: number, sets: ActionSets, tau: number): number {
  const hi = sets.ptr[s + 1]!;
  const row = s * nA;
  const mx = rowMaxIn(q, s, nA, sets);
  let z = 0;
  let sum = 0;
  for (let k = sets.ptr[s]!; k < hi; k++) {
    const v = q[row + sets.actions[k]!]!;
    const w = Math.exp((v - mx) / tau);
    z += w;
    sum += w * v;
  }
  return sum / z;
}

/** The behaviour policy as an S x A table: epsilon-greedy around `best`, or softmax at temperature x. */
export function behaviourTable(
  m: TabularMdp,
  q: Float64Array,
  best: Int32Array,
  sets: ActionSets,
  boltz: boolean,
  x: number,
): Float64Array {
  const nA = m.nA;
  const t = new Float64Array(m.nS * nA);
  for (let s = 0; s < m.nS; s++) {
    const lo = sets.ptr[s]!;
    const hi = sets.ptr[s + 1]!;
    const row = s * nA;
    if (boltz) {
      const mx = rowMaxIn(q, s, nA, sets);
      let z = 0;
      for (let k = lo; k < hi; k++) z += Math.exp((q[row + sets.actions[k]!]! - mx) / x);
      for (let k = lo; k < hi; k++) {
        const a = sets.actions[k]!;
        t[row + a] = Math.exp((q[row + a]! - mx) / x) / z;
      }
      continue;
    }
    for (let k = lo; k < hi; k++) t[row + sets.actions[k]!] = x / (hi - lo);
    t[row + best[s]!] = t[row + best[s]!]! + (1 - x);
  }
  return t;
}
