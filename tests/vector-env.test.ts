import { describe, expect, it } from "vitest";
import { deterministicTable, evaluatePolicy, uniformTable, valueIteration } from "../solvers/index.js";
import { UsageError } from "../src/core/errors.js";
import { TabularVectorEnv } from "../src/env/vector-env.js";
import { csrFromDense, makeMdp } from "../src/model/build.js";
import type { TabularMdp } from "../src/model/mdp.js";
import { randomIcuShapedMdp } from "../src/model/random-mdp.js";
import { geometricChain } from "./helpers/tiny-mdps.js";
import { wideChainMdp } from "./helpers/wide-mdp.js";

/**
 * Runs the first `perEnv` episodes of every episode slot (each slot's episodes are independent and
 * identically distributed, so no slot's long episodes are cut off) and returns their returns and lengths.
 */
function rollouts(
  env: TabularVectorEnv,
  perEnv: number,
  act: (env: TabularVectorEnv) => void,
): { returns: number[]; lengths: number[] } {
  const k = env.numEnvs;
  const ret = new Float64Array(k);
  const len = new Int32Array(k);
  const done = new Int32Array(k);
  const returns: number[] = [];
  const lengths: number[] = [];
  let finished = 0;
  while (finished < k) {
    act(env);
    env.step();
    for (let e = 0; e < k; e++) {
      if (done[e]! >= perEnv) continue;
      ret[e] = ret[e]! + env.rewards[e]!;
      len[e] = len[e]! + 1;
      if (env.terminated[e] === 1 || env.truncated[e] === 1) {
        returns.push(ret[e]!);
        lengths.push(len[e]!);
        ret[e] = 0;
        len[e] = 0;
        done[e] = done[e]! + 1;
        if (done[e] === perEnv) finished++;
      }
    }
  }
  return { returns, lengths };
}

function meanAndStderr(xs: number[]): [number, number] {
  const n = xs.length;
  const mean = xs.reduce((a, b) => a + b, 0) / n;
  const variance = xs.reduce((a, b) => a + (b - mean) ** 2, 0) / (n - 1);
  return [mean, Math.sqrt(variance / n)];
}

