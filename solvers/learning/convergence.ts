import { meanInterval } from "../../src/core/stats.js";

/** Default convergence window (episodes) and tolerance on the mean episode return. */
export const DEFAULT_WINDOW = 2000;
export const DEFAULT_DELTA = 0.005;

export interface ConvergencePoint {
  /** Episodes finished when the test first passed (null: never). */
  readonly episode: number | null;
  /** Env steps taken by then. */
  readonly steps: number | null;
  /** Mean return over the last W episodes at that point (the "converged return"). */
  readonly value: number | null;
}

/**
 * The paper's rule: converged at the first episode k >= 2W where the mean return over the last W episodes
 * is within `delta` of the mean over the last 2W. Tested after every episode, from prefix sums (O(n)).
 * With noisy 0/1 returns a small W passes by chance: the defaults (W = 2000, delta = 0.005) keep the
 * standard error of the compared difference near delta on ICU-Sepsis.
 */
export function detectConvergence(
  returns: ArrayLike<number>,
  lengths: ArrayLike<number>,
  window = DEFAULT_WINDOW,
  delta = DEFAULT_DELTA,
): ConvergencePoint {
  const n = returns.length;
  const pre = new Float64Array(n + 1);
  for (let i = 0; i < n; i++) pre[i + 1] = pre[i]! + returns[i]!;
  let steps = 0;
  for (let k = 1; k <= n; k++) {
    steps += lengths[k - 1]!;
    if (k < 2 * window) continue;
    const lastW = (pre[k]! - pre[k - window]!) / window;
    const last2W = (pre[k]! - pre[k - 2 * window]!) / (2 * window);
    if (Math.abs(lastW - last2W) <= delta) return { episode: k, steps, value: lastW };
  }
  return { episode: null, steps: null, value: null };
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
