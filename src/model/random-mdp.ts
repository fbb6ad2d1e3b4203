import { seeded } from "../core/rng.js";
import { CsrBuilder, makeMdp } from "./build.js";
import type { TabularMdp } from "./mdp.js";

export interface RandomMdpOptions {
  /** Non-terminal states. */
  readonly states: number;
  readonly actions: number;
  /** Successors per (s, a) row among the non-terminal states. Default min(states, 5). */
  readonly successors?: number;
  /** Mean probability each row sends to death / survival (scaled by U(0.5, 1.5) per row, split at random). Default 0.1. */
  readonly exitMass?: number;
  /** Give each state a random non-empty set of admissible actions and mean rows elsewhere. Default false. */
  readonly admissibility?: boolean;
  /** Include a random expert policy. Default false. */
  readonly expert?: boolean;
}

/**
 * A random MDP in ICU-Sepsis shape: `states` ordinary states, then death, survival and an absorbing sink;
 * reward 1 on entering survival; every row exits with positive probability, so every policy terminates.
 * Deterministic in the seed. Used by property tests and the demo data.
 */
export function randomIcuShapedMdp(seed: number | string, o: RandomMdpOptions): TabularMdp {
  const rng = seeded(seed);
  const n = o.states;
  const nS = n + 3;
  const nA = o.actions;
  const death = n;
  const survival = n + 1;
  const sink = n + 2;
  const k = Math.min(n, o.successors ?? 5);
  const exitMass = o.exitMass ?? 0.1;
  const admissible = new Uint8Array(nS * nA).fill(1);
  if (o.admissibility) {
    for (let s = 0; s < n; s++) {
      for (let a = 0; a < nA; a++) admissible[s * nA + a] = rng.next() < 0.5 ? 1 : 0;
      admissible[s * nA + rng.int(nA)] = 1;
    }
  }
  const dense = new Float64Array(nS * nA * nS);
  for (let s = 0; s < n; s++) {
    for (let a = 0; a < nA; a++) {
      const row = (s * nA + a) * nS;
      const split = rng.next();
      const exit = exitMass * (0.5 + rng.next()); // rows differ in how fast they end the episode
      dense[row + death] = exit * split;
      dense[row + survival] = exit * (1 - split);
      const w = Array.from({ length: k }, () => rng.next() + 1e-3);
      const total = w.reduce((x, y) => x + y, 0);
      for (let i = 0; i < k; i++) {
        const t = rng.int(n);
        dense[row + t] = dense[row + t]! + ((1 - exit) * w[i]!) / total;
      }
    }
    if (o.admissibility) meanRule(dense, admissible, s, nA, nS);
  }
  for (const t of [death, survival, sink]) for (let a = 0; a < nA; a++) dense[(t * nA + a) * nS + sink] = 1;
  const csr = new CsrBuilder(nS * nA);
  for (let r = 0; r < nS * nA; r++) {
    for (let t = 0; t < nS; t++) if (dense[r * nS + t] !== 0) csr.push(t, dense[r * nS + t]!);
    csr.endRow();
  }
  const rS = new Float64Array(nS);
  rS[survival] = 1;
  const d0 = new Float64Array(nS);
  for (let s = 0; s < n; s++) d0[s] = 1 / n;
  let expertPolicy: Float64Array | null = null;
  if (o.expert) {
    expertPolicy = new Float64Array(nS * nA);
    for (let s = 0; s < n; s++) {
      const w = Array.from({ length: nA }, () => rng.next());
      const total = w.reduce((x, y) => x + y, 0);
      for (let a = 0; a < nA; a++) expertPolicy[s * nA + a] = w[a]! / total;
    }
  }
  return makeMdp({
    nS,
    nA,
    ...csr.finish(),
    reward: { kind: "next-state", rS },
    d0,
    admissibleSA: o.admissibility ? admissible : null,
    expertPolicy,
    metadata: { n_states: nS, n_actions: nA, generator: "randomIcuShapedMdp", seed: String(seed) },
  });
}

/** Inadmissible rows of state s become the mean of its admissible rows (the ICU-Sepsis convention). */
function meanRule(dense: Float64Array, admissible: Uint8Array, s: number, nA: number, nS: number): void {
  const ok: number[] = [];
  for (let a = 0; a < nA; a++) if (admissible[s * nA + a] === 1) ok.push(a);
  for (let a = 0; a < nA; a++) {
    if (admissible[s * nA + a] === 1) continue;
    const row = (s * nA + a) * nS;
    for (let t = 0; t < nS; t++) {
      let acc = 0;
      for (const b of ok) acc += dense[(s * nA + b) * nS + t]!;
      dense[row + t] = acc / ok.length;
    }
  }
}
