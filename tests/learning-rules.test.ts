import { describe, expect, it } from "vitest";
import { deterministicTable, evaluatePolicy, valueIteration } from "../solvers/index.js";
import { ALGOS, type LearnParams, runEpisodes } from "../solvers/learning/index.js";
import { UsageError } from "../src/core/errors.js";
import { CLIFF, cliffPath, cliffWalk, loopMdp, randomMdp } from "./helpers/learning-mdps.js";

const tuned: Partial<LearnParams> = {
  alpha: 1,
  alphaSchedule: "visits",
  omega: 0.7,
  epsilon: 0.3,
  gamma: 0.9,
  lambda: 0.5,
};

describe("each learner reaches the optimal value on small MDPs", () => {
  for (const seed of [1, 2]) {
    const m = randomMdp(6, 3, seed);
    const opt = evaluatePolicy(m, deterministicTable(m, valueIteration(m, { gamma: 0.9 }).policyS), {
      gamma: 0.9,
    }).expectedReturn;
    for (const algo of ALGOS) {
      it(`${algo}, random MDP ${seed}: greedy return within 1 % of ${opt.toFixed(3)}`, () => {
        const r = runEpisodes(m, { ...tuned, algo }, { episodes: 20_000, seed: 7 });
        const v = evaluatePolicy(m, deterministicTable(m, r.greedyS), { gamma: 0.9 }).expectedReturn;
        expect(Math.abs(v - opt) / Math.abs(opt)).toBeLessThan(0.01);
      });
    }
  }
});

describe("cliff walking (epsilon = 0.1, alpha = 0.1)", () => {
  const m = cliffWalk();
  const run = (algo: LearnParams["algo"]) =>
    runEpisodes(m, { algo, alpha: 0.1, epsilon: 0.1, maxEpisodeSteps: 1000 }, { episodes: 2000, seed: 3 });
  it("Q-learning learns the optimal path along the cliff (13 moves)", () => {
    const path = cliffPath(m, run("q-learning").greedyS);
    expect(path.at(-1)).toBe(CLIFF.goal);
    expect(path.length - 1).toBe(13);
  });
  it("SARSA learns a safe path away from the cliff edge", () => {
    const path = cliffPath(m, run("sarsa").greedyS);
    expect(path.at(-1)).toBe(CLIFF.goal);
    expect(path.length - 1).toBeGreaterThan(13);
    // At most one cell of the row next to the cliff (columns 1-10) on the way.
    const col = (s: number): number => s % CLIFF.cols;
    const edge = path.filter((s) => s >= 2 * CLIFF.cols && s < 3 * CLIFF.cols && col(s) > 0 && col(s) < 11);
    expect(edge.length).toBeLessThanOrEqual(1);
  });
});

describe("truncation bootstraps, termination does not", () => {
  const m = loopMdp();
  it("time-limit truncation: Q(0, loop) -> 1 / (1 - gamma) = 2", () => {
    for (const algo of ALGOS) {
      const r = runEpisodes(
        m,
        { algo, actions: "admissible", maxEpisodeSteps: 1, alpha: 0.2, epsilon: 0 },
        { episodes: 2000, seed: 1 },
      );
      expect(r.qSA[0]).toBeCloseTo(2, 6); // for Double Q, qSA is (Q1 + Q2) / 2
      expect(r.episodeLength.every((l) => l === 1)).toBe(true);
    }
  });
  it("termination: Q(0, exit) -> r = 1 with no bootstrap", () => {
    const r = runEpisodes(m, { algo: "q-learning", alpha: 0.2, epsilon: 1 }, { episodes: 4000, seed: 1 });
    expect(r.qSA[1]).toBeCloseTo(1, 6);
    expect(r.qSA[0]).toBeCloseTo(2, 6); // looping forever is worth 1 / (1 - 0.5) = 2 > exit
  });
});

describe("masking", () => {
  const m = loopMdp();
  it("admissible-only learners never take an inadmissible action (env set to raise)", () => {
    for (const algo of ALGOS) {
      const r = runEpisodes(
        m,
        { algo, actions: "admissible", inadmissible: "raise", epsilon: 1, maxEpisodeSteps: 5 },
        { episodes: 200, seed: 2 },
      );
      expect(r.qSA[1]).toBe(0); // never updated
      expect(r.greedyS[0]).toBe(0);
    }
  });
  it("acting over all actions reaches the inadmissible one (and raise reports it)", () => {
    expect(() =>
      runEpisodes(m, { actions: "all", inadmissible: "raise", epsilon: 1 }, { episodes: 200, seed: 2 }),
    ).toThrow(UsageError);
  });
});

describe("determinism", () => {
  it("same seed, same Q tables and episode returns; another seed differs", () => {
    const m = randomMdp(6, 3, 4);
    for (const algo of ALGOS) {
      const a = runEpisodes(m, { ...tuned, algo }, { episodes: 500, seed: 11 });
      const b = runEpisodes(m, { ...tuned, algo }, { episodes: 500, seed: 11 });
      const c = runEpisodes(m, { ...tuned, algo }, { episodes: 500, seed: 12 });
      expect(Buffer.from(a.qSA.buffer).equals(Buffer.from(b.qSA.buffer))).toBe(true);
      expect(a.episodeReturn).toEqual(b.episodeReturn);
      expect(Buffer.from(a.qSA.buffer).equals(Buffer.from(c.qSA.buffer))).toBe(false);
    }
  });
});
