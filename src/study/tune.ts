import {
  type AlgoName,
  DEFAULT_PARAMS,
  type LearnParams,
  resolveParams,
  usesTraces,
} from "../../solvers/learning/params.js";
import { seeded } from "../core/rng.js";
import type { JobResult } from "./job.js";
import { groupBy, trialGroup } from "./summary.js";

/**
 * The random-search space (after the ICU-Sepsis paper's Appendix C: log-uniform step size, uniform
 * exploration and trace parameters). Fixed parameters (q0, gamma, action set...) come from `base`.
 */
export const SEARCH_SPACE = {
  alpha: [1e-3, 1] as const, // log-uniform
  alphaSchedule: ["constant", "visits"] as const,
  omega: [0.5, 1] as const,
  epsilon: [0.01, 0.5] as const,
  exploreSchedule: ["constant", "exp"] as const,
  exploreEnd: [1e-3, 0.1] as const, // log-uniform, the floor of an exp decay
  lambda: [0, 1] as const,
};

/**
 * The schedule family of the ICU-Sepsis paper's released experiments: constant step size, epsilon linear
 * from 1.0 down to an end value over a fraction of the run, then held (their configurations use end 0.001
 * and fractions 0.1 and 0.25).
 */
export const PAPER_SPACE = {
  alpha: [1e-3, 1] as const, // log-uniform
  exploreEnd: [1e-3, 0.1] as const, // log-uniform
  exploreFraction: [0.05, 0.5] as const, // uniform, of the run's episodes
  lambda: [0, 1] as const,
};

/** Which family `tune` draws from. */
export const SPACES = ["tabmdp", "paper"] as const;
export type SpaceName = (typeof SPACES)[number];

/**
 * Trial t's hyperparameters: a pure function of (seed, t), so any trial can be redrawn alone. Values set in
 * `fixed` are held there instead of searched (the draws still happen, so the other values do not move).
 * The paper's family needs the run's length, because its epsilon decay spans a fraction of the run.
 */
export function sampleTrial(
  algo: AlgoName,
  fixed: Partial<LearnParams>,
  seed: number | string,
  t: number,
  space: { readonly name: SpaceName; readonly episodes: number } = { name: "tabmdp", episodes: 0 },
): LearnParams {
  const r = seeded(`tune/${seed}/${t}`);
  const logU = ([lo, hi]: readonly [number, number]): number =>
    Math.exp(Math.log(lo) + r.next() * Math.log(hi / lo));
  const U = ([lo, hi]: readonly [number, number]): number => lo + r.next() * (hi - lo);
  const pick = <T>(xs: readonly T[]): T => xs[r.int(xs.length)]!;
  if (space.name === "paper") {
    const P = PAPER_SPACE;
    const paper = {
      alpha: logU(P.alpha),
      alphaSchedule: "constant",
      explore: "epsilon",
      epsilon: 1,
      exploreSchedule: "linear",
      exploreEnd: logU(P.exploreEnd),
      exploreEpisodes: Math.max(1, Math.round(U(P.exploreFraction) * space.episodes)),
      lambda: usesTraces(algo) ? U(P.lambda) : (fixed.lambda ?? DEFAULT_PARAMS.lambda),
    } as const;
    return resolveParams({ ...paper, ...fixed, algo });
  }
  const S = SEARCH_SPACE;
  const epsilon = U(S.epsilon);
  const exploreSchedule = pick(S.exploreSchedule);
  const drawn = {
    alpha: logU(S.alpha),
    alphaSchedule: pick(S.alphaSchedule),
    omega: U(S.omega),
    explore: "epsilon",
    epsilon,
    exploreSchedule,
    exploreEnd: Math.min(fixed.epsilon ?? epsilon, logU(S.exploreEnd)),
    lambda: usesTraces(algo) ? U(S.lambda) : (fixed.lambda ?? DEFAULT_PARAMS.lambda),
  } as const;
  return resolveParams({ ...drawn, ...fixed, algo });
}

export interface TrialScore {
  readonly trial: number;
  readonly params: LearnParams;
  readonly seeds: number;
  /** Mean over seeds of the mean episode return over the last 10 % of episodes (the ranking score). */
  readonly score: number;
  readonly finalGreedy: number;
}

/** Trials ranked best first by the mean return over the last 10 % of episodes (ties: lower trial first). */
export function rankTrials(results: readonly JobResult[]): TrialScore[] {
  const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;
  return [...groupBy(results, trialGroup).values()]
    .map((rs) => ({
      trial: rs[0]!.spec.trial ?? 0,
      params: rs[0]!.spec.params,
      seeds: rs.length,
      score: mean(rs.map((r) => r.lastTenthReturn)),
      finalGreedy: mean(rs.map((r) => r.finalGreedy)),
    }))
    .sort((a, b) => b.score - a.score || a.trial - b.trial);
}
