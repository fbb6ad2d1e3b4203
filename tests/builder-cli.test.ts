import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli } from "./helpers/run-cli.js";
import { repoRoot } from "./helpers/shared.js";

const small = ["--patients", "200", "--k", "5", "--seed", "1", "--check-patients", "60"];

describe("builder studies on the command line", () => {
  it("study threshold takes the recipe flags (--epsilon changes the behaviour) and several cohort seeds", async () => {
    const run = async (...extra: string[]) => {
      const r = await runCli(
        "study",
        "threshold",
        "sepsispilot/septic-shock",
        ...small,
        "--thresholds",
        "0,5",
        "--json",
        ...extra,
      );
      expect(r.code).toBe(0);
      return JSON.parse(r.out) as {
        rows: {
          cohortSeed: number;
          threshold: number;
          policy: string;
          tieBreak?: string;
          simulated: { survival: number };
          predicted: { horizon: { survival: number; blocks: number }; infinite: { survival: number } };
        }[];
        acrossCohorts: { cohorts: number }[];
        tieSpreads: { cohortSeed: number; threshold: number; spread: { simulated: number } }[];
      };
    };
    const base = await run("--cohort-seeds", "2");
    // Behaviour, expert, random and the optimal policy's three tie-breaks, per cohort and threshold.
    expect(base.rows).toHaveLength(2 * 2 * 6);
    const ties = base.rows.filter((r) => r.policy === "optimal").map((r) => r.tieBreak);
    expect(new Set(ties)).toEqual(new Set(["tie-rule", "most-frequent", "least-frequent"]));
    expect(base.tieSpreads).toHaveLength(2 * 2);
    // 48 hours in 4-hour blocks; the horizon never lowers survival.
    for (const r of base.rows) {
      expect(r.predicted.horizon.blocks).toBe(12);
      expect(r.predicted.horizon.survival).toBeGreaterThanOrEqual(r.predicted.infinite.survival - 1e-12);
    }
    expect(new Set(base.rows.map((r) => r.cohortSeed))).toEqual(new Set([1, 2]));
    expect(base.acrossCohorts.every((a) => a.cohorts === 2)).toBe(true);
    const calm = await run("--epsilon", "0");
    const behaviour = (j: typeof base) => j.rows.find((r) => r.policy === "behaviour" && r.cohortSeed === 1)!;
    // Without exploration the septic-shock heuristic never dies; with the default 0.8 some patients do.
    expect(behaviour(calm).simulated.survival).toBe(1);
    expect(behaviour(base).simulated.survival).toBeLessThan(1);
  });

  it("fidelity --policy behaviour on an MDP not made by build exits 2 with the reason", async () => {
    const r = await runCli(
      "fidelity",
      resolve(repoRoot, "data/demo"),
      "--policy",
      "behaviour",
      "--seed",
      "1",
    );
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/builder/);
  });
});
