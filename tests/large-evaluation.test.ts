import { describe, expect, it } from "vitest";
import { deterministicTable, evaluatePolicy, uniformTable, valueIteration } from "../solvers/index.js";
import { runEpisodes } from "../solvers/learning/index.js";
import { gaussSeidelSystem } from "../solvers/linear/gauss-seidel-system.js";
import { gmres } from "../solvers/linear/gmres.js";
import { residualTarget } from "../solvers/linear/restricted-solve.js";
import { policyChain } from "../solvers/policy-matrix.js";
import { expectedRewardSA } from "../src/model/mdp.js";
import { randomSparseMdp } from "../src/model/random-sparse-mdp.js";
import { wideChainMdp } from "./helpers/wide-mdp.js";

const bits = (a: Float64Array): Buffer => Buffer.from(a.buffer, a.byteOffset, a.byteLength);

describe("evaluation of large systems (the diagonal preconditioner is tried first)", () => {
  it("on a quickly mixing chain the diagonal and Gauss-Seidel preconditioners solve the same system", () => {
    const m = randomSparseMdp(3, { states: 3000, actions: 4, successors: 8, exitProbability: 0.05 });
    const chain = policyChain(m, uniformTable(m), expectedRewardSA(m));
    const live = Int32Array.from({ length: m.nS - 1 }, (_, i) => i);
    const rows = {
      states: live,
      local: Int32Array.from({ length: m.nS }, (_, s) => (s < m.nS - 1 ? s : -1)),
    };
    const sys = gaussSeidelSystem({ ...chain, ...rows }, 1);
    const b = Float64Array.from(live, (s) => chain.rS[s]!);
    // The diagonal workspace's operator is A D^-1: check it against A applied to D^-1 v by the residual pass.
    const diagonal = sys.diagonal();
    const v = Float64Array.from(live, (s) => Math.sin(s));
    const viaDiagonal = new Float64Array(live.length);
    diagonal.apply(v, viaDiagonal);
    const direct = new Float64Array(live.length);
    sys.residual(diagonal.recover(v), new Float64Array(live.length), direct);
    for (let i = 0; i < live.length; i++) expect(viaDiagonal[i]).toBe(-direct[i]!);
    const plain = gmres(diagonal, b, { tolerance: 1e-11, estimateFactor: 0.5 });
    expect(plain.converged).toBe(true);
    const x = diagonal.recover(plain.x);
    const r = new Float64Array(live.length);
    expect(sys.residual(x, b, r)).toBeLessThanOrEqual(1e-11);
    const ssor = gmres(sys, sys.prepare(b), { tolerance: 1e-12 });
    const y = sys.recover(ssor.x);
    for (let i = 0; i < live.length; i++) expect(Math.abs(x[i]! - y[i]!)).toBeLessThan(1e-9);
  });

  it("a target near the rounding floor: the cycle restarts there instead of running its 80 iterations", () => {
    // A deterministic policy of an episodic random MDP under gamma = 1: Gauss-Seidel GMRES reaches its
    // estimate's floor, just above a tenth of the target, within about 16 iterations.
    const n = 20_000;
    const m = randomSparseMdp(1, { states: n, actions: 10, successors: 10, exitProbability: 0.05 });
    const pi = deterministicTable(
      m,
      Int32Array.from({ length: m.nS }, (_, s) => s % m.nA),
    );
    const chain = policyChain(m, pi, expectedRewardSA(m));
    const live = Int32Array.from({ length: n }, (_, i) => i);
    const rows = { states: live, local: Int32Array.from({ length: m.nS }, (_, s) => (s < n ? s : -1)) };
    const b = Float64Array.from(live, (s) => chain.rS[s]!);
    const tolerance = residualTarget(Math.max(...b.map(Math.abs)), n, 1);
    const solve = (restartAtFloor: boolean) => {
      const sys = gaussSeidelSystem({ ...chain, ...rows }, 1);
      const g = gmres(sys, sys.prepare(b), {
        tolerance,
        maxIterations: 2000,
        stopOnStall: true,
        restartAtFloor,
      });
      const x = sys.recover(g.x);
      const residual = sys.residual(x, b, new Float64Array(n));
      sys.release();
      return { iterations: g.iterations, x, residual };
    };
    const atFloor = solve(true);
    const fullCycle = solve(false);
    expect(atFloor.residual).toBeLessThanOrEqual(tolerance);
    expect(atFloor.iterations).toBeLessThan(30);
    expect(fullCycle.iterations).toBeGreaterThan(2 * atFloor.iterations);
    for (let i = 0; i < n; i += 97) expect(Math.abs(atFloor.x[i]! - fullCycle.x[i]!)).toBeLessThan(1e-12);
  });

  it("a large quickly mixing MDP: the Bellman equation holds to 1e-11 and the length is 1 / exit probability", () => {
    const m = randomSparseMdp(6, { states: 25_000, actions: 3, successors: 6, exitProbability: 0.1 });
    const ev = evaluatePolicy(m, uniformTable(m), { gamma: 1 });
    expect(ev.expectedLength).toBeCloseTo(10, 9);
    expect(ev.errorBound).toBeLessThan(1e-10);
    const rSA = expectedRewardSA(m);
    let worst = 0;
    for (let s = 0; s < m.nS - 1; s++) {
      let rhs = 0;
      for (let a = 0; a < m.nA; a++) {
        const row = s * m.nA + a;
        let next = 0;
        for (let k = m.rowPtr[row]!; k < m.rowPtr[row + 1]!; k++) next += m.prob[k]! * ev.vS[m.next[k]!]!;
        rhs += (rSA[row]! + next) / m.nA;
      }
      worst = Math.max(worst, Math.abs(ev.vS[s]! - rhs));
    }
    expect(worst).toBeLessThan(1e-11);
  });

  for (const [label, moves] of [
    ["one action: its own chain", [[0, 1]]],
    [
      "two actions mixed: a chain of its own entries",
      [
        [0, 1],
        [1, 2],
      ],
    ],
  ] as const) {
    it(`a large slowly mixing chain gives the probe up and is solved exactly (${label})`, () => {
      // A line of 30,000 states: a plain Krylov method needs about as many iterations as states, Gauss-Seidel one.
      const nS = 30_000;
      const m = wideChainMdp({ nS, moves, pFirst: 0.5, starts: [0], reward: () => 0 });
      const reach = Math.max(...moves.flat());
      const pi = moves.length === 1 ? deterministicTable(m, new Int32Array(nS)) : uniformTable(m);
      const ev = evaluatePolicy(m, pi, { gamma: 1 });
      const lengthS = ev.lengthS!;
      // Lengths satisfy L(s) = 1 + sum_t P_pi(t | s) L(t) in every non-terminal state.
      let worst = 0;
      for (let s = 0; s < nS - reach; s++) {
        let rhs = 1;
        for (let a = 0; a < m.nA; a++) {
          const row = s * m.nA + a;
          for (let k = m.rowPtr[row]!; k < m.rowPtr[row + 1]!; k++)
            rhs += pi[row]! * m.prob[k]! * lengthS[m.next[k]!]!;
        }
        worst = Math.max(worst, Math.abs(lengthS[s]! - rhs));
      }
      expect(worst).toBeLessThan(1e-8);
      // One action: each step advances w.p. 1/2, two steps per state on average.
      if (moves.length === 1) expect(Math.abs(ev.expectedLength! / (2 * (nS - 1)) - 1)).toBeLessThan(1e-12);
      expect(ev.errorBound).toBeLessThan(1e-6);
    });
  }
});