describe("TabularVectorEnv", () => {
  for (const seed of [1, 2]) {
    it(`Monte Carlo with random and optimal actions agrees with exact evaluation (MDP ${seed})`, () => {
      const m = randomIcuShapedMdp(seed, { states: 25, actions: 4, exitMass: 0.15, admissibility: true });
      const policyS = valueIteration(m).policyS;
      const cases: [Float64Array, (env: TabularVectorEnv) => void][] = [
        [uniformTable(m), (env) => env.sampleActions()],
        [
          deterministicTable(m, policyS),
          (env) => {
            for (let e = 0; e < env.numEnvs; e++) env.actions[e] = policyS[env.states[e]!]!;
          },
        ],
      ];
      for (const [pi, act] of cases) {
        const exact = evaluatePolicy(m, pi);
        const env = new TabularVectorEnv(m, { numEnvs: 50 });
        env.reset({ seed: seed * 7 });
        const { returns, lengths } = rollouts(env, 400, act);
        const [r, rSe] = meanAndStderr(returns);
        const [l, lSe] = meanAndStderr(lengths);
        expect(Math.abs(r - exact.expectedReturn)).toBeLessThan(3.5 * rSe);
        expect(Math.abs(l - exact.expectedLength!)).toBeLessThan(3.5 * lSe);
      }
    });
  }

  it("pays R(s, a) when the reward table is indexed by state and action", () => {
    // State 0: action 0 pays 2 and stays w.p. 0.5 (else ends); action 1 pays 1 and ends. State 1 terminal.
    const dense = Float64Array.of(0.5, 0.5, 0, 1, 0, 1, 0, 1);
    const m: TabularMdp = makeMdp({
      nS: 2,
      nA: 2,
      ...csrFromDense(dense, 4, 2),
      reward: { kind: "state-action", rSA: Float64Array.of(2, 1, 0, 0) },
      d0: Float64Array.of(1, 0),
      metadata: { terminal_states: [1] },
    });
    const env = new TabularVectorEnv(m, { numEnvs: 40 });
    env.reset({ seed: 5 });
    const { returns } = rollouts(env, 200, (e) => e.actions.fill(0));
    const [r, se] = meanAndStderr(returns);
    expect(Math.abs(r - 4)).toBeLessThan(3.5 * se); // 2 per step, 2 steps on average
  });

  it("is deterministic in the seed, and the seed matters", () => {
    const m = randomIcuShapedMdp(3, { states: 30, actions: 3 });
    const trace = (seed: number): number[] => {
      const env = new TabularVectorEnv(m, { numEnvs: 8 });
      const out = Array.from(env.reset({ seed }));
      for (let t = 0; t < 40; t++) {
        env.sampleActions();
        env.step();
        out.push(...env.finalStates, ...env.rewards, ...env.terminated, ...env.states);
      }
      return out;
    };
    expect(trace(1)).toEqual(trace(1));
    expect(trace(1)).not.toEqual(trace(2));
  });

  it("sampleAndStep gives exactly the actions and trajectories of sampleActions then step", () => {
    const m = randomIcuShapedMdp(6, { states: 40, actions: 5, admissibility: true });
    const policy = uniformTable(m).map((p, k) => p * (1 + (k % 3))); // unequal weights: the alias path
    for (let s = 0; s < m.nS; s++) {
      const row = policy.subarray(s * m.nA, (s + 1) * m.nA);
      const z = row.reduce((a, b) => a + b, 0);
      row.forEach((p, a) => {
        row[a] = p / z;
      });
    }
    for (const pi of [null, policy]) {
      const trace = (fused: boolean): number[] => {
        const env = new TabularVectorEnv(m, { numEnvs: 9, maxEpisodeSteps: 6 });
        env.reset({ seed: 11 });
        env.setPolicy(pi);
        const out: number[] = [];
        for (let t = 0; t < 60; t++) {
          if (fused) env.sampleAndStep();
          else {
            env.sampleActions();
            env.step();
          }
          out.push(...env.actions, ...env.finalStates, ...env.rewards, ...env.truncated, ...env.states);
        }
        return out;
      };
      expect(trace(true)).toEqual(trace(false));
    }
  });

  it("steps MDPs whose state ids do not fit in 16 bits (the wide record layout)", () => {
    // 70,000 states: from s, go to s + 1 or s + 2 with probability 1/2 each; the last two states are terminal.
    const m = wideChainMdp({ nS: 70_000, moves: [[1, 2]], pFirst: 0.5, starts: [65_530], reward: (s) => s });
    const env = new TabularVectorEnv(m, { numEnvs: 64, maxEpisodeSteps: 10_000 });
    env.reset({ seed: 3 });
    let twos = 0;
    let moves = 0;
    for (let t = 0; t < 200; t++) {
      const from = Array.from(env.states);
      env.sampleAndStep();
      for (let e = 0; e < env.numEnvs; e++) {
        const d = env.finalStates[e]! - from[e]!;
        expect(d === 1 || d === 2).toBe(true);
        expect(env.rewards[e]).toBe(env.finalStates[e]);
        twos += d === 2 ? 1 : 0;
        moves++;
      }
    }
    expect(Math.abs(twos / moves - 0.5)).toBeLessThan(0.03);
  });

  it("truncates at maxEpisodeSteps, reports the state entered and restarts the episode", () => {
    const env = new TabularVectorEnv(geometricChain(0.3, 0.1), { numEnvs: 3, maxEpisodeSteps: 4 });
    env.reset({ seed: 1 });
    for (let t = 1; t <= 4; t++) {
      env.step([1, 1, 1]); // action 1 never terminates
      expect(Array.from(env.terminated)).toEqual([0, 0, 0]);
      expect(Array.from(env.truncated)).toEqual(t === 4 ? [1, 1, 1] : [0, 0, 0]);
      expect(Array.from(env.elapsed)).toEqual(t === 4 ? [0, 0, 0] : [t, t, t]);
    }
    expect(Array.from(env.finalStates)).toEqual([0, 0, 0]);
    expect(Array.from(env.states)).toEqual([0, 0, 0]); // the chain starts in state 0 again
  });

  it("rejects bad actions before moving anything, and use before a seeded reset", () => {
    const m = randomIcuShapedMdp(4, { states: 10, actions: 3 });
    const env = new TabularVectorEnv(m, { numEnvs: 4 });
    expect(() => env.step()).toThrow(/seed/);
    expect(() => env.reset()).toThrow(/seed/);
    env.reset({ seed: 2 });
    const before = Array.from(env.states);
    expect(() => env.step([0, 1, 3, 0])).toThrow(/action 3 of episode 2 is out of range/);
    expect(() => env.step([0, -1, 0, 0])).toThrow(UsageError);
    expect(() => env.step([0, 0.5, 0, 0])).toThrow(/not an integer/);
    expect(() => env.step([0, 0])).toThrow(/2 actions for 4 episodes/);
    expect(Array.from(env.states)).toEqual(before);
    expect(() => new TabularVectorEnv(m, { numEnvs: 0 })).toThrow(/numEnvs/);
  });

  it("setPolicy: actions follow the policy table (exactly, for a deterministic one); null goes back to uniform", () => {
    const m = randomIcuShapedMdp(5, { states: 30, actions: 4 });
    const policyS = valueIteration(m).policyS;
    const env = new TabularVectorEnv(m, { numEnvs: 16 });
    env.reset({ seed: 3 });
    env.setPolicy(deterministicTable(m, policyS));
    for (let t = 0; t < 50; t++) {
      env.sampleActions();
      for (let e = 0; e < env.numEnvs; e++) expect(env.actions[e]).toBe(policyS[env.states[e]!]);
      env.step();
    }
    env.setPolicy(null);
    const seen = new Set<number>();
    for (let t = 0; t < 20; t++) for (const a of env.sampleActions()) seen.add(a);
    expect(seen.size).toBe(m.nA);
    expect(() => env.setPolicy(new Float64Array(3))).toThrow(/expected 33 x 4/);
  });

  it("inadmissible strategies: terminate goes to death with reward 0, raise throws", () => {
    const m = randomIcuShapedMdp(7, { states: 20, actions: 3, admissibility: true });
    const row = m.admissibleSA.indexOf(0);
    const s = Math.floor(row / m.nA);
    const bad = row % m.nA;
    // Put the one episode in s (the state buffer is writable), then take the bad action.
    const term = new TabularVectorEnv(m, { numEnvs: 1, inadmissible: "terminate" });
    const raise = new TabularVectorEnv(m, { numEnvs: 1, inadmissible: "raise" });
    for (const env of [term, raise]) {
      env.reset({ seed: 1 });
      env.states[0] = s;
    }
    term.step([bad]);
    expect([term.finalStates[0], term.rewards[0], term.terminated[0]]).toEqual([m.nS - 3, 0, 1]);
    expect(() => raise.step([bad])).toThrow(/not admissible in state/);
    expect(raise.states[0]).toBe(s); // nothing moved
    // Uniform random actions in a state with an inadmissible action: the fused draw raises too, sooner or later.
    expect(() => {
      for (let t = 0; t < 200; t++) {
        raise.states[0] = s;
        raise.sampleAndStep();
      }
    }).toThrow(new RegExp(`action \\d+ of episode 0 is not admissible in state ${s} `));
  });
});
