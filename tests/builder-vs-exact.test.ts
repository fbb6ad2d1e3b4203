import { describe, expect, it } from "vitest";
import { prepareStates } from "../src/builder/build.js";
import { cohortOutcome } from "../src/builder/cohort-truth.js";
import { builderVsExact } from "../src/study/builder-vs-exact.js";

describe("study builder-vs-exact (Oberst & Sontag)", () => {
  const out = builderVsExact({ sizes: [300, 1500], seeds: [2, 3], threshold: 20, k: 30, bootstrap: 4 });

  it("gives one row per size and policy, gap = exact - predicted, with bootstrap intervals", () => {
    const one = [
      "300/behaviour",
      "300/random",
      "300/optimal",
      "1500/behaviour",
      "1500/random",
      "1500/optimal",
    ];
    expect(out.rows.map((r) => `${r.patients}/${r.policy}`)).toEqual([...one, ...one]);
    expect(out.acrossCohorts.map((a) => `${a.patients}/${a.policy}`)).toEqual(one);
    for (const a of out.acrossCohorts) {
      expect(a.cohorts).toBe(2);
      expect(a.gap.min).toBeLessThanOrEqual(a.gap.mean);
      expect(a.gap.mean).toBeLessThanOrEqual(a.gap.max);
    }
    for (const r of out.rows) {
      expect(r.gap).toBeCloseTo(r.exact - r.predicted, 14);
      expect(r.ci95![0]).toBeLessThanOrEqual(r.ci95![1]);
    }
    for (const s of out.sizes) {
      expect(s.optimalAgreement).toBeGreaterThanOrEqual(0);
      expect(s.optimalAgreement).toBeLessThanOrEqual(1 + 1e-12);
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
