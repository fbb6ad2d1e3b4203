import { describe, expect, it } from "vitest";
import { compactLearnerFits } from "../solvers/learning/compact-learner.js";
import { ALGOS, type LearnParams, type RunResult, runEpisodes } from "../solvers/learning/index.js";
import { sharedPairLayout } from "../solvers/learning/pair-layout.js";
import { resolveParams } from "../solvers/learning/params.js";
import { NARROW_RECORD_STATES } from "../src/env/sampler.js";
import { csrFromDense, makeMdp } from "../src/model/build.js";
import type { TabularMdp } from "../src/model/mdp.js";
import { randomIcuShapedMdp } from "../src/model/random-mdp.js";
import { cliffWalk } from "./helpers/learning-mdps.js";
import { wideChainMdp } from "./helpers/wide-mdp.js";

/** Everything a run produces, as plain numbers (bit-exact comparison through toEqual). */
function fingerprint(r: RunResult, checkpoints: number[][]): number[][] {
  return [
    Array.from(r.qSA),
    ...r.tables.map((t) => Array.from(t)),
    Array.from(r.greedyS),
    Array.from(r.episodeReturn),
    Array.from(r.episodeLength),
    [r.steps, r.episodes],
    ...checkpoints,
  ];
}

/**
 * Where two fingerprints first differ ("" when every number is the same, bit for bit): toEqual on arrays of
 * a few hundred thousand numbers takes seconds, this takes milliseconds.
 */
function firstDifference(a: number[][], b: number[][]): string {
  if (a.length !== b.length) return `${a.length} arrays against ${b.length}`;
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!;
    const y = b[i]!;
    if (x.length !== y.length) return `array ${i}: length ${x.length} against ${y.length}`;
    for (let j = 0; j < x.length; j++)
      if (!Object.is(x[j], y[j])) return `array ${i}[${j}]: ${x[j]} against ${y[j]}`;
  }
  return "";
}

function both(m: TabularMdp, params: Partial<LearnParams>, episodes: number, seed: number): number[][][] {
  return (["auto", "js"] as const).map((engine) => {
    const seen: number[][] = [];
    const r = runEpisodes(m, params, {
      episodes,
      seed,
      evalEvery: 300,
      engine,
      onCheckpoint: (c) => seen.push([c.episode, c.steps, c.explore, ...c.qSA, ...c.greedyS]),
    });
    return fingerprint(r, seen);
  });
}

/** 3 states (state 2 terminal), 2 actions, rewards by (s, a): an R(s, a) table for the compiled loop. */
function stateActionMdp(): TabularMdp {
  const dense = Float64Array.of(0.6, 0.3, 0.1, 0.2, 0.2, 0.6, 0.3, 0.6, 0.1, 0, 0.5, 0.5, 0, 0, 1, 0, 0, 1);
  return makeMdp({
    nS: 3,
    nA: 2,
    ...csrFromDense(dense, 6, 3),
    reward: { kind: "state-action", rSA: Float64Array.of(1, -0.5, 0.25, 2, 0, 0) },
    d0: Float64Array.of(0.7, 0.3, 0),
    metadata: { terminal_states: [2] },
  });
}

