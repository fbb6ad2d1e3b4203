import { FastRng } from "../../src/core/fast-rng.js";
import { csrFromDense, makeMdp } from "../../src/model/build.js";
import type { TabularMdp } from "../../src/model/mdp.js";

/**
 * A small random MDP with state-action rewards in [0, 1], a terminal state nS - 1 that every row reaches
 * with probability >= pEnd, and uniform d0 over the other states. Solved exactly by VI in the tests.
 */
export function randomMdp(nS: number, nA: number, seed: number, pEnd = 0.1): TabularMdp {
  const rng = new FastRng(seed);
  const dense = new Float64Array(nS * nA * nS);
  const rSA = new Float64Array(nS * nA);
  for (let s = 0; s < nS; s++) {
    for (let a = 0; a < nA; a++) {
      const row = (s * nA + a) * nS;
      if (s === nS - 1) {
        dense[row + s] = 1;
        continue;
      }
      const w = Array.from({ length: nS - 1 }, () => (rng.next() < 0.4 ? rng.next() : 0));
      const tot = w.reduce((x, y) => x + y, 0) || 1;
      w.forEach((x, t) => {
        dense[row + t] = ((1 - pEnd) * x) / tot;
      });
      if (tot === 1 && w.every((x) => x === 0)) dense[row + ((s + 1) % (nS - 1))] = 1 - pEnd;
      dense[row + nS - 1] = pEnd;
      rSA[s * nA + a] = rng.next();
    }
  }
  const d0 = new Float64Array(nS).fill(1 / (nS - 1));
  d0[nS - 1] = 0;
  const terminalS = new Uint8Array(nS);
  terminalS[nS - 1] = 1;
  return makeMdp({
    nS,
    nA,
    ...csrFromDense(dense, nS * nA, nS),
    reward: { kind: "state-action", rSA },
    d0,
    terminalS,
  });
}

/** Sutton & Barto's cliff walk, 4 x 12: -1 per step, -100 and back to start on the cliff, goal terminal. */
export const CLIFF = { rows: 4, cols: 12, start: 36, goal: 47 } as const;
export function cliffWalk(): TabularMdp {
  const { rows, cols, start, goal } = CLIFF;
  const nS = rows * cols;
  const nA = 4; // up, right, down, left
  const dense = new Float64Array(nS * nA * nS);
  const rSA = new Float64Array(nS * nA).fill(-1);
  const moves = [
    [-1, 0],
    [0, 1],
    [1, 0],
    [0, -1],
  ] as const;
  for (let s = 0; s < nS; s++) {
    const r = Math.floor(s / cols);
    const c = s % cols;
    for (let a = 0; a < nA; a++) {
      const [dr, dc] = moves[a]!;
      const r2 = Math.min(rows - 1, Math.max(0, r + dr));
      const c2 = Math.min(cols - 1, Math.max(0, c + dc));
      let t = r2 * cols + c2;
      if (s === goal) t = goal;
      else if (r2 === rows - 1 && c2 > 0 && c2 < cols - 1) {
        t = start;
        rSA[s * nA + a] = -100;
      }
      dense[(s * nA + a) * nS + t] = 1;
    }
  }
  const d0 = new Float64Array(nS);
  d0[start] = 1;
  const terminalS = new Uint8Array(nS);
  terminalS[goal] = 1;
  return makeMdp({
    nS,
    nA,
    ...csrFromDense(dense, nS * nA, nS),
    reward: { kind: "state-action", rSA },
    d0,
    terminalS,
  });
}

/** States visited by following `policyS` from the cliff's start (stops at the goal or after 100 moves). */
export function cliffPath(m: TabularMdp, policyS: Int32Array): number[] {
  const path: number[] = [CLIFF.start];
  let s: number = CLIFF.start;
  for (let i = 0; i < 100 && s !== CLIFF.goal; i++) {
    const row = s * m.nA + policyS[s]!;
    s = m.next[m.rowPtr[row]!]!;
    path.push(s);
  }
  return path;
}

/**
 * One non-terminal state 0 that loops on itself with reward 1 (action 0) or moves to terminal 1 with
 * reward 1 (action 1); action 1 is inadmissible. With gamma = 0.5 and a time limit, Q(0, 0) = 2 only
 * when truncation bootstraps.
 */
export function loopMdp(): TabularMdp {
  const dense = Float64Array.of(1, 0, 0, 1, 0, 1, 0, 1);
  return makeMdp({
    nS: 2,
    nA: 2,
    ...csrFromDense(dense, 4, 2),
    reward: { kind: "state-action", rSA: Float64Array.of(1, 1, 0, 0) },
    d0: Float64Array.of(1, 0),
    terminalS: Uint8Array.of(0, 1),
    admissibleSA: Uint8Array.of(1, 0, 1, 1),
    metadata: { gamma: 0.5 },
  });
}
