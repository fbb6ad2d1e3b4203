import { describe, expect, it } from "vitest";
import { continuation } from "../solvers/bellman.js";
import { bellmanKernelSpace } from "../solvers/bellman-kernels.js";
import { compactRows } from "../solvers/compact-rows.js";
import { canReach } from "../solvers/end-components.js";
import { deterministicTable, evaluatePolicy } from "../solvers/index.js";
import { denseSolveInPlace } from "../solvers/linear/dense-lu.js";
import { sparseDot } from "../solvers/linear/kernels.js";
import { policyChain, terminationStructure } from "../solvers/policy-matrix.js";
import { jacobiSweeper } from "../solvers/sweep-threads.js";
import { sweepSpace, valueIteration } from "../solvers/value-iteration.js";
import { seeded } from "../src/core/rng.js";
import { actionSets } from "../src/model/action-sets.js";
import { csrFromDense, makeMdp } from "../src/model/build.js";
import { expectedRewardSA, type TabularMdp } from "../src/model/mdp.js";
import { randomIcuShapedMdp } from "../src/model/random-mdp.js";
import { randomSparseMdp } from "../src/model/random-sparse-mdp.js";

/** Rows of 1 to 12 successors, so a state's winning row changes between rows of different lengths. */
function unevenRowsMdp(seed: number, nS: number, nA: number): TabularMdp {
  const rng = seeded(seed);
  const dense = new Float64Array(nS * nA * nS);
  for (let row = 0; row < nS * nA; row++) {
    const k = 1 + rng.int(12);
    for (let i = 0; i < k; i++) {
      const at = row * nS + rng.int(nS);
      dense[at] = dense[at]! + rng.next() + 0.01;
    }
    let sum = 0;
    for (let t = 0; t < nS; t++) sum += dense[row * nS + t]!;
    for (let t = 0; t < nS; t++) dense[row * nS + t] = dense[row * nS + t]! / sum;
  }
  return makeMdp({
    nS,
    nA,
    ...csrFromDense(dense, nS * nA, nS),
    reward: { kind: "state-action", rSA: Float64Array.from({ length: nS * nA }, () => rng.next()) },
    d0: new Float64Array(nS).fill(1 / nS),
    terminalS: new Uint8Array(nS),
  });
}

