import { execFileSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { meanInterval, meanIntervalFromSums, quantile95, wilson, Z95 } from "../src/core/stats.js";

/** scipy's Student-t quantiles, or null when Python with scipy is not installed. */
function scipyT975(dfs: readonly number[]): number[] | null {
  try {
    const out = execFileSync(
      "python3",
      [
        "-c",
        `from scipy.stats import t; print(" ".join(repr(float(t.ppf(0.975, d))) for d in ${JSON.stringify(dfs)}))`,
      ],
      { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] },
    );
    return out.trim().split(" ").map(Number);
  } catch {
    return null;
  }
}

describe("95 % intervals for a mean", () => {
  const xs = [0.2, 1.5, -0.7, 3.1, 2.2, 0.9];
  const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
  const sd = Math.sqrt(xs.reduce((a, x) => a + (x - mean) ** 2, 0) / (xs.length - 1));

  it("normal: mean +- 1.96 standard errors", () => {
    const m = meanInterval(xs);
    expect(m.estimate).toBe(mean);
    expect(m.sd).toBe(sd);
    expect(m.halfWidth).toBeCloseTo((Z95 * sd) / Math.sqrt(6), 14);
    expect(m.high - m.estimate).toBe(m.halfWidth);
  });

  it("t: mean +- t(0.975, n - 1) standard errors, wider than normal", () => {
    const m = meanInterval(xs, "t");
    expect(m.halfWidth).toBeCloseTo((2.571 * sd) / Math.sqrt(6), 14);
    expect(m.halfWidth).toBeGreaterThan(meanInterval(xs).halfWidth);
  });

  it("from sums gives the interval from the array", () => {
    const sum = xs.reduce((a, b) => a + b, 0);
    const sumSq = xs.reduce((a, b) => a + b * b, 0);
    const m = meanIntervalFromSums(sum, sumSq, xs.length, "t");
    expect(m.estimate).toBeCloseTo(mean, 14);
    expect(m.halfWidth).toBeCloseTo(meanInterval(xs, "t").halfWidth, 12);
  });

  it("is undefined (NaN) below two samples, not zero-width", () => {
    for (const m of [meanInterval([4]), meanIntervalFromSums(4, 16, 1), meanInterval([], "t")]) {
      expect(m.halfWidth).toBeNaN();
      expect(m.low).toBeNaN();
      expect(m.sd).toBeNaN();
    }
    expect(meanInterval([4]).estimate).toBe(4);
  });

  it("tabulates Student's t as scipy computes it (3 decimals), then the normal quantile", {
    timeout: 60_000,
  }, (ctx) => {
    const dfs = Array.from({ length: 30 }, (_, i) => i + 1);
    const reference = scipyT975(dfs);
    if (reference === null) ctx.skip(); // needs python3 with scipy
    dfs.forEach((df, i) => {
      expect(quantile95("t", df + 1)).toBeCloseTo(reference![i]!, 3);
    });
    expect(quantile95("t", 32)).toBe(Z95);
    expect(quantile95("normal", 3)).toBe(Z95);
  });

  it("keeps Wilson's interval inside [0, 1]", () => {
    const w = wilson(0, 10);
    expect(w.low).toBe(0);
    expect(w.high).toBeGreaterThan(0);
  });
});
