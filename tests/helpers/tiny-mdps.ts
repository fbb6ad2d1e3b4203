import { csrFromDense, makeMdp } from "../../src/model/build.js";
import type { TabularMdp } from "../../src/model/mdp.js";

/**
 * A chain with a known answer: state 0 (start), death 1, survival 2 (both terminal, absorbing).
 * Action 0: survive w.p. p, die w.p. q, stay w.p. 1 - p - q. Action 1: stay w.p. 1 (never terminates).
 * Exact: V = p / (p + q) under action 0, expected length 1 / (p + q).
 */
export function geometricChain(p: number, q: number, metadata: Record<string, unknown> = {}): TabularMdp {
  const nS = 3;
  const nA = 2;
  const dense = new Float64Array(nS * nA * nS);
  const set = (s: number, a: number, t: number, v: number): void => {
    dense[(s * nA + a) * nS + t] = v;
  };
  set(0, 0, 0, 1 - p - q);
  set(0, 0, 1, q);
  set(0, 0, 2, p);
  set(0, 1, 0, 1);
  for (const t of [1, 2]) for (let a = 0; a < nA; a++) set(t, a, t, 1);
  return makeMdp({
    nS,
    nA,
    ...csrFromDense(dense, nS * nA, nS),
    reward: { kind: "next-state", rS: Float64Array.of(0, 0, 1) },
    d0: Float64Array.of(1, 0, 0),
    metadata,
  });
}

/** Two non-terminal states 0, 1 and a terminal 2; action 0 moves 0 <-> 1 with rewards r01, r10; action 1 ends (reward `exit`). */
export function twoStateCycle(
  r01: number,
  r10: number,
  exit = 0,
  expertPolicy: Float64Array | null = null,
): TabularMdp {
  const nS = 3;
  const nA = 2;
  const dense = new Float64Array(nS * nA * nS);
  dense[(0 * nA + 0) * nS + 1] = 1;
  dense[(1 * nA + 0) * nS + 0] = 1;
  dense[(0 * nA + 1) * nS + 2] = 1;
  dense[(1 * nA + 1) * nS + 2] = 1;
  for (let a = 0; a < nA; a++) dense[(2 * nA + a) * nS + 2] = 1;
  const rSA = Float64Array.of(r01, exit, r10, exit, 0, 0);
  return makeMdp({
    nS,
    nA,
    ...csrFromDense(dense, nS * nA, nS),
    reward: { kind: "state-action", rSA },
    d0: Float64Array.of(1, 0, 0),
    terminalS: Uint8Array.of(0, 0, 1),
    expertPolicy,
  });
}
