import { describe, expect, it } from "vitest";
import { deterministicTable, evaluatePolicy, uniformTable, valueIteration } from "../solvers/index.js";
import { UsageError } from "../src/core/errors.js";
import { monteCarlo } from "../src/env/monte-carlo.js";
import { TabularEnv } from "../src/env/tabular-env.js";
import { randomIcuShapedMdp } from "../src/model/random-mdp.js";
import { geometricChain } from "./helpers/tiny-mdps.js";

describe("TabularEnv", () => {
  const m = randomIcuShapedMdp(7, { states: 20, actions: 3, admissibility: true });

  it("is Gymnasium-shaped and deterministic in the seed", () => {
    const run = (seed: number): number[] => {
      const env = new TabularEnv(m);
      const [s0, info] = env.reset({ seed });
      expect(info.admissibleActions.length).toBeGreaterThan(0);
      const trace = [s0];
      for (let t = 0; t < 50; t++) {
        const [s, r, terminated, truncated] = env.step(t % 3);
        trace.push(s, r);
        if (terminated || truncated) break;
      }
      return trace;
    };
    expect(run(1)).toEqual(run(1));
    expect(run(1)).not.toEqual(run(2));
  });

  it("rejects unseeded resets, bad actions and steps after the end", () => {
    const env = new TabularEnv(m);
    expect(() => env.reset()).toThrow(/seed/);
    env.reset({ seed: 3 });
    expect(() => env.step(3)).toThrow(/out of range/);
    expect(() => env.step(-1)).toThrow(UsageError);
    expect(() => env.step(0.5)).toThrow(/integer/);
    let done = false;
    while (!done) {
      const [, , terminated, truncated] = env.step(0);
      done = terminated || truncated;
    }
    expect(() => env.step(0)).toThrow(/after the episode ended/);
  });

  it("rewards R(s') and terminates on entering death or survival", () => {
    const env = new TabularEnv(geometricChain(0.3, 0.1));
    env.reset({ seed: 9 });
    let last: [number, number, boolean, boolean] = [0, 0, false, false];
    for (let t = 0; t < 1000 && !last[2]; t++) {
      const [s, r, term, trunc] = env.step(0);
      last = [s, r, term, trunc];
    }
    expect(last[2]).toBe(true);
    expect(last[1]).toBe(last[0] === 2 ? 1 : 0);
  });

  it("truncates at maxEpisodeSteps and not before", () => {
    const env = new TabularEnv(geometricChain(0.3, 0.1), { maxEpisodeSteps: 4 });
    env.reset({ seed: 1 });
    for (let t = 1; t <= 4; t++) {
      const [, , terminated, truncated] = env.step(1); // action 1 never terminates
      expect(terminated).toBe(false);
      expect(truncated).toBe(t === 4);
    }
  });

  it("inadmissible strategies: terminate goes to death with reward 0, raise throws", () => {
    const row = m.admissibleSA.indexOf(0);
    expect(row).toBeGreaterThanOrEqual(0); // the fixture has inadmissible actions
    const s = Math.floor(row / m.nA);
    const bad = row % m.nA;
    const term = new TabularEnv(m, { inadmissible: "terminate" });
    term.reset({ seed: 1 });
    term.state = s;
    const [next, r, terminated] = term.step(bad);
    expect([next, r, terminated]).toEqual([m.nS - 3, 0, true]);
    const raise = new TabularEnv(m, { inadmissible: "raise" });
    raise.reset({ seed: 1 });
    raise.state = s;
    expect(() => raise.step(bad)).toThrow(/not admissible/);
  });
});

describe("transition sampling", () => {
  it("draws each successor with its stored probability, for admissible rows and mean-rule rows alike", () => {
    const m = randomIcuShapedMdp(21, { states: 12, actions: 4, successors: 5, admissibility: true });
    const env = new TabularEnv(m);
    const draws = 200_000;
    // One admissible and one inadmissible (mean-rule) row of the same state.
    const s = Array.from({ length: 12 }, (_, i) => i).find((i) => {
      const flags = Array.from(m.admissibleSA.subarray(i * 4, i * 4 + 4));
      return flags.includes(0) && flags.includes(1);
    })!;
    expect(s).toBeDefined();
    for (const a of [m.admissibleSA.indexOf(1, s * 4) - s * 4, m.admissibleSA.indexOf(0, s * 4) - s * 4]) {
      env.reset({ seed: 100 + a });
      const counts = new Float64Array(m.nS);
      for (let i = 0; i < draws; i++) {
        env.state = s;
        env.terminated = false;
        env.truncated = false;
        env.elapsed = 0;
        counts[env.stepFast(a)]!++;
      }
      const r = s * m.nA + a;
      const p = new Float64Array(m.nS);
      for (let k = m.rowPtr[r]!; k < m.rowPtr[r + 1]!; k++) p[m.next[k]!] = m.prob[k]!;
      for (let t = 0; t < m.nS; t++) {
        const se = Math.sqrt((p[t]! * (1 - p[t]!)) / draws);
        expect(Math.abs(counts[t]! / draws - p[t]!)).toBeLessThanOrEqual(4.5 * se + 1e-12);
      }
    }
  });
});

describe("Monte Carlo through the env agrees with exact evaluation", () => {
  for (const seed of [1, 2, 3]) {
    it(`random MDP ${seed}: random and optimal policies within 3 standard errors`, () => {
      const m = randomIcuShapedMdp(seed, { states: 25, actions: 4, exitMass: 0.15 });
      const opt = deterministicTable(m, valueIteration(m).policyS);
      for (const pi of [uniformTable(m), opt]) {
        const exact = evaluatePolicy(m, pi);
        const mc = monteCarlo(m, pi, { episodes: 20_000, seed: seed * 13 });
        expect(Math.abs(mc.return.mean - exact.expectedReturn)).toBeLessThan(3 * mc.return.stderr);
        expect(Math.abs(mc.length.mean - exact.expectedLength!)).toBeLessThan(3 * mc.length.stderr);
      }
    });
  }
});