describe("the WebAssembly learner loop gives the JavaScript loop's bits", () => {
  const icuShaped = randomIcuShapedMdp(21, { states: 40, actions: 6, exitMass: 0.1, admissibility: true });
  const manyActions = randomIcuShapedMdp(5, { states: 20, actions: 12, exitMass: 0.2 });
  const cases: [string, TabularMdp, Partial<LearnParams>][] = [
    [
      "Q-learning, visit-count step sizes, admissible actions",
      icuShaped,
      {
        algo: "q-learning",
        alpha: 1,
        alphaSchedule: "visits",
        omega: 0.6,
        epsilon: 0.3,
        actions: "admissible",
      },
    ],
    [
      "SARSA, decaying alpha and epsilon, all actions, short time limit (truncation bootstraps)",
      icuShaped,
      {
        algo: "sarsa",
        alpha: 0.5,
        alphaSchedule: "exp",
        alphaEpisodes: 1500,
        exploreSchedule: "linear",
        epsilon: 0.9,
        exploreEpisodes: 1500,
        maxEpisodeSteps: 4,
      },
    ],
    [
      "Expected SARSA, gamma 0.9, optimistic start (ties broken at random)",
      icuShaped,
      { algo: "expected-sarsa", alpha: 0.2, epsilon: 0.2, gamma: 0.9, q0: 1, actions: "admissible" },
    ],
    [
      "Q-learning on cliff walking (R(s') penalties, long episodes)",
      cliffWalk(),
      { alpha: 0.5, epsilon: 0.1 },
    ],
    [
      "Q-learning with R(s, a) rewards, optimistic start (ties broken at random)",
      stateActionMdp(),
      { alpha: 0.3, epsilon: 0.4, gamma: 0.95, q0: 2 },
    ],
    [
      "Q-learning, all actions (inadmissible rows share their state's mean row), short time limit",
      icuShaped,
      { alpha: 0.4, epsilon: 0.5, actions: "all", maxEpisodeSteps: 5 },
    ],
    [
      "SARSA with R(s, a) rewards",
      stateActionMdp(),
      { algo: "sarsa", alpha: 0.3, epsilon: 0.4, gamma: 0.95 },
    ],
    [
      "Double Q-learning, visit-count step sizes, admissible actions",
      icuShaped,
      {
        algo: "double-q",
        alpha: 1,
        alphaSchedule: "visits",
        omega: 0.7,
        epsilon: 0.3,
        actions: "admissible",
      },
    ],
    [
      "Double Q-learning with R(s, a) rewards",
      stateActionMdp(),
      { algo: "double-q", alpha: 0.3, epsilon: 0.4 },
    ],
    [
      "Q-learning with step size 1 and 0/1 rewards: Q holds 0s and 1s, so rescans meet ties, new maxima, ties again",
      manyActions,
      { alpha: 1, epsilon: 0.3 },
    ],
    [
      "Expected SARSA with step size 1 and 0/1 rewards (ties in rescans, row sums)",
      manyActions,
      { algo: "expected-sarsa", alpha: 1, epsilon: 0.3 },
    ],
  ];
  for (const [name, m, params] of cases) {
    it(name, () => {
      const [compiled, js] = both(m, params, 2000, 9);
      expect(compiled).toEqual(js);
    });
  }

  it("agrees when Q diverges to infinities and NaN (huge rewards against a huge negative start)", () => {
    const dense = Float64Array.of(
      0.5,
      0.3,
      0.2,
      0.2,
      0.5,
      0.3,
      0.3,
      0.3,
      0.4,
      0.1,
      0.6,
      0.3,
      0,
      0,
      1,
      0,
      0,
      1,
    );
    const m = makeMdp({
      nS: 3,
      nA: 2,
      ...csrFromDense(dense, 6, 3),
      reward: { kind: "next-state", rS: Float64Array.of(1e308, -1e308, 0) },
      d0: Float64Array.of(0.5, 0.5, 0),
      metadata: { terminal_states: [2] },
    });
    const [compiled, js] = both(m, { alpha: 0.9, epsilon: 0.3, q0: -1e308 }, 300, 2);
    expect(js!.flat().some(Number.isNaN)).toBe(true);
    expect(firstDifference(compiled!, js!)).toBe("");
  });

  it("covers visit counts beyond the step-size table (n^-omega from Math.pow)", () => {
    // One state, one action: every step revisits the same pair, 70,000 times in one episode.
    const m = makeMdp({
      nS: 2,
      nA: 1,
      ...csrFromDense(Float64Array.of(0.99999, 0.00001, 0, 1), 2, 2),
      reward: { kind: "next-state", rS: Float64Array.of(1, 0) },
      d0: Float64Array.of(1, 0),
      metadata: { terminal_states: [1] },
    });
    const params = { alpha: 1, alphaSchedule: "visits", omega: 0.7, maxEpisodeSteps: 70_000 } as const;
    const [compiled, js] = both(m, params, 1, 3);
    expect(compiled).toEqual(js);
    expect(js?.[4]?.[0]).toBeGreaterThan(65_536); // steps: past the table
  });

  it("every assembled loop (rule x record width x reward kind x step size) gives the JavaScript bits", () => {
    // Wide records: a chain of 70,000 states, from 65,000 on; a step moves 1 or 2 states on (action 0) or
    // 1 or 3 (action 1).
    const chain = (rewardOfAction?: (s: number, a: number) => number): TabularMdp =>
      wideChainMdp({
        nS: 70_000,
        moves: [
          [1, 2],
          [1, 3],
        ],
        pFirst: 0.6,
        starts: [65_000, 65_400],
        reward: (s) => (s % 7) / 7,
        ...(rewardOfAction ? { rewardOfAction } : {}),
      });
    const wide = { state: chain(), pair: chain((s, a) => ((s + 3 * a) % 5) / 5) };
    expect(wide.state.nS).toBeGreaterThan(NARROW_RECORD_STATES);
    const narrow = { state: icuShaped, pair: stateActionMdp() };
    for (const algo of ALGOS) {
      for (const [records, mdps, episodes] of [
        ["narrow", narrow, 1000],
        ["wide", wide, 10],
      ] as const) {
        for (const rewards of ["state", "pair"] as const) {
          for (const alphaSchedule of ["visits", "constant"] as const) {
            // Trace rules: both trace kinds in each width and step size (the chain's long episodes take
            // traces below the pruning threshold).
            const trace =
              (rewards === "state") === (alphaSchedule === "visits") ? "replacing" : "accumulating";
            const params = {
              algo,
              alpha: 0.5,
              alphaSchedule,
              epsilon: 0.3,
              gamma: 0.9,
              lambda: 0.7,
              trace,
              maxEpisodeSteps: 3000,
            } as const;
            expect(compactLearnerFits(resolveParams(params))).toBe(true);
            const [compiled, js] = both(mdps[rewards], params, episodes, 5);
            const label = `${algo} (${trace} traces), ${records} records, rewards per ${rewards}, ${alphaSchedule}`;
            expect(firstDifference(compiled!, js!), label).toBe("");
          }
        }
      }
    }
  });

  it("leaves the other learners to the JavaScript loop (same results with either engine setting)", () => {
    const m = randomIcuShapedMdp(22, { states: 15, actions: 3 });
    for (const params of [
      { algo: "q-learning", explore: "boltzmann" },
      { algo: "sarsa-lambda", explore: "boltzmann" },
      { algo: "q-learning", inadmissible: "terminate" },
    ] as const) {
      const [auto, js] = both(m, params, 300, 4);
      expect(auto).toEqual(js);
    }
  });

  it("shares one pair layout per MDP and action set, and no run changes it", () => {
    const m = randomIcuShapedMdp(23, { states: 30, actions: 5, admissibility: true });
    const shared = sharedPairLayout(m, true);
    const pristine = structuredClone(shared);
    for (const algo of ALGOS)
      runEpisodes(m, { algo, actions: "admissible", epsilon: 0.3 }, { episodes: 200, seed: 1 });
    expect(sharedPairLayout(m, true)).toBe(shared);
    expect(sharedPairLayout(m, false)).not.toBe(shared);
    expect(shared).toEqual(pristine);
  });
});
