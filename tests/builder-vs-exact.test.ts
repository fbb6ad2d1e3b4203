import { describe, expect, it } from "vitest";
import { prepareStates } from "../src/builder/build.js";
import { cohortOutcome } from "../src/builder/cohort-truth.js";
import { rowLabel } from "../src/study/builder-studies.js";
import { builderVsExact } from "../src/study/builder-vs-exact.js";

describe("study builder-vs-exact (Oberst & Sontag)", () => {
  const out = builderVsExact({ sizes: [300, 1500], seeds: [2, 3], threshold: 20, k: 30, bootstrap: 4 });

  it("gives one row per size and policy, gap = exact - predicted, with bootstrap intervals", () => {
    const policies = [
      "behaviour",
      "random",
      "optimal (tie-rule)",
      "optimal (most-frequent)",
      "optimal (least-frequent)",
    ];
    const one = [300, 1500].flatMap((n) => policies.map((p) => `${n}/${p}`));
    expect(out.rows.map((r) => `${r.patients}/${rowLabel(r)}`)).toEqual([...one, ...one]);
    expect(out.acrossCohorts.map((a) => `${a.patients}/${a.policy}`)).toEqual(one);
    for (const a of out.acrossCohorts) {
      expect(a.cohorts).toBe(2);
      for (const g of [a.gap.horizon, a.gap.infinite]) {
        expect(g.min).toBeLessThanOrEqual(g.mean);
        expect(g.mean).toBeLessThanOrEqual(g.max);
      }
    }
    for (const r of out.rows) {
      expect(r.predicted.horizon.blocks).toBe(20);
      expect(r.gap.horizon.value).toBeCloseTo(r.exact - r.predicted.horizon.survival, 14);
      expect(r.gap.infinite.value).toBeCloseTo(r.exact - r.predicted.infinite.survival, 14);
      for (const c of [r.predicted.horizon.ci95!, r.predicted.infinite.ci95!])
        expect(c[0]).toBeLessThanOrEqual(c[1]);
    }
    for (const s of out.sizes) {
      expect(s.optimalAgreement).toBeGreaterThanOrEqual(0);
      expect(s.optimalAgreement).toBeLessThanOrEqual(1 + 1e-12);
      expect(s.optimalAgreement).toBe(s.tieBreakAgreement["tie-rule"]);
      // No policy of the built MDP beats the exact optimum in the simulator.
      for (const r of out.rows.filter((x) => x.patients === s.patients && x.cohortSeed === s.cohortSeed))
        expect(r.exact).toBeLessThanOrEqual(s.exactOptimum + 1e-12);
    }
  });

  it("the behaviour's exact survival matches an independent simulated cohort (within 4 standard errors)", () => {
    const exact = out.rows.find((r) => r.policy === "behaviour")!.exact;
    const cohort = prepareStates({
      simulator: "oberst-sontag",
      patients: 4000,
      seed: 11,
      k: 2,
      blockHours: 1,
      epsilon: 0.25,
    }).cohort;
    const observed = cohortOutcome(cohort).survival;
    const se = Math.sqrt((exact * (1 - exact)) / 4000);
    expect(Math.abs(observed - exact)).toBeLessThan(4 * se);
  });
});
