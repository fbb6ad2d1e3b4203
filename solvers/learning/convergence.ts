import { meanInterval } from "../../src/core/stats.js";

/** Default moving-average window (episodes) of the learning curves' sampled averages. */
export const DEFAULT_WINDOW = 2000;

/**
 * The convergence rule of the ICU-Sepsis release (`lc_analysis.check_convergence` in its helpers package),
 * with the settings its analysis used. Defaults: start 10,000, every 100, recent 1,000, final 10,000,
 * delta 1e-4.
 */
export interface ReleasedRuleOptions {
  /** First episode tested (`i` starts here). */
  readonly start: number;
  /** Episodes between tests; also the block size of the sums a run keeps. */
  readonly every: number;
  /** The compared window: episodes i - recent .. i - 1. */
  readonly recent: number;
  /** The reference window: the run's last `final` episodes. */
  readonly final: number;
  /** Relative tolerance: |recent mean - final mean| / final mean < delta (strict, as released). */
  readonly delta: number;
}

export const RELEASED_RULE: ReleasedRuleOptions = {
  start: 10_000,
  every: 100,
  recent: 1_000,
  final: 10_000,
  delta: 1e-4,
};

/**
 * What one run keeps for the released rule: per-block sums of its returns and lengths (blocks of `every`
 * episodes; the last block may be short) and the exact sum of its last `final` returns. Keeping sums, not
 * the episodes, lets worker threads and job files carry a 300,000-episode run as a few thousand numbers.
 */
export interface CurveSums {
  readonly every: number;
  readonly episodes: number;
  readonly returnSums: readonly number[];
  readonly lengthSums: readonly number[];
  readonly finalReturnSum: number;
}

export function curveSums(
  returns: ArrayLike<number>,
  lengths: ArrayLike<number>,
  o: Pick<ReleasedRuleOptions, "every" | "final">,
): CurveSums {
  const n = returns.length;
  const blocks = Math.ceil(n / o.every);
  const returnSums = new Array<number>(blocks).fill(0);
  const lengthSums = new Array<number>(blocks).fill(0);
  for (let i = 0; i < n; i++) {
    const b = Math.floor(i / o.every);
    returnSums[b] = returnSums[b]! + returns[i]!;
    lengthSums[b] = lengthSums[b]! + lengths[i]!;
  }
  let finalReturnSum = 0;
  for (let i = Math.max(0, n - o.final); i < n; i++) finalReturnSum += returns[i]!;
  return { every: o.every, episodes: n, returnSums, lengthSums, finalReturnSum };
}

export interface ReleasedRuleResult {
  /** First tested episode i at which the rule held (null: never, where the release reports -1). */
  readonly episode: number | null;
  /** Sum of the seed-averaged episode lengths before `episode` (null when it never held). */
  readonly steps: number | null;
  /** Mean of the seed-averaged returns of episodes episode - recent .. episode - 1 (the "last 1k mean"). */
  readonly recentMean: number | null;
  /** Mean of the seed-averaged returns of the last `final` episodes (the reference). */
  readonly finalMean: number;
}

/**
 * The released rule on the seed-averaged learning curve of a group of runs (all the same length): the first
 * i >= start, in steps of `every`, at which the mean return of episodes i - recent .. i - 1 is within a
 * relative `delta` of the mean of the last `final` episodes. The runs' block sums are averaged over seeds,
 * so the means equal the release's up to floating-point summation order.
 */
export function releasedRuleConvergence(
  runs: readonly CurveSums[],
  o: ReleasedRuleOptions = RELEASED_RULE,
): ReleasedRuleResult {
  const first = runs[0];
  if (first === undefined) throw new RangeError("the released rule needs at least one run");
  const { every, episodes } = first;
  if (runs.some((r) => r.episodes !== episodes || r.every !== every) || every !== o.every)
    throw new RangeError("the released rule compares runs of one length, summed in blocks of `every`");
  if (o.recent % every !== 0 || o.start % every !== 0)
    throw new RangeError(`recent (${o.recent}) and start (${o.start}) must be multiples of every (${every})`);
  const k = runs.length;
  const seedMean = (pick: (r: CurveSums) => readonly number[], b: number): number =>
    runs.reduce((acc, r) => acc + pick(r)[b]!, 0) / k;
  const finalMean = runs.reduce((acc, r) => acc + r.finalReturnSum, 0) / k / Math.min(o.final, episodes);
  const recentBlocks = o.recent / every;
  for (let i = o.start; i < episodes; i += every) {
    const to = i / every;
    let sum = 0;
    for (let b = Math.max(0, to - recentBlocks); b < to; b++) sum += seedMean((r) => r.returnSums, b);
    const recentMean = sum / o.recent;
    if (Math.abs(recentMean - finalMean) / finalMean < o.delta) {
      let steps = 0;
      for (let b = 0; b < to; b++) steps += seedMean((r) => r.lengthSums, b);
      return { episode: i, steps, recentMean, finalMean };
    }
  }
  return { episode: null, steps: null, recentMean: null, finalMean };
}

/** Mean of xs[from..to), NaN when empty. */
export function meanRange(xs: ArrayLike<number>, from: number, to: number): number {
  let s = 0;
  for (let i = from; i < to; i++) s += xs[i]!;
  return to > from ? s / (to - from) : Number.NaN;
}

export interface MeanCi {
  readonly n: number;
  readonly mean: number;
  /** Half-width of the 95 % t interval (NaN for n < 2). */
  readonly ci95: number;
}

/** Mean and 95 % t-interval half-width of the finite values in xs (non-finite ones are runs without a value). */
export function meanCi(xs: readonly number[]): MeanCi {
  const m = meanInterval(xs.filter(Number.isFinite), "t");
  return { n: m.n, mean: m.estimate, ci95: m.halfWidth };
}
