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

// Two-sided 97.5 % quantiles of Student's t for 1..30 degrees of freedom.
const T975 = [
  12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.16, 2.145, 2.131,
  2.12, 2.11, 2.101, 2.093, 2.086, 2.08, 2.074, 2.069, 2.064, 2.06, 2.056, 2.052, 2.048, 2.045, 2.042,
];

export interface MeanCi {
  readonly n: number;
  readonly mean: number;
  /** Half-width of the 95 % t interval (NaN for n < 2). */
  readonly ci95: number;
}

/** Mean and 95 % t-interval half-width of the finite values in xs. */
export function meanCi(xs: readonly number[]): MeanCi {
  const v = xs.filter(Number.isFinite);
  const n = v.length;
  if (n === 0) return { n, mean: Number.NaN, ci95: Number.NaN };
  const mean = v.reduce((a, b) => a + b, 0) / n;
  if (n < 2) return { n, mean, ci95: Number.NaN };
  const sd = Math.sqrt(v.reduce((a, b) => a + (b - mean) ** 2, 0) / (n - 1));
  return { n, mean, ci95: ((T975[n - 2] ?? 1.96) * sd) / Math.sqrt(n) };
}
