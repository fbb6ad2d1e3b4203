import { describe, expect, it } from "vitest";
import { denseSolveInPlace } from "../solvers/linear/dense-lu.js";
import { gthSolve } from "../solvers/linear/gth-solve.js";
import {
  accuracyOf,
  deterministicTable,
  evaluatePolicy,
  uniformTable,
} from "../solvers/policy-evaluation.js";
import { policyChain } from "../solvers/policy-matrix.js";
import { csrFromDense, makeMdp } from "../src/model/build.js";
import type { TabularMdp } from "../src/model/mdp.js";
import { expectedRewardSA } from "../src/model/mdp.js";
import { randomIcuShapedMdp } from "../src/model/random-mdp.js";
import { geometricChain } from "./helpers/tiny-mdps.js";

/**
 * n ordinary states, each staying put with probability 1 - eps and otherwise moving on to the next state
 * (eps / 2) or ending in death n or survival n + 1 (eps / 4 each; the last state splits eps evenly).
 * By symmetry every state ends in survival with probability exactly 1/2; expected lengths are about n / eps.
 */
function slowChain(n: number, eps: number): TabularMdp {
  const nS = n + 2;
  const dense = new Float64Array(nS * nS);
  for (let i = 0; i < n; i++) {
    dense[i * nS + i] = 1 - eps;
    const onward = i + 1 < n ? eps / 2 : 0;
    if (onward > 0) dense[i * nS + i + 1] = onward;
    dense[i * nS + n] = (eps - onward) / 2;
    dense[i * nS + n + 1] = (eps - onward) / 2;
  }
  dense[n * nS + n] = 1;
  dense[(n + 1) * nS + n + 1] = 1;
  const rS = new Float64Array(nS);
  rS[n + 1] = 1;
  const d0 = new Float64Array(nS);
  d0.fill(1 / n, 0, n);
  return makeMdp({
    nS,
    nA: 1,
    ...csrFromDense(dense, nS, nS),
    reward: { kind: "next-state", rS },
    d0,
    metadata: { terminal_states: [n, n + 1] },
  });
}

/**
 * Fast and near-improper rows in one system: states 0..59 stay w.p. 1 - eps, states 60..119 w.p. 1/2; every
 * state otherwise moves on to the next state or ends, by symmetry in survival with probability exactly 1/2.
 * GMRES's residual target is set by the fast rows, so on the slow rows its answer can miss 1e-10.
 */
function mixedChain(eps: number): TabularMdp {
  const n = 120;
  const nS = n + 2;
  const dense = new Float64Array(nS * nS);
  for (let i = 0; i < n; i++) {
    const leave = i < 60 ? eps : 0.5;
    dense[i * nS + i] = 1 - leave;
    const onward = i + 1 < n ? leave / 2 : 0;
    if (onward > 0) dense[i * nS + i + 1] = onward;
    dense[i * nS + n] = (leave - onward) / 2;
    dense[i * nS + n + 1] = (leave - onward) / 2;
  }
  dense[n * nS + n] = 1;
  dense[(n + 1) * nS + n + 1] = 1;
  const rS = new Float64Array(nS);
  rS[n + 1] = 1;
  const d0 = new Float64Array(nS);
  d0.fill(1 / n, 0, n);
  return makeMdp({
    nS,
    nA: 1,
    ...csrFromDense(dense, nS, nS),
    reward: { kind: "next-state", rS },
    d0,
    metadata: { terminal_states: [n, n + 1] },
  });
}

function expectProperOutcomes(probabilities: readonly { probability: number }[]): void {
  let sum = 0;
  for (const { probability } of probabilities) {
    expect(probability).toBeGreaterThanOrEqual(0);
    expect(probability).toBeLessThanOrEqual(1);
    sum += probability;
  }
  expect(Math.abs(sum - 1)).toBeLessThanOrEqual(1e-12);
}