describe("WebAssembly kernels", () => {
  for (const [gaussSeidel, label, m] of [
    [
      false,
      "ICU-shaped",
      randomIcuShapedMdp(7, { states: 80, actions: 5, successors: 9, admissibility: true }),
    ],
    [
      true,
      "ICU-shaped",
      randomIcuShapedMdp(7, { states: 80, actions: 5, successors: 9, admissibility: true }),
    ],
    [false, "uneven rows", unevenRowsMdp(3, 60, 6)],
    [true, "uneven rows", unevenRowsMdp(3, 60, 6)],
  ] as const) {
    it(`a ${gaussSeidel ? "Gauss-Seidel" : "Jacobi"} Bellman sweep equals the JavaScript one bit for bit, sweep after sweep (${label})`, () => {
      // Many sweeps to convergence, so the kernel's bound-based row skipping is exercised where it matters.
      const rows = compactRows(m, actionSets(m, true), expectedRewardSA(m), continuation(m, 0.97));
      const { view, at, kernels } = sweepSpace(
        m,
        actionSets(m, true),
        expectedRewardSA(m),
        continuation(m, 0.97),
      );
      const v = new Float64Array(m.nS);
      let drift = 0;
      let sweeps = 0;
      for (let residual = 1; residual > 1e-12; sweeps++) {
        // The reference: the same sweep in plain JavaScript, every row computed.
        const old = gaussSeidel ? v : v.slice();
        residual = 0;
        for (let s = 0; s < m.nS; s++) {
          if (rows.statePtr[s] === rows.statePtr[s + 1]) continue;
          let best = Number.NEGATIVE_INFINITY;
          for (let r = rows.statePtr[s]!; r < rows.statePtr[s + 1]!; r++) {
            const q =
              rows.reward[r]! + sparseDot(rows.next, rows.weight, old, rows.rowPtr[r]!, rows.rowPtr[r + 1]!);
            if (q > best) best = q;
          }
          residual = Math.max(residual, Math.abs(best - v[s]!));
          v[s] = best;
        }
        if (!gaussSeidel) view.old.set(view.v);
        const got = kernels.bellmanSweep(0, m.nS, at.frame, gaussSeidel ? at.v : at.old, drift, 1);
        drift += got;
        expect(got).toBe(residual);
        expect(Array.from(view.v)).toEqual(Array.from(v));
      }
      expect(sweeps).toBeGreaterThan(100);
    });
  }

  it("late Jacobi sweeps compute little more than each state's winning row", () => {
    // A row computed by a sweep gets a new bound (Q minus that sweep's drift), so the bounds that change
    // count the rows computed besides the winners, whose copies stand for them.
    const m = randomSparseMdp(8, { states: 2000, actions: 8, successors: 6 });
    const sets = actionSets(m, false);
    const { view, at, kernels, rows } = sweepSpace(m, sets, expectedRewardSA(m), continuation(m, 0.99));
    const scale = 0.99 * (1 + 1e-12);
    let drift = 0;
    const computed: number[] = [];
    for (let sweep = 0; sweep < 40; sweep++) {
      const before = view.bound.slice();
      view.old.set(view.v);
      drift += scale * kernels.bellmanSweep(0, m.nS, at.frame, at.old, drift, scale);
      let changed = 0;
      for (let r = 0; r < rows.reward.length; r++) if (!Object.is(view.bound[r], before[r])) changed++;
      computed.push(changed / rows.reward.length);
    }
    // The first sweep computes every row but the copies of the first rows (whose bound is written only when
    // they lose).
    expect(computed[0]).toBeGreaterThanOrEqual(7 / 8);
    expect(Math.max(...computed.slice(30))).toBeLessThan(0.05);
  });

  for (const [label, m, gamma] of [
    ["continuing, gamma = 0.95", randomSparseMdp(5, { states: 3000, actions: 4, successors: 6 }), 0.95],
    [
      "episodic, gamma = 1",
      randomSparseMdp(6, { states: 2000, actions: 5, successors: 7, exitProbability: 0.02 }),
      1,
    ],
  ] as const) {
    it(`Jacobi sweeps split over two threads give the single thread's results to the bit (${label})`, () => {
      const options = { gamma, tolerance: 1e-11, maxIterations: 5000 };
      const one = valueIteration(m, { ...options, threadedFrom: Number.POSITIVE_INFINITY });
      const two = valueIteration(m, { ...options, threadedFrom: 0 });
      expect(one.report.iterations).toBeGreaterThan(50);
      expect(two.report).toEqual(one.report);
      expect(Buffer.from(two.vS.buffer).equals(Buffer.from(one.vS.buffer))).toBe(true);
      expect(Buffer.from(two.qSA.buffer).equals(Buffer.from(one.qSA.buffer))).toBe(true);
      expect(Array.from(two.policyS)).toEqual(Array.from(one.policyS));
    });
  }

  it("the helper thread sweeps correctly on its own (a failed start would fall back to one thread)", () => {
    const m = randomSparseMdp(7, { states: 500, actions: 3, successors: 4 });
    const sets = actionSets(m, false);
    const space = sweepSpace(m, sets, expectedRewardSA(m), continuation(m, 0.9));
    const { rows } = space;
    const sweeper = jacobiSweeper(
      space.kernels,
      { memory: space.memory, module: space.modules[0]! },
      space.at,
      rows.statePtr,
      rows.rowPtr,
      1,
      2,
      true,
    );
    try {
      space.view.old.set(space.view.v);
      expect(sweeper.sweep(0)).toBeGreaterThan(0);
      expect(sweeper.threads()).toBe(2);
      // After one sweep from V = 0 every state holds its best one-step reward (all swept by the helper).
      const rSA = expectedRewardSA(m);
      for (const s of [0, m.nS - 1]) {
        let best = Number.NEGATIVE_INFINITY;
        for (let a = 0; a < m.nA; a++) best = Math.max(best, rSA[s * m.nA + a]!);
        expect(space.view.v[s]).toBe(best);
      }
    } finally {
      sweeper.close();
    }
  });

  it("separate kernel spaces do not share memory", () => {
    const a = bellmanKernelSpace({ x: { type: "f64", length: 4 } });
    const b = bellmanKernelSpace({ x: { type: "f64", length: 4 } });
    a.view.x.fill(1);
    expect(Array.from(b.view.x)).toEqual([0, 0, 0, 0]);
  });
});

