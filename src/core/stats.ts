/** Interval estimates shared by the env, the simulators and the builder. */
import { UsageError } from "./errors.js";

export const Z95 = 1.959963984540054;

export interface Interval {
  readonly estimate: number;
  readonly low: number;
  readonly high: number;
}

/** Wilson score interval for k successes out of n (95 % by default); stays inside [0, 1]. */
export function wilson(k: number, n: number, z = Z95): Interval {
  if (n === 0) return { estimate: Number.NaN, low: 0, high: 1 };
  const p = k / n;
  const z2 = z * z;
  const centre = (p + z2 / (2 * n)) / (1 + z2 / n);
  const half = (z / (1 + z2 / n)) * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n));
  return { estimate: p, low: Math.max(0, centre - half), high: Math.min(1, centre + half) };
}

/**
 * How a 95 % interval for a mean is widened: "normal" takes z = 1.96 (many samples, e.g. Monte Carlo episodes),
 * "t" takes Student's t with n - 1 degrees of freedom (a few seeds). t is tabulated to 3 decimals up to 30
 * degrees of freedom; past that the normal quantile stands in (it is 4 % narrower at 31, 2 % at 60).
 */
export type IntervalMethod = "normal" | "t";

// Two-sided 97.5 % quantiles of Student's t for 1..30 degrees of freedom.
const T975 = [
  12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.16, 2.145, 2.131,
  2.12, 2.11, 2.101, 2.093, 2.086, 2.08, 2.074, 2.069, 2.064, 2.06, 2.056, 2.052, 2.048, 2.045, 2.042,
];

/** The factor of a two-sided 95 % interval for a mean of n samples (the standard error's multiplier). */
export function quantile95(method: IntervalMethod, n: number): number {
  return method === "t" ? (T975[n - 2] ?? Z95) : Z95;
}

/** A mean with its 95 % interval; the interval, `sd` and `stderr` are NaN (undefined) below two samples. */
export interface MeanInterval extends Interval {
  readonly n: number;
  readonly sd: number;
  readonly stderr: number;
  /** high - estimate. */
  readonly halfWidth: number;
}

/** Mean and 95 % interval of n samples given their sum and sum of squares (one pass, no array kept). */
export function meanIntervalFromSums(
  sum: number,
  sumSq: number,
  n: number,
  method: IntervalMethod = "normal",
): MeanInterval {
  const mean = n > 0 ? sum / n : Number.NaN;
  const variance = n > 1 ? Math.max(0, (sumSq - n * mean * mean) / (n - 1)) : Number.NaN;
  return interval(mean, Math.sqrt(variance), n, method);
}

/** Mean and 95 % interval of xs (sample standard deviation, two passes). */
export function meanInterval(xs: readonly number[], method: IntervalMethod = "normal"): MeanInterval {
  const n = xs.length;
  const mean = n > 0 ? xs.reduce((a, b) => a + b, 0) / n : Number.NaN;
  const sd = n > 1 ? Math.sqrt(xs.reduce((a, x) => a + (x - mean) ** 2, 0) / (n - 1)) : Number.NaN;
  return interval(mean, sd, n, method);
}

function interval(mean: number, sd: number, n: number, method: IntervalMethod): MeanInterval {
  const stderr = sd / Math.sqrt(n);
  const halfWidth = n > 1 ? (quantile95(method, n) * sd) / Math.sqrt(n) : Number.NaN;
  return { estimate: mean, low: mean - halfWidth, high: mean + halfWidth, n, sd, stderr, halfWidth };
}

/** A 95 % interval as printed in JSON: [low, high]. */
export type Ci95 = readonly [number, number];

/** The 2.5 % and 97.5 % percentiles of a sample (linear interpolation between order statistics). */
export function percentile95(xs: ArrayLike<number>): Ci95 {
  if (xs.length === 0) throw new UsageError("percentile95: empty sample (no bootstrap replicates)");
  const s = Float64Array.from(xs).sort();
  const at = (q: number): number => {
    const h = (s.length - 1) * q;
    const lo = Math.floor(h);
    const hi = Math.min(lo + 1, s.length - 1);
    return s[lo]! + (h - lo) * (s[hi]! - s[lo]!);
  };
  return [at(0.025), at(0.975)];
}
