import { describe, expect, it } from "vitest";
import { deterministicTable, evaluatePolicy, valueIteration } from "../solvers/index.js";
import {
  ALGOS,
  behaviourTable,
  type LearnParams,
  learnerActions,
  runEpisodes,
} from "../solvers/learning/index.js";
import { UsageError } from "../src/core/errors.js";
import { CLIFF, cliffPath, cliffWalk, loopMdp, randomMdp } from "./helpers/learning-mdps.js";

/** Constant step size and exploration over all actions: the textbook settings these small tests state. */
const textbook: Partial<LearnParams> = {
  alphaSchedule: "constant",
  exploreSchedule: "constant",
  actions: "all",
};

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

describe("exploration and trace variants", () => {
  const m = randomMdp(6, 3, 1);
  const opt = evaluatePolicy(m, deterministicTable(m, valueIteration(m, { gamma: 0.9 }).policyS), {
    gamma: 0.9,
  }).expectedReturn;
  const variants: [string, Partial<LearnParams>][] = [
    [
      "q-learning, Boltzmann (tau 1 -> 0.05)",
      {
        algo: "q-learning",
        explore: "boltzmann",
        tau: 1,
        exploreSchedule: "exp",
        exploreEnd: 0.05,
        exploreEpisodes: 10_000,
      },
    ],
    [
      "expected-sarsa, Boltzmann",
      {
        algo: "expected-sarsa",
        explore: "boltzmann",
        tau: 0.5,
        exploreSchedule: "linear",
        exploreEnd: 0.05,
        exploreEpisodes: 10_000,
      },
    ],
    ["sarsa-lambda, accumulating traces", { algo: "sarsa-lambda", trace: "accumulating", lambda: 0.7 }],
    [
      "watkins-q-lambda, accumulating traces",
      { algo: "watkins-q-lambda", trace: "accumulating", lambda: 0.7 },
    ],
    [
      "q-learning, linear epsilon and alpha decay",
      {
        algo: "q-learning",
        alphaSchedule: "linear",
        alpha: 0.5,
        alphaEnd: 0.01,
        alphaEpisodes: 20_000,
        exploreSchedule: "linear",
        epsilon: 0.5,
        exploreEnd: 0.05,
        exploreEpisodes: 20_000,
      },
    ],
  ];
  for (const [name, p] of variants) {
    it(`${name}: greedy return within 1 % of optimal`, () => {
      const r = runEpisodes(m, { ...tuned, ...p }, { episodes: 30_000, seed: 5 });
      const v = evaluatePolicy(m, deterministicTable(m, r.greedyS), { gamma: 0.9 }).expectedReturn;
      expect(Math.abs(v - opt) / Math.abs(opt)).toBeLessThan(0.01);
    });
  }
  it("behaviour tables are distributions over the allowed actions", () => {
    const r = runEpisodes(m, { ...tuned, algo: "q-learning" }, { episodes: 2000, seed: 5 });
    const sets = learnerActions(m, r.params);
    for (const [boltz, x] of [
      [false, 0.2],
      [true, 0.3],
    ] as const) {
      const t = behaviourTable(m, r.qSA, r.greedyS, sets, boltz, x);
      for (let s = 0; s < m.nS; s++) {
        const row = Array.from(t.subarray(s * m.nA, (s + 1) * m.nA));
        expect(row.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
      }
    }
  });
});

describe("cliff walking (epsilon = 0.1, alpha = 0.1)", () => {
  const m = cliffWalk();
  const run = (algo: LearnParams["algo"]) =>
    runEpisodes(
      m,
      { ...textbook, algo, alpha: 0.1, epsilon: 0.1, maxEpisodeSteps: 1000 },
      { episodes: 2000, seed: 3 },
    );
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
        { ...textbook, algo, actions: "admissible", maxEpisodeSteps: 1, alpha: 0.2, epsilon: 0 },
        { episodes: 2000, seed: 1 },
      );
      expect(r.qSA[0]).toBeCloseTo(2, 6); // for Double Q, qSA is (Q1 + Q2) / 2
      expect(r.episodeLength.every((l) => l === 1)).toBe(true);
    }
  });
  it("termination: Q(0, exit) -> r = 1 with no bootstrap", () => {
    const r = runEpisodes(
      m,
      { ...textbook, algo: "q-learning", alpha: 0.2, epsilon: 1 },
      { episodes: 4000, seed: 1 },
    );
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