describe("kernel memory handed on between evaluations", () => {
  it("value iteration gives the same bits whatever ran before it, on one thread and on two", () => {
    const m = randomSparseMdp(13, { states: 600, actions: 4, successors: 5, exitProbability: 0.05 });
    const big = randomSparseMdp(14, { states: 3000, actions: 4, successors: 7 });
    for (const threadedFrom of [Number.POSITIVE_INFINITY, 1]) {
      const options = { gamma: 1, tolerance: 1e-12, threadedFrom };
      const first = valueIteration(m, options);
      valueIteration(big, { gamma: 0.9, threadedFrom });
      const again = valueIteration(m, options);
      expect(bits(again.vS).equals(bits(first.vS))).toBe(true);
      expect(bits(again.qSA).equals(bits(first.qSA))).toBe(true);
      expect(again.report.iterations).toBe(first.report.iterations);
    }
  });

  it("a learning run gives the same bits whatever ran before it", () => {
    const m = randomSparseMdp(15, { states: 300, actions: 4, successors: 5, exitProbability: 0.1 });
    const big = randomSparseMdp(16, { states: 2000, actions: 5, successors: 6, exitProbability: 0.05 });
    const params = { algo: "q-learning" as const, actions: "all" as const };
    const first = runEpisodes(m, params, { episodes: 500, seed: 3 });
    runEpisodes(big, { algo: "double-q", actions: "all" }, { episodes: 300, seed: 4 });
    const again = runEpisodes(m, params, { episodes: 500, seed: 3 });
    expect(bits(again.qSA).equals(bits(first.qSA))).toBe(true);
    expect(bits(again.episodeReturn).equals(bits(first.episodeReturn))).toBe(true);
    expect(again.steps).toBe(first.steps);
  });

  it("evaluations give the same bits whatever ran before them", () => {
    const m = randomSparseMdp(11, { states: 700, actions: 5, successors: 6, exitProbability: 0.05 });
    const other = randomSparseMdp(12, { states: 4000, actions: 3, successors: 9, exitProbability: 0.02 });
    // Fresh model objects: the chain is built directly (in kernel memory) each time, not from a cached pattern.
    const first = evaluatePolicy({ ...m }, uniformTable(m), { gamma: 1 });
    evaluatePolicy({ ...other }, uniformTable(other), { gamma: 1 });
    const again = evaluatePolicy({ ...m }, uniformTable(m), { gamma: 1 });
    expect(bits(again.vS).equals(bits(first.vS))).toBe(true);
    expect(bits(again.lengthS!).equals(bits(first.lengthS!))).toBe(true);
    expect(again.terminalProbabilities).toEqual(first.terminalProbabilities);
    // A deterministic policy's systems copy its chain into memory of their own, handed on the same way.
    const greedy = deterministicTable(
      m,
      Int32Array.from({ length: m.nS }, (_, s) => s % m.nA),
    );
    const once = evaluatePolicy(m, greedy, { gamma: 0.95 });
    evaluatePolicy(other, deterministicTable(other, new Int32Array(other.nS)), { gamma: 0.9 });
    const twice = evaluatePolicy(m, greedy, { gamma: 0.95 });
    expect(bits(twice.vS).equals(bits(once.vS))).toBe(true);
    expect(twice.errorBound).toBe(once.errorBound);
  });
});
