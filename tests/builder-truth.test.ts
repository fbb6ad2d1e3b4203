import { describe, expect, it } from "vitest";
import { buildFromSimulator } from "../src/builder/build.js";
import { behaviourTable, type PairCounts, predictBehaviour } from "../src/builder/cohort-truth.js";

describe("cohort truth and the behaviour policy (small SepsisPilot septic-shock cohort)", () => {
  const built = buildFromSimulator({
    simulator: "sepsispilot/septic-shock",
    patients: 400,
    seed: 3,
    k: 10,
    threshold: 20,
    restarts: 1,
  });
  const m = built.mdp;
  const b = m.metadata.builder as {
    admissibility: string;
    cohort: { patients: number; deaths: number; survival: number; mean_stay_blocks: number };
    behaviour_before_threshold: { survival: number; length: number };
    pair_counts: PairCounts;
  };

  it("states the admissibility rule and records the cohort's observed outcome", () => {
    expect(b.admissibility).toBe("count > threshold");
    let deaths = 0;
    for (const d of built.cohort.died) deaths += d;
    expect(b.cohort.deaths).toBe(deaths);
    expect(b.cohort.survival).toBe(1 - deaths / 400);
    expect(b.cohort.mean_stay_blocks).toBe(built.cohort.nBlocks / 400);
  });

  it("before thresholding the MDP predicts the cohort's survival and mean stay (flows are conserved)", () => {
    expect(b.behaviour_before_threshold.survival).toBeCloseTo(b.cohort.survival, 9);
    expect(b.behaviour_before_threshold.length).toBeCloseTo(b.cohort.mean_stay_blocks, 9);
  });

  it("pair_counts count every block of a kept state, in the final state ids", () => {
    const total = b.pair_counts.reduce((acc, [, , n]) => acc + n, 0);
    let kept = 0;
    for (const s of built.stateOfBlock) if (s >= 0) kept++;
    expect(total).toBe(kept);
    for (const [s, a, n] of b.pair_counts) {
      let seen = 0;
      for (let i = 0; i < built.stateOfBlock.length; i++)
        if (built.stateOfBlock[i] === s && built.actionOfBlock[i] === a) seen++;
      expect(seen).toBe(n);
    }
    // Admissible iff the pair's count (into kept states) exceeds 20: never at or below it.
    for (const [s, a, n] of b.pair_counts) if (n <= 20) expect(m.admissibleSA[s * m.nA + a]).toBe(0);
  });

  it("the behaviour table is a distribution per state; its prediction after thresholding is finite", () => {
    const pi = behaviourTable(m);
    for (let s = 0; s < m.nS; s++) {
      let t = 0;
      for (let a = 0; a < m.nA; a++) t += pi[s * m.nA + a]!;
      expect(t).toBeCloseTo(1, 12);
    }
    const after = predictBehaviour(m);
    expect(after.survival).not.toBeNull();
    expect(after.survival!).toBeGreaterThanOrEqual(0);
    expect(after.survival!).toBeLessThanOrEqual(1);
  });
});
