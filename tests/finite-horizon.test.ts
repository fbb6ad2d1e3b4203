import { spawnSync } from "node:child_process";
import { afterAll, describe, expect, it } from "vitest";
import { finiteHorizonEvaluate, finiteHorizonPlan, planPolicyTables } from "../solvers/finite-horizon.js";
import { evaluatePolicy, uniformTable } from "../solvers/policy-evaluation.js";
import { valueIteration } from "../solvers/value-iteration.js";
import { randomIcuShapedMdp } from "../src/model/random-mdp.js";
import { cleanFixtures, tempDir } from "./helpers/io-fixture.js";
import { runCli } from "./helpers/run-cli.js";

afterAll(cleanFixtures);

const hasNumpy = spawnSync("python3", ["-c", "import numpy"]).status === 0;

/** Backward induction and forward propagation written independently in numpy, from dense arrays. */
const NUMPY = `
import json, sys
import numpy as np
d = json.load(sys.stdin)
S, A, H, g = d["S"], d["A"], d["H"], d["gamma"]
P = np.array(d["P"]).reshape(S, A, S)
r = P @ np.array(d["rS"])
term = np.array(d["terminal"], dtype=bool)
pi = np.array(d["pi"]).reshape(S, A)
V = np.zeros(S); W = np.zeros(S); policy = []
for t in range(H - 1, -1, -1):
    Q = r + g * P @ V
    best = Q.max(axis=1)
    tied = Q >= (best - 1e-12 * np.maximum(1, np.abs(best)))[:, None]
    policy.insert(0, np.where(term, -1, tied.argmax(axis=1)).tolist())
    V = np.where(term, 0.0, best)
    W = np.where(term, 0.0, (pi * (r + g * P @ W)).sum(axis=1))
mu = np.where(term, 0.0, np.array(d["d0"])); ended = np.where(term, np.array(d["d0"]), 0.0)
for t in range(H):
    flow = (mu[:, None, None] * pi[:, :, None] * P).sum(axis=(0, 1))
    ended += np.where(term, flow, 0.0); mu = np.where(term, 0.0, flow)
json.dump({"V0": V.tolist(), "policy": policy, "W0": W.tolist(), "ended": ended.tolist(), "alive": mu.sum()}, sys.stdout)
`;

