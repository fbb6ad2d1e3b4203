import { describe, expect, it } from "vitest";
import {
  deterministicTable,
  evaluatePolicy,
  expectedReturnOf,
  modifiedPolicyIteration,
  plan,
  policyIteration,
  uniformTable,
  valueIteration,
} from "../solvers/index.js";
import { denseSolveInPlace } from "../solvers/linear/dense-lu.js";
import { UsageError } from "../src/core/errors.js";
import { csrFromDense, makeMdp } from "../src/model/build.js";
import { randomIcuShapedMdp } from "../src/model/random-mdp.js";
import { geometricChain } from "./helpers/tiny-mdps.js";

const maxAbsDiff = (a: Float64Array, b: Float64Array): number => {
  let d = 0;
  for (let i = 0; i < a.length; i++) d = Math.max(d, Math.abs(a[i]! - b[i]!));
  return d;
};

describe("planners agree on random MDPs", () => {
  for (const seed of [1, 2, 3, 4, 5]) {
    for (const gamma of [1, 0.9]) {
      it(`seed ${seed}, gamma ${gamma}`, () => {
        const m = randomIcuShapedMdp(seed, {
          states: 30 + seed * 7,
          actions: 4,
          successors: 6,
          admissibility: seed % 2 === 0,
        });
        const vi = valueIteration(m, { gamma });
        const gs = valueIteration(m, { gamma, gaussSeidel: true });
        const pi = policyIteration(m, { gamma });
        const mpi = modifiedPolicyIteration(m, { gamma });
        for (const r of [vi, gs, pi, mpi]) expect(r.report.converged).toBe(true);
        expect(maxAbsDiff(vi.vS, gs.vS)).toBeLessThan(1e-8);
        expect(maxAbsDiff(vi.vS, pi.vS)).toBeLessThan(1e-8);
        expect(maxAbsDiff(vi.vS, mpi.vS)).toBeLessThan(1e-8);
        // Exact evaluation of the greedy policy equals the planner's value.
        const ev = evaluatePolicy(m, deterministicTable(m, pi.policyS), { gamma });
        expect(maxAbsDiff(ev.vS, pi.vS)).toBeLessThan(1e-10);
        expect(maxAbsDiff(ev.vS, vi.vS)).toBeLessThan(1e-8);
        // Bellman residual of the VI values is below the tolerance-implied bound.
        let residual = 0;
        for (let s = 0; s < m.nS; s++) {
          if (m.terminalS[s] === 1) continue;
          let best = Number.NEGATIVE_INFINITY;
          for (let a = 0; a < m.nA; a++) best = Math.max(best, vi.qSA[s * m.nA + a]!);
          residual = Math.max(residual, Math.abs(best - vi.vS[s]!));
        }
        expect(residual).toBeLessThan(1e-9);
        expect(pi.policyS).toEqual(vi.policyS);
      });
    }
  }

  it("maximising over admissible actions only equals all actions when inadmissible rows are means", () => {
    const m = randomIcuShapedMdp(11, { states: 40, actions: 5, admissibility: true });
    const only = valueIteration(m, { admissibleOnly: true });
    const all = valueIteration(m, { admissibleOnly: false });
    expect(only.admissibleOnly).toBe(true);
    expect(maxAbsDiff(only.vS, all.vS)).toBeLessThan(1e-9);
  });
});

describe("exact evaluation accuracy", () => {
  it("the iterative solve agrees with a dense direct solve to 1e-10 (values and lengths)", () => {
    const m = randomIcuShapedMdp(99, { states: 150, actions: 3, successors: 12, exitMass: 0.05 });
    const pi = uniformTable(m);
    const ev = evaluatePolicy(m, pi, { gamma: 1 });
    // Dense (I - P_pi) over the 150 ordinary states, built independently from the CSR rows.
    const n = 150;
    const a = new Float64Array(n * n);
    const value = new Float64Array(n);
    const ones = new Float64Array(n).fill(1);
    for (let s = 0; s < n; s++) {
      a[s * n + s] = 1;
      for (let act = 0; act < m.nA; act++) {
        const r = s * m.nA + act;
        for (let k = m.rowPtr[r]!; k < m.rowPtr[r + 1]!; k++) {
          const t = m.next[k]!;
          const p = m.prob[k]! / m.nA;
          if (t < n) a[s * n + t] = a[s * n + t]! - p;
          else if (t === n + 1) value[s] = value[s]! + p; // entering survival pays 1
        }
      }
    }
    denseSolveInPlace(a, n, [value, ones]);
    for (let s = 0; s < n; s++) {
      expect(Math.abs(ev.vS[s]! - value[s]!)).toBeLessThan(1e-10);
      expect(Math.abs(ev.lengthS![s]! - ones[s]!)).toBeLessThan(1e-10);
    }
  });
});

describe("expectedReturnOf", () => {
  it("equals the full evaluation's expected return, and fails the same way", () => {
    for (const gamma of [1, 0.9]) {
      const m = randomIcuShapedMdp(5, { states: 80, actions: 3, admissibility: true, expert: true });
      for (const pi of [uniformTable(m), m.expertPolicy!]) {
        expect(expectedReturnOf(m, pi, { gamma })).toBe(evaluatePolicy(m, pi, { gamma }).expectedReturn);
      }
    }
    const chain = geometricChain(0.3, 0.1);
    const stay = deterministicTable(chain, Int32Array.of(1, 0, 0));
    expect(() => expectedReturnOf(chain, stay, { gamma: 1 })).toThrow(/does not reach a terminal state/);
  });
});

