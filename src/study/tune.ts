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
 * Trial t's hyperparameters: a pure function of (seed, t), so any trial can be redrawn alone. Values set in
 * `fixed` are held there instead of searched (the draws still happen, so the other values do not move).
 */
export function sampleTrial(
  algo: AlgoName,
  fixed: Partial<LearnParams>,
  seed: number | string,
  t: number,
): LearnParams {
  const r = seeded(`tune/${seed}/${t}`);
  const logU = ([lo, hi]: readonly [number, number]): number =>
    Math.exp(Math.log(lo) + r.next() * Math.log(hi / lo));
  const U = ([lo, hi]: readonly [number, number]): number => lo + r.next() * (hi - lo);
  const pick = <T>(xs: readonly T[]): T => xs[r.int(xs.length)]!;
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