describe("finite-horizon planning and evaluation", () => {
  const m = randomIcuShapedMdp(21, { states: 30, actions: 4, successors: 6, exitMass: 0.08 });
  // A seeded stochastic policy (rows normalised), so evaluation is checked beyond one-hot tables.
  const pi = new Float64Array(m.nS * m.nA);
  for (let s = 0; s < m.nS; s++) {
    let sum = 0;
    for (let a = 0; a < m.nA; a++) sum += pi[s * m.nA + a] = 1 + ((s * 7 + a * 13) % 5);
    for (let a = 0; a < m.nA; a++) pi[s * m.nA + a] = pi[s * m.nA + a]! / sum;
  }

  it.skipIf(!hasNumpy)(
    "matches a numpy backward induction and forward propagation to 1e-12 (H = 25, gamma 0.95)",
    () => {
      const H = 25;
      const gamma = 0.95;
      const dense = new Float64Array(m.nS * m.nA * m.nS);
      for (let row = 0; row < m.nS * m.nA; row++)
        for (let k = m.rowPtr[row]!; k < m.rowPtr[row + 1]!; k++)
          dense[row * m.nS + m.next[k]!] = dense[row * m.nS + m.next[k]!]! + m.prob[k]!;
      const input = {
        S: m.nS,
        A: m.nA,
        H,
        gamma,
        P: Array.from(dense),
        rS: Array.from((m.reward as { rS: Float64Array }).rS),
        terminal: Array.from(m.terminalS),
        d0: Array.from(m.d0),
        pi: Array.from(pi),
      };
      const run = spawnSync("python3", ["-c", NUMPY], { input: JSON.stringify(input), encoding: "utf8" });
      expect(run.status, run.stderr).toBe(0);
      const ref = JSON.parse(run.stdout) as {
        V0: number[];
        policy: number[][];
        W0: number[];
        ended: number[];
        alive: number;
      };
      const p = finiteHorizonPlan(m, { horizon: H, gamma, admissibleOnly: false });
      for (let s = 0; s < m.nS; s++) expect(Math.abs(p.valuesTS[s]! - ref.V0[s]!)).toBeLessThan(1e-12);
      for (let t = 0; t < H; t++)
        expect(Array.from(p.policyTS.subarray(t * m.nS, (t + 1) * m.nS))).toEqual(ref.policy[t]);
      const e = finiteHorizonEvaluate(m, pi, { horizon: H, gamma });
      for (let s = 0; s < m.nS; s++) expect(Math.abs(e.valueS[s]! - ref.W0[s]!)).toBeLessThan(1e-12);
      for (const t of e.terminalProbabilities)
        expect(Math.abs(t.probability - ref.ended[t.state]!)).toBeLessThan(1e-12);
      expect(Math.abs(e.aliveAtHorizon - ref.alive)).toBeLessThan(1e-12);
    },
  );

  it("the plan's own policy, evaluated, returns the plan's value; outcomes and alive mass sum to 1", () => {
    const p = finiteHorizonPlan(m, { horizon: 12, gamma: 1 });
    const e = finiteHorizonEvaluate(m, planPolicyTables(m, p), { horizon: 12, gamma: 1 });
    let start = 0;
    for (let s = 0; s < m.nS; s++) start += m.d0[s]! * p.valuesTS[s]!;
    expect(Math.abs(e.expectedReturn - start)).toBeLessThan(1e-14);
    const total = e.terminalProbabilities.reduce((acc, t) => acc + t.probability, e.aliveAtHorizon);
    expect(Math.abs(total - 1)).toBeLessThan(1e-14);
    expect(e.aliveAtHorizon).toBeGreaterThan(0.01);
  });

  it("approaches the infinite-horizon values as H grows (gamma = 1)", () => {
    const vi = valueIteration(m, { gamma: 1, tolerance: 1e-14, admissibleOnly: false, gaussSeidel: true });
    const exact = evaluatePolicy(m, uniformTable(m), { gamma: 1 });
    let previousGap = Number.POSITIVE_INFINITY;
    for (const H of [10, 50, 200, 800]) {
      const p = finiteHorizonPlan(m, { horizon: H, gamma: 1, admissibleOnly: false });
      let gap = 0;
      for (let s = 0; s < m.nS; s++) gap = Math.max(gap, Math.abs(p.valuesTS[s]! - vi.vS[s]!));
      expect(gap).toBeLessThanOrEqual(previousGap);
      previousGap = gap;
    }
    expect(previousGap).toBeLessThan(1e-10);
    const e = finiteHorizonEvaluate(m, uniformTable(m), { horizon: 800, gamma: 1 });
    expect(Math.abs(e.expectedReturn - exact.expectedReturn)).toBeLessThan(1e-10);
    expect(Math.abs(e.expectedSteps - exact.expectedLength!)).toBeLessThan(1e-8);
    expect(e.aliveAtHorizon).toBeLessThan(1e-12);
  });

  it("rejects a time-dependent policy of the wrong length and a non-integer horizon", () => {
    expect(() => finiteHorizonEvaluate(m, [pi, pi], { horizon: 3 })).toThrow(
      "the time-dependent policy has 2 steps, expected the horizon 3",
    );
    expect(() => finiteHorizonPlan(m, { horizon: 2.5 })).toThrow(
      "horizon must be a non-negative integer number of steps, got 2.5",
    );
  });
});

describe("solve / evaluate --horizon", () => {
  it("solve writes the time-dependent policy that evaluate reads back; JSON carries values and return", async () => {
    const out = await tempDir();
    const dir = "data/demo";
    const solved = await runCli("solve", dir, "--horizon", "6", "--out", out, "--json");
    expect(solved.code).toBe(0);
    const s = JSON.parse(solved.out);
    expect(s.values).toHaveLength(43);
    expect(s.policyByStep).toHaveLength(6);
    const ev = await runCli("evaluate", dir, "--policy", `${out}/policy.csv`, "--horizon", "6", "--json");
    expect(ev.code).toBe(0);
    const e = JSON.parse(ev.out);
    expect(Math.abs(e.return - s.startValue)).toBeLessThan(1e-14);
    const total = e.terminalProbabilities.reduce(
      (acc: number, t: { probability: number }) => acc + t.probability,
      0,
    );
    expect(Math.abs(total + e.aliveAtHorizon - 1)).toBeLessThan(1e-14);
    const text = await runCli("evaluate", dir, "--policy", "optimal", "--horizon", "6");
    expect(text.out).toContain(`expected return within 6 steps  ${s.startValue.toFixed(6)}`);
  });
});
