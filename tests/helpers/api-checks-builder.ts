import { expect } from "vitest";
import * as tabmdp from "../../src/index.js";
import { m } from "./api-checks.js";

/** One Oberst & Sontag cohort built once: small, but with deaths, so survival figures are not all 1. */
const built = (() => {
  let cache: ReturnType<typeof tabmdp.buildFromSimulator> | null = null;
  return () => {
    cache ??= tabmdp.buildFromSimulator({
      simulator: "oberst-sontag",
      patients: 200,
      seed: 1,
      k: 8,
      threshold: 5,
      blockHours: 1,
    });
    return cache;
  };
})();

const mean = (xs: readonly number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;

/** Public-API checks of the builder's truth checks, the studies around it and tune's families. */
export const BUILDER_CHECKS: Record<string, () => void | Promise<void>> = {
  recipeOf: () => {
    const r = tabmdp.recipeOf(built().mdp);
    expect(r).toMatchObject({ simulator: "oberst-sontag", patients: 200, seed: 1, k: 8, threshold: 5 });
    expect(() => tabmdp.recipeOf(m)).toThrow(tabmdp.UsageError);
  },
  // The recorded recipe rebuilt gives the same clusters, so the same MDP comes out of it.
  prepareFromMetadata: () => {
    const b = built();
    const prep = tabmdp.prepareFromMetadata(b.mdp);
    expect(prep.k).toBe(8);
    expect(tabmdp.mdpHash(tabmdp.buildFromSimulator(tabmdp.recipeOf(b.mdp)).mdp)).toBe(tabmdp.mdpHash(b.mdp));
    expect(() => tabmdp.prepareFromMetadata(m)).toThrow(tabmdp.UsageError);
  },
  bootstrapPredictions: () => {
    const b = built().mdp;
    const prep = tabmdp.prepareFromMetadata(b);
    const policies = [{ policy: "random", table: tabmdp.uniformTable(b) }];
    const o = { replicates: 4, seed: 2, blocks: 3 };
    const got = tabmdp.bootstrapPredictions(prep, 5, policies, o).get("random")!;
    const again = tabmdp.bootstrapPredictions(prep, 5, policies, o).get("random")!;
    for (const key of ["horizon", "infinite"] as const) {
      expect(got[key]).toHaveLength(4);
      for (const x of got[key]) expect(x >= 0 && x <= 1).toBe(true);
      expect(Array.from(got[key])).toEqual(Array.from(again[key]));
      // Resampled cohorts differ, so the replicates do too.
      expect(new Set(got[key]).size).toBeGreaterThan(1);
    }
    // Counting at the horizon only adds survivors (deaths after it are not seen).
    for (let i = 0; i < 4; i++) expect(got.horizon[i]!).toBeGreaterThanOrEqual(got.infinite[i]! - 1e-12);
    const own = tabmdp.expectedReturnOf(b, tabmdp.uniformTable(b), { gamma: 1 });
    expect(Math.abs(mean(Array.from(got.infinite)) - own)).toBeLessThan(0.25);
  },
  cohortTruth: () => {
    const b = built().mdp;
    const t = tabmdp.cohortTruth(b)!;
    expect(t.cohort.patients).toBe(200);
    expect(t.cohort.survival).toBeGreaterThan(0);
    expect(t.cohort.survival).toBeLessThan(1);
    // Every seen pair admissible, the behaviour's prediction is the cohort's own survival (up to rounding).
    expect(t.behaviourBeforeThreshold.survival).toBeCloseTo(t.cohort.survival, 6);
    expect(t.bias.survival).toBeCloseTo(
      t.behaviourAfterThreshold.survival! - t.behaviourBeforeThreshold.survival!,
      14,
    );
    expect(tabmdp.cohortTruth(m)).toBeNull();
  },
  isNamedPolicy: () => {
    for (const p of tabmdp.NAMED_POLICIES) expect(tabmdp.isNamedPolicy(p)).toBe(true);
    expect(tabmdp.isNamedPolicy("randm")).toBe(false);
    expect(tabmdp.isNamedPolicy("policy.csv")).toBe(false);
  },
  NAMED_POLICIES: () => {
    const b = built().mdp;
    for (const p of tabmdp.NAMED_POLICIES.filter((x) => x !== "expert"))
      expect(tabmdp.policyTable(b, p)).toHaveLength(b.nS * b.nA);
  },
  acrossCohorts: () => {
    const rows = tabmdp.thresholdStudy({ simulator: "sepsispilot/mild-sepsis", patients: 30, k: 3 }, [1], {
      cohortSeeds: [1, 2],
      check: { patients: 4, seed: 1 },
      bootstrap: 0,
    });
    const cells = tabmdp.acrossCohorts(rows);
    // One cell per policy, the optimal policy once per tie-break.
    const label = (r: { policy: string; tieBreak?: string }) =>
      r.tieBreak === undefined ? r.policy : `${r.policy} (${r.tieBreak})`;
    expect(cells).toHaveLength(tabmdp.STUDY_POLICIES.length - 1 + tabmdp.TIE_BREAKS.length);
    for (const c of cells) {
      const rs = rows.filter((r) => label(r) === c.policy);
      expect(c.cohorts).toBe(2);
      expect(c.predicted.infinite.mean).toBeCloseTo(mean(rs.map((r) => r.predicted.infinite.survival)), 14);
      expect(c.predicted.horizon.mean).toBeCloseTo(mean(rs.map((r) => r.predicted.horizon.survival)), 14);
      expect(c.gap.infinite.min).toBe(Math.min(...rs.map((r) => r.gap.infinite.value)));
    }
  },
  builderVsExact: () => {
    const out = tabmdp.builderVsExact({ sizes: [200], seeds: [1], threshold: 5, k: 8, bootstrap: 0 });
    expect(out.rows.map((r) => r.policy)).toEqual([
      "behaviour",
      "random",
      ...tabmdp.TIE_BREAKS.map(() => "optimal"),
    ]);
    expect(out.rows.filter((r) => r.policy === "optimal").map((r) => r.tieBreak)).toEqual([
      ...tabmdp.TIE_BREAKS,
    ]);
    // The same cohort as `built`, so the same predictions.
    const b = built().mdp;
    const random = out.rows.find((r) => r.policy === "random")!;
    expect(random.predicted.infinite.survival).toBeCloseTo(
      tabmdp.expectedReturnOf(b, tabmdp.uniformTable(b), { gamma: 1 }),
      12,
    );
    for (const r of out.rows) {
      expect(r.gap.infinite.value).toBe(r.exact - r.predicted.infinite.survival);
      expect(r.gap.horizon.value).toBe(r.exact - r.predicted.horizon.survival);
    }
    expect(out.sizes[0]!.states).toBe(b.nS);
  },
  SPACES: () => {
    expect([...tabmdp.SPACES]).toEqual(["tabmdp", "paper"]);
    const space = { name: "paper", episodes: 1000 } as const;
    const p = tabmdp.sampleTrial("q-learning", {}, 1, 0, space);
    expect(p.alphaSchedule).toBe("constant");
  },
  PAPER_SPACE: () => {
    const [lo, hi] = tabmdp.PAPER_SPACE.alpha;
    for (let t = 0; t < 20; t++) {
      const p = tabmdp.sampleTrial("q-learning", {}, 3, t, { name: "paper", episodes: 1000 });
      expect(p.alpha >= lo && p.alpha <= hi).toBe(true);
      expect(p.epsilon).toBe(1);
    }
  },
};
