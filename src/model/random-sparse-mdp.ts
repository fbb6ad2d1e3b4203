import { FastRng } from "../core/fast-rng.js";
import { makeMdp } from "./build.js";
import type { TabularMdp } from "./mdp.js";

export interface RandomSparseMdpOptions {
  readonly states: number;
  readonly actions: number;
  /** Distinct successor states per (s, a) pair, drawn uniformly. */
  readonly successors: number;
  /**
   * Probability each pair ends the episode by entering an extra absorbing terminal state (index `states`);
   * 0 (default) gives a continuing MDP without terminal states, for discounted planning.
   */
  readonly exitProbability?: number;
}

/**
 * A random sparse MDP for scale tests and benchmarks: each (s, a) row moves to `successors` distinct uniform
 * states with random weights (plus the terminal exit when asked), R(s, a) uniform in [0, 1). Built directly
 * in CSR (memory linear in the non-zeros) and deterministic in the seed.
 */
export function randomSparseMdp(seed: number | string, o: RandomSparseMdpOptions): TabularMdp {
  const rng = new FastRng(`random-sparse:${seed}`);
  const exit = o.exitProbability ?? 0;
  const n = o.states;
  const nS = exit > 0 ? n + 1 : n;
  const nA = o.actions;
  const k = Math.min(o.successors, n);
  const perRow = k + (exit > 0 ? 1 : 0);
  const rows = nS * nA;
  const rowPtr = new Int32Array(rows + 1);
  const next = new Int32Array(n * nA * perRow + (nS - n) * nA);
  const prob = new Float64Array(next.length);
  const picked = new Int32Array(k);
  const w = new Float64Array(k);
  let at = 0;
  for (let r = 0; r < n * nA; r++) {
    // Distinct successors by rejection (k is small against n), then sorted for CSR.
    for (let i = 0; i < k; i++) {
      let t: number;
      do t = Math.floor(rng.next() * n);
      while (picked.subarray(0, i).includes(t));
      picked[i] = t;
    }
    picked.sort();
    let total = 0;
    for (let i = 0; i < k; i++) {
      w[i] = rng.next() + 1e-3;
      total += w[i]!;
    }
    for (let i = 0; i < k; i++) {
      next[at] = picked[i]!;
      prob[at++] = ((1 - exit) * w[i]!) / total;
    }
    if (exit > 0) {
      next[at] = n;
      prob[at++] = exit;
    }
    rowPtr[r + 1] = at;
  }
  for (let r = n * nA; r < rows; r++) {
    next[at] = n;
    prob[at++] = 1;
    rowPtr[r + 1] = at;
  }
  const rSA = new Float64Array(rows);
  for (let r = 0; r < n * nA; r++) rSA[r] = rng.next();
  const d0 = new Float64Array(nS);
  d0.fill(1 / n, 0, n);
  const terminalS = new Uint8Array(nS);
  if (exit > 0) terminalS[n] = 1;
  return makeMdp({
    nS,
    nA,
    rowPtr,
    next,
    prob,
    reward: { kind: "state-action", rSA },
    d0,
    terminalS,
    metadata: { generator: "randomSparseMdp", seed: String(seed), gamma: exit > 0 ? 1 : 0.99 },
  });
}
