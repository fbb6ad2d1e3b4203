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

/** Mean with a normal-approximation 95 % interval (sample standard deviation; zero width when n = 1). */
export function meanInterval(xs: readonly number[], z = Z95): Interval & { readonly sd: number } {
  const n = xs.length;
  if (n === 0) return { estimate: Number.NaN, low: Number.NaN, high: Number.NaN, sd: Number.NaN };
  const mean = xs.reduce((a, b) => a + b, 0) / n;
  const sd = n > 1 ? Math.sqrt(xs.reduce((a, x) => a + (x - mean) ** 2, 0) / (n - 1)) : 0;
  const half = (z * sd) / Math.sqrt(n);
  return { estimate: mean, low: mean - half, high: mean + half, sd };
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