describe("evaluation on near-improper chains", () => {
  for (const eps of [1e-6, 1e-9, 1e-12]) {
    it(`a self-loop of 1 - ${eps}: outcome probabilities in [0, 1], summing to 1, each 1/2 (direct solve)`, () => {
      const m = geometricChain(eps / 2, eps / 2);
      const e = evaluatePolicy(m, deterministicTable(m, Int32Array.of(0, 0, 0)), { gamma: 1 });
      expectProperOutcomes(e.terminalProbabilities);
      for (const t of e.terminalProbabilities)
        expect(Math.abs(t.probability - 0.5)).toBeLessThanOrEqual(1e-12);
      expect(Math.abs(e.expectedLength! * eps - 1)).toBeLessThan(1e-12);
      expect(accuracyOf(e).flagged).toBe(false);
    });

    it(`120 states with self-loops 1 - ${eps}: the same through the iterative solver`, () => {
      const m = slowChain(120, eps);
      const e = evaluatePolicy(m, new Float64Array(m.nS).fill(1), { gamma: 1 });
      expectProperOutcomes(e.terminalProbabilities);
      for (const t of e.terminalProbabilities)
        expect(Math.abs(t.probability - 0.5)).toBeLessThanOrEqual(1e-12);
      expect(Math.abs(e.expectedReturn - 0.5)).toBeLessThanOrEqual(e.errorBound);
      expect(accuracyOf(e).flagged).toBe(false);
    });
  }

  it("fast and near-improper rows together: still 1/2 within 1e-12 and not flagged", () => {
    const m = mixedChain(1e-12);
    const e = evaluatePolicy(m, new Float64Array(m.nS).fill(1), { gamma: 1 });
    expectProperOutcomes(e.terminalProbabilities);
    for (const t of e.terminalProbabilities) expect(Math.abs(t.probability - 0.5)).toBeLessThanOrEqual(1e-12);
    for (let s = 0; s < 120; s++) expect(Math.abs(e.vS[s]! - 0.5)).toBeLessThanOrEqual(1e-12);
    expect(accuracyOf(e).flagged).toBe(false);
  });

  it("flags an answer whose error bound exceeds 1e-10, and the bound covers the exact value", () => {
    // Two states paying +1 and -1 per step, each staying w.p. 1 - 1e-12 and otherwise moving to the other or
    // ending: by symmetry the return from d0 = (1/2, 1/2) is exactly 0, a cancellation of two 6.7e11 values.
    const nS = 3;
    const eps = 1e-12;
    const dense = Float64Array.of(1 - eps, eps / 2, eps / 2, eps / 2, 1 - eps, eps / 2, 0, 0, 1);
    const m = makeMdp({
      nS,
      nA: 1,
      ...csrFromDense(dense, nS, nS),
      reward: { kind: "state-action", rSA: Float64Array.of(1, -1, 0) },
      d0: Float64Array.of(0.5, 0.5, 0),
      metadata: { terminal_states: [2] },
    });
    const e = evaluatePolicy(m, new Float64Array(nS).fill(1), { gamma: 1 });
    const accuracy = accuracyOf(e);
    expect(accuracy.flagged).toBe(true);
    expect(Math.abs(e.expectedReturn)).toBeLessThanOrEqual(accuracy.errorBound);
    expect(Math.abs(e.vS[0]! - 2e12 / 3)).toBeLessThanOrEqual(accuracy.errorBound + 1e-4 * 2e12);
  });
});

describe("state elimination (the direct solver)", () => {
  it("agrees with Gaussian elimination on a random policy chain to 1e-12 (values, gamma 0.9)", () => {
    const m = randomIcuShapedMdp(7, { states: 90, actions: 3, successors: 10, exitMass: 0.05 });
    const chain = policyChain(m, uniformTable(m), expectedRewardSA(m));
    const n = 90;
    const g = 0.9;
    const states = Int32Array.from({ length: n }, (_, i) => i);
    const local = new Int32Array(m.nS).fill(-1);
    for (let i = 0; i < n; i++) local[i] = i;
    const rows = { states, local, start: chain.start, end: chain.end, col: chain.col, val: chain.val };
    const b = Float64Array.from(states, (s) => chain.rS[s]!);
    const [x] = gthSolve(rows, g, [b]);
    const a = new Float64Array(n * n);
    for (let i = 0; i < n; i++) {
      a[i * n + i] = 1;
      for (let k = chain.start[i]!; k < chain.end[i]!; k++) {
        const j = chain.col[k]!;
        if (j < n) a[i * n + j] = a[i * n + j]! - g * chain.val[k]!;
      }
    }
    const ref = b.slice();
    denseSolveInPlace(a, n, [ref]);
    for (let i = 0; i < n; i++) expect(Math.abs(x![i]! - ref[i]!)).toBeLessThan(1e-12);
  });
});