describe("closed forms", () => {
  it("geometric chain: value p/(p+q) and length 1/(p+q), under gamma = 1", () => {
    const m = geometricChain(0.3, 0.1);
    const r = valueIteration(m, { gamma: 1 });
    expect(r.policyS[0]).toBe(0);
    // VI stops on a change <= 1e-10; its error is at most change * rho / (1 - rho) = 1.5e-10 here.
    expect(Math.abs(r.vS[0]! - 0.75)).toBeLessThan(2e-10);
    const ev = evaluatePolicy(m, deterministicTable(m, r.policyS), { gamma: 1 });
    expect(ev.expectedReturn).toBeCloseTo(0.75, 12);
    expect(ev.expectedLength).toBeCloseTo(2.5, 12);
    expect(ev.terminalProbabilities).toEqual([
      { state: 1, probability: expect.closeTo(0.25, 12) },
      { state: 2, probability: expect.closeTo(0.75, 12) },
    ]);
  });

  it("discounted geometric chain: V = g p / (1 - g (1 - p - q))", () => {
    const m = geometricChain(0.3, 0.1);
    const g = 0.9;
    const ev = evaluatePolicy(m, deterministicTable(m, Int32Array.of(0, 0, 0)), { gamma: g });
    expect(ev.expectedReturn).toBeCloseTo(0.3 / (1 - g * 0.6), 12);
  });

  it("a policy that never terminates is an error under gamma = 1, decided structurally", () => {
    const m = geometricChain(0.3, 0.1);
    const stay = deterministicTable(m, Int32Array.of(1, 0, 0));
    expect(() => evaluatePolicy(m, stay, { gamma: 1 })).toThrow(UsageError);
    expect(() => evaluatePolicy(m, stay, { gamma: 1 })).toThrow(
      /does not reach a terminal state with probability 1/,
    );
  });

  it("under gamma < 1 a non-terminating policy has a value and an unbounded (null) length with a reason", () => {
    const m = geometricChain(0.3, 0.1);
    const ev = evaluatePolicy(m, deterministicTable(m, Int32Array.of(1, 0, 0)), { gamma: 0.99 });
    expect(ev.expectedReturn).toBe(0);
    expect(ev.expectedLength).toBeNull();
    expect(ev.lengthReason).toMatch(/unbounded/);
    expect(ev.terminatesSurely).toBe(false);
  });

  it("a mixture of a stopping and a non-stopping action still terminates surely", () => {
    const m = geometricChain(0.3, 0.1);
    const mixed = Float64Array.of(0.5, 0.5, 0.5, 0.5, 0.5, 0.5);
    const ev = evaluatePolicy(m, mixed, { gamma: 1 });
    expect(ev.expectedReturn).toBeCloseTo(0.75, 12);
    expect(ev.expectedLength).toBeCloseTo(5, 12);
  });

  it("ties go to the lowest action index", () => {
    const nS = 2;
    const nA = 3;
    // Every action of state 0 moves to the terminal state 1 with reward 1: a three-way tie.
    const dense = new Float64Array(nS * nA * nS);
    for (let a = 0; a < nA; a++) {
      dense[a * nS + 1] = 1;
      dense[(nA + a) * nS + 1] = 1;
    }
    const m = makeMdp({
      nS,
      nA,
      ...csrFromDense(dense, nS * nA, nS),
      reward: { kind: "next-state", rS: Float64Array.of(0, 1) },
      d0: Float64Array.of(1, 0),
    });
    for (const method of ["vi", "gs-vi", "pi", "mpi"] as const) expect(plan(m, method).policyS[0]).toBe(0);
  });

  it("with gamma = 1 a tied action that loops forever is passed over for one that ends the episode", () => {
    const nS = 2;
    const nA = 2;
    // State 0: action 0 loops on itself (reward 0), action 1 enters the terminal state 1 (reward 1).
    // Q(0, 0) = V(0) = 1 = Q(0, 1): a tie that the lowest-index rule alone would break into an endless loop.
    const dense = Float64Array.of(1, 0, 0, 1, 0, 1, 0, 1);
    const m = makeMdp({
      nS,
      nA,
      ...csrFromDense(dense, nS * nA, nS),
      reward: { kind: "next-state", rS: Float64Array.of(0, 1) },
      d0: Float64Array.of(1, 0),
    });
    for (const method of ["vi", "gs-vi", "mpi"] as const) {
      const r = plan(m, method, { gamma: 1 });
      expect(r.policyS[0]).toBe(1);
      expect(evaluatePolicy(m, deterministicTable(m, r.policyS), { gamma: 1 }).expectedLength).toBe(1);
    }
    // Under discounting there is no tie (looping is worth 0), so the same MDP needs no repair.
    expect(plan(m, "vi", { gamma: 0.9 }).policyS[0]).toBe(1);
  });

  it("maxIterations stops early with converged = false and an error bound for gamma < 1", () => {
    const m = randomIcuShapedMdp(3, { states: 50, actions: 3 });
    const r = valueIteration(m, { gamma: 0.99, maxIterations: 3 });
    expect(r.report.converged).toBe(false);
    expect(r.report.stop).toBe("max-iterations");
    expect(r.report.iterations).toBe(3);
    expect(r.report.errorBound).toBeGreaterThan(0);
  });

  it("rejects bad options and bad policy tables", () => {
    const m = geometricChain(0.3, 0.1);
    expect(() => plan(m, "vi", { gamma: 1.5 })).toThrow(/gamma/);
    expect(() => plan(m, "pi", { tolerance: -1 })).toThrow(/tolerance/);
    expect(() => evaluatePolicy(m, Float64Array.of(0.5, 0.4, 1, 0, 1, 0))).toThrow(/sums to 0.9/);
    expect(() => evaluatePolicy(m, new Float64Array(3))).toThrow(/entries/);
  });
});
