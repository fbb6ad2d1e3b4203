import type { FastRng } from "../../src/core/fast-rng.js";
import type { ActionSets } from "../bellman.js";

/**
 * Per-state greedy action, max and row sum of the acting Q table, kept up to date on every write.
 * Why: scanning 25 actions twice per step (act + bootstrap) cost more than the whole env step (measured:
 * a 25-wide argmax scan runs at ~9 M/s on the development machine, branch mispredictions included).
 * With the cache, acting, Q-learning's max and Expected SARSA's mean are O(1); a row is rescanned only
 * when its greedy value decreases. Ties are broken uniformly at random when a row is (re)scanned.
 */
export interface GreedyCache {
  readonly best: Int32Array;
  readonly max: Float64Array;
  /** Sum of Q over the allowed actions (recomputed on each rescan, so drift stays tiny). */
  readonly sum: Float64Array;
}

/** A cache scanned from q; `into` gives the arrays to fill (e.g. views of a kernel's memory). */
export function makeGreedyCache(
  q: Float64Array,
  nS: number,
  nA: number,
  sets: ActionSets,
  rng: FastRng,
  into?: GreedyCache,
): GreedyCache {
  const c: GreedyCache = into ?? {
    best: new Int32Array(nS),
    max: new Float64Array(nS),
    sum: new Float64Array(nS),
  };
  for (let s = 0; s < nS; s++) rescan(c, q, s, nA, sets, rng);
  return c;
}

export function rescan(
  c: GreedyCache,
  q: Float64Array,
  s: number,
  nA: number,
  sets: ActionSets,
  rng: FastRng,
): void {
  const lo = sets.ptr[s]!;
  const hi = sets.ptr[s + 1]!;
  const row = s * nA;
  let best = sets.actions[lo]!;
  let mx = q[row + best]!;
  let sum = mx;
  let ties = 1;
  for (let k = lo + 1; k < hi; k++) {
    const a = sets.actions[k]!;
    const v = q[row + a]!;
    sum += v;
    if (v > mx) {
      mx = v;
      best = a;
      ties = 1;
    } else if (v === mx) {
      ties++;
      if (rng.next() * ties < 1) best = a; // reservoir: each tied action kept with probability 1/ties
    }
  }
  c.best[s] = best;
  c.max[s] = mx;
  c.sum[s] = sum;
}

/** q[s, a] = v, keeping the cache right. (s, a) must be an allowed pair (the only ones a learner updates). */
export function writeQ(
  c: GreedyCache,
  q: Float64Array,
  s: number,
  a: number,
  v: number,
  nA: number,
  sets: ActionSets,
  rng: FastRng,
): void {
  const sa = s * nA + a;
  const old = q[sa]!;
  q[sa] = v;
  c.sum[s] = c.sum[s]! + (v - old);
  if (v > c.max[s]!) {
    c.max[s] = v;
    c.best[s] = a;
  } else if (a === c.best[s]! && v < old) rescan(c, q, s, nA, sets, rng);
}