/** Dense I - g P_pi over the non-terminal states and the right-hand sides r_pi and 1, solved by LU. */
function denseEvaluation(
  m: TabularMdp,
  policyS: Int32Array,
  g: number,
): { v: Float64Array; len: Float64Array } {
  const live: number[] = [];
  for (let s = 0; s < m.nS; s++) if (m.terminalS[s] === 0) live.push(s);
  const index = new Map(live.map((s, i) => [s, i]));
  const n = live.length;
  const a = new Float64Array(n * n);
  const v = new Float64Array(n);
  const len = new Float64Array(n).fill(1);
  const rSA = expectedRewardSA(m);
  live.forEach((s, i) => {
    a[i * n + i] = 1;
    const row = s * m.nA + policyS[s]!;
    v[i] = rSA[row]!;
    for (let k = m.rowPtr[row]!; k < m.rowPtr[row + 1]!; k++) {
      const j = index.get(m.next[k]!);
      if (j !== undefined) a[i * n + j] = a[i * n + j]! - g * m.prob[k]!;
    }
  });
  const a2 = a.slice();
  denseSolveInPlace(a, n, [v]);
  if (g === 1) denseSolveInPlace(a2, n, [len]);
  const out = { v: new Float64Array(m.nS), len: new Float64Array(m.nS) };
  live.forEach((s, i) => {
    out.v[s] = v[i]!;
    out.len[s] = len[i]!;
  });
  return out;
}

describe("exact evaluation of deterministic policies (chains that share the MDP's arrays)", () => {
  for (const gamma of [1, 0.95]) {
    it(`matches a dense direct solve to 1e-10, gamma ${gamma}`, () => {
      const m = randomIcuShapedMdp(11, { states: 200, actions: 4, successors: 15, exitMass: 0.04 });
      const policyS = valueIteration(m, { gamma }).policyS;
      const ev = evaluatePolicy(m, deterministicTable(m, policyS), { gamma });
      const ref = denseEvaluation(m, policyS, gamma);
      for (let s = 0; s < m.nS; s++) {
        expect(Math.abs(ev.vS[s]! - ref.v[s]!)).toBeLessThan(1e-10);
        if (gamma === 1) expect(Math.abs(ev.lengthS![s]! - ref.len[s]!)).toBeLessThan(1e-10);
      }
    });
  }
});

/** States from which some path under the chain enters a terminal state, by naive fixed-point iteration. */
function naiveCanReach(m: TabularMdp, succ: number[][]): Uint8Array {
  const mark = Uint8Array.from(m.terminalS);
  for (let changed = true; changed; ) {
    changed = false;
    for (let s = 0; s < m.nS; s++) {
      if (mark[s] === 0 && succ[s]!.some((t) => mark[t] === 1)) {
        mark[s] = 1;
        changed = true;
      }
    }
  }
  return mark;
}

describe("termination structure", () => {
  for (const seed of [1, 2, 3, 4, 5, 6]) {
    it(`agrees with naive reachability on a random MDP with traps (seed ${seed})`, () => {
      // Seeds 1-3: a long chain 0 -> 1 -> ... with traps (states that only loop on themselves), so the cheap
      // forward passes run out and the backward search decides. Seeds 4-6: a chain towards state 0, which
      // enters the terminal state, and no traps: the forward passes settle it.
      const rng = seeded(seed);
      const nS = 60;
      const nA = 2;
      const forward = seed <= 3;
      const traps = new Set(forward ? [50, 51, 52] : []);
      const terminal = 59;
      const dense = new Float64Array(nS * nA * nS);
      for (let s = 0; s < nS; s++) {
        for (let a = 0; a < nA; a++) {
          const row = (s * nA + a) * nS;
          if (traps.has(s) || s === terminal) {
            dense[row + s] = 1;
            continue;
          }
          const targets = [forward ? s + 1 : Math.max(0, s - 1)];
          if (rng.next() < 0.3) targets.push(rng.int(nS));
          if (s === (forward ? 48 : 0)) targets.push(terminal);
          for (const t of targets) dense[row + t] = dense[row + t]! + 1 / targets.length;
        }
      }
      const m = makeMdp({
        nS,
        nA,
        ...csrFromDense(dense, nS * nA, nS),
        reward: { kind: "next-state", rS: new Float64Array(nS) },
        d0: Float64Array.from({ length: nS }, (_, s) => (s === 0 ? 1 : 0)),
        metadata: { terminal_states: [terminal] },
      });
      const policyS = Int32Array.from({ length: nS }, () => rng.int(2));
      const chain = policyChain(m, deterministicTable(m, policyS), expectedRewardSA(m));
      const succ = Array.from({ length: nS }, (_, s) =>
        m.terminalS[s] === 1 ? [] : Array.from(chain.col.subarray(chain.start[s]!, chain.end[s]!)),
      );
      const { canReachT, mayAvoidT } = terminationStructure(m, chain);
      const canReach = naiveCanReach(m, succ);
      expect(Array.from(canReachT)).toEqual(Array.from(canReach));
      // mayAvoidT: some path reaches a state that cannot reach a terminal state.
      const cannot = Uint8Array.from(canReach, (c) => 1 - c);
      const avoid = naiveCanReach({ ...m, terminalS: cannot }, succ);
      expect(Array.from(mayAvoidT)).toEqual(Array.from(avoid));
    });
  }
});

