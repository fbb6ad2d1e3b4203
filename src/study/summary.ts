import {
  type MeanCi,
  meanCi,
  type ReleasedRuleResult,
  releasedRuleConvergence,
} from "../../solvers/learning/convergence.js";
import type { CurvePoint, JobResult } from "./job.js";

/** One row of the Table-3-like summary: a group of runs (an algorithm, or a tune trial) over seeds. */
export interface GroupSummary {
  readonly group: string;
  readonly algo: string;
  /** Runs the statistics are over: the complete ones, plus those stopped early when `partialIncluded`. */
  readonly runs: number;
  /** Runs of the group stopped before their last episode (interrupted). */
  readonly partial: number;
  readonly partialIncluded: boolean;
  /**
   * The released ICU-Sepsis convergence rule on the group's seed-averaged curve (one figure per group, as
   * the release reports it), over the group's complete runs; null when no run is complete.
   */
  readonly released: ReleasedRuleResult | null;
  /** Exact expected return of the final greedy policy. */
  readonly finalGreedyReturn: MeanCi;
  /** Mean episode return over the last 10 % of episodes. */
  readonly lastTenthReturn: MeanCi;
  /** Runs whose exact greedy return reached, and kept to the end, within NEAR_OPTIMAL of the optimum. */
  readonly nearOptimal: number;
  /** Checkpoint (episodes, steps) from which that held; means over the runs that got there. */
  readonly episodesToNearOptimal: MeanCi;
  readonly stepsToNearOptimal: MeanCi;
}

/** Relative tolerance of the noise-free convergence measure: exact greedy return >= 99 % of optimal. */
export const NEAR_OPTIMAL = 0.01;

/** First checkpoint from which the exact greedy return stays within `tol` (relative) of `optimal`. */
export function nearOptimalFrom(r: JobResult, optimal: number, tol = NEAR_OPTIMAL): CurvePoint | null {
  if (!Number.isFinite(optimal)) return null;
  const ok = (p: CurvePoint): boolean => p.greedy >= optimal - tol * Math.abs(optimal);
  let from: CurvePoint | null = null;
  for (const p of r.curve) from = ok(p) ? (from ?? p) : null;
  return from;
}

export const algoGroup = (r: JobResult): string => r.spec.params.algo;
export const trialGroup = (r: JobResult): string => `${r.spec.params.algo}/trial-${r.spec.trial ?? 0}`;
/** Runs of a sweep are grouped by algorithm, or (tune) by trial. */
export const groupKey = (r: JobResult): string => (r.spec.trial === null ? algoGroup(r) : trialGroup(r));

/** Groups in first-seen order of sweep index. */
export function groupBy(
  results: readonly JobResult[],
  key: (r: JobResult) => string,
): Map<string, JobResult[]> {
  const g = new Map<string, JobResult[]>();
  for (const r of [...results].sort((a, b) => a.spec.index - b.spec.index)) {
    const k = key(r);
    g.set(k, [...(g.get(k) ?? []), r]);
  }
  return g;
}

/** The released rule over the complete runs of a group (an interrupted run would shorten the curve). */
function releasedRule(rs: readonly JobResult[]): ReleasedRuleResult | null {
  const complete = rs.filter((r) => r.complete);
  const first = complete[0];
  return first === undefined
    ? null
    : releasedRuleConvergence(
        complete.map((r) => r.sums),
        first.spec.rule,
      );
}

/** The runs statistics are computed over: complete ones, and those stopped early only when asked. */
export const usedRuns = (results: readonly JobResult[], includePartial: boolean): JobResult[] =>
  results.filter((r) => includePartial || r.complete);

/** Summaries per group; `optimalOf` gives the optimum each run is measured against (under its discount). */
export function summarize(
  results: readonly JobResult[],
  optimalOf: (r: JobResult) => number,
  key = groupKey,
  includePartial = false,
): GroupSummary[] {
  return [...groupBy(results, key)].map(([group, all]) => {
    const rs = usedRuns(all, includePartial);
    const near = rs.map((r) => nearOptimalFrom(r, optimalOf(r)));
    return {
      group,
      algo: all[0]!.spec.params.algo,
      runs: rs.length,
      partial: all.filter((r) => !r.complete).length,
      partialIncluded: includePartial,
      released: releasedRule(rs),
      finalGreedyReturn: meanCi(rs.map((r) => r.finalGreedy)),
      lastTenthReturn: meanCi(rs.map((r) => r.lastTenthReturn)),
      nearOptimal: near.filter((p) => p !== null).length,
      episodesToNearOptimal: meanCi(near.map((p) => (p === null ? Number.NaN : p.episode))),
      stepsToNearOptimal: meanCi(near.map((p) => (p === null ? Number.NaN : p.steps))),
    };
  });
}

export type CurveMetric = "greedy" | "behaviour" | "avgReturn" | "avgLength";

export interface MeanCurve {
  readonly group: string;
  readonly episode: number[];
  readonly mean: number[];
  readonly lo: number[];
  readonly hi: number[];
}

/** Mean over seeds with a 95 % t band at each checkpoint episode shared by the group's runs. */
export function meanCurves(results: readonly JobResult[], metric: CurveMetric, key = groupKey): MeanCurve[] {
  return [...groupBy(results, key)].map(([group, rs]) => {
    const byEp = new Map<number, number[]>();
    for (const r of rs)
      for (const p of r.curve) byEp.set(p.episode, [...(byEp.get(p.episode) ?? []), p[metric]]);
    const episode = [...byEp.keys()].sort((a, b) => a - b);
    const stats = episode.map((e) => meanCi(byEp.get(e)!));
    const half = (s: MeanCi): number => (Number.isFinite(s.ci95) ? s.ci95 : 0);
    return {
      group,
      episode,
      mean: stats.map((s) => s.mean),
      lo: stats.map((s) => s.mean - half(s)),
      hi: stats.map((s) => s.mean + half(s)),
    };
  });
}

/** Long-format rows: algo, seed, episode, steps, metric, value (tune: algo is "name/trial-t"). */
export function longRows(results: readonly JobResult[], key = groupKey): (string | number)[][] {
  const metrics: readonly [CurveMetric, string][] = [
    ["greedy", "greedy_return"],
    ["behaviour", "behaviour_return"],
    ["avgReturn", "avg_return"],
    ["avgLength", "avg_length"],
  ];
  const rows: (string | number)[][] = [];
  for (const r of [...results].sort((a, b) => a.spec.index - b.spec.index)) {
    for (const p of r.curve as readonly CurvePoint[]) {
      for (const [k, name] of metrics)
        rows.push([key(r), r.spec.seed, String(r.complete), p.episode, p.steps, name, p[k]]);
    }
  }
  return rows;
}