describe("reachability over a subset of an MDP's rows", () => {
  for (const seed of [1, 2, 3]) {
    it(`canReach agrees with naive reachability over the allowed rows' positive entries (seed ${seed})`, () => {
      const m = randomIcuShapedMdp(seed, { states: 70, actions: 3, successors: 2, exitMass: 0.05 });
      const rng = seeded(`rows-${seed}`);
      const rows = Uint8Array.from({ length: m.nS * m.nA }, () => (rng.next() < 0.4 ? 1 : 0));
      // A few zero-probability entries, which a graph search must not follow.
      const prob = Float64Array.from(m.prob, (p) => (rng.next() < 0.05 ? 0 : p));
      const sparse = { ...m, prob };
      const succ = Array.from({ length: m.nS }, (_, s) => {
        const out: number[] = [];
        for (let a = 0; a < m.nA; a++) {
          const row = s * m.nA + a;
          if (rows[row] === 0) continue;
          for (let k = m.rowPtr[row]!; k < m.rowPtr[row + 1]!; k++) if (prob[k]! > 0) out.push(m.next[k]!);
        }
        return out;
      });
      const fromS = Uint8Array.from({ length: m.nS }, (_, s) => (s % 17 === 3 ? 1 : 0));
      expect(Array.from(canReach(sparse, rows, fromS))).toEqual(
        Array.from(naiveCanReach({ ...m, terminalS: fromS }, succ)),
      );
    });
  }
});

describe("the chain of a policy that mixes actions", () => {
  /** sum_a pi(a|s) P(t|s,a) per state, successors in increasing order, terms added in a then entry order. */
  function directChain(m: TabularMdp, piSA: Float64Array): { col: number[]; val: number[] }[] {
    return Array.from({ length: m.nS }, (_, s) => {
      if (m.terminalS[s] === 1) return { col: [], val: [] };
      const acc = new Map<number, number>();
      for (let a = 0; a < m.nA; a++) {
        const w = piSA[s * m.nA + a]!;
        if (w === 0) continue;
        for (let k = m.rowPtr[s * m.nA + a]!; k < m.rowPtr[s * m.nA + a + 1]!; k++) {
          acc.set(m.next[k]!, (acc.get(m.next[k]!) ?? 0) + w * m.prob[k]!);
        }
      }
      const col = [...acc.keys()].sort((x, y) => x - y);
      return { col, val: col.map((t) => acc.get(t)!) };
    });
  }

  it("gives the directly summed rows bit for bit, as the policy's weights and its support change", () => {
    const m = randomIcuShapedMdp(31, { states: 60, actions: 5, successors: 7, admissibility: true });
    const rng = seeded(5);
    // Epsilon-greedy policies over two supports (admissible actions, then all actions), several weights
    // each, in an order that switches support back and forth (the chain's pattern cache must follow).
    const policy = (all: boolean): Float64Array => {
      const pi = new Float64Array(m.nS * m.nA);
      for (let s = 0; s < m.nS; s++) {
        const allowed = [...Array(m.nA).keys()].filter((a) => all || m.admissibleSA[s * m.nA + a] === 1);
        const greedy = allowed[rng.int(allowed.length)]!;
        const eps = 0.05 + 0.9 * rng.next();
        for (const a of allowed) pi[s * m.nA + a] = eps / allowed.length + (a === greedy ? 1 - eps : 0);
      }
      return pi;
    };
    for (const all of [false, false, true, false, true, true]) {
      const pi = policy(all);
      const chain = policyChain(m, pi, expectedRewardSA(m));
      const got = Array.from({ length: m.nS }, (_, s) => ({
        col: Array.from(chain.col.subarray(chain.start[s]!, chain.end[s]!)),
        val: Array.from(chain.val.subarray(chain.start[s]!, chain.end[s]!)),
      }));
      expect(got).toEqual(directChain(m, pi));
    }
  });
});
