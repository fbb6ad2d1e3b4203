import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { bootstrapPredictions, resampledCounts } from "../src/builder/bootstrap.js";
import { assembleAt, prepareStates } from "../src/builder/build.js";
import { policyTable } from "../src/builder/fidelity-row.js";
import { prepareFromMetadata, recipeOf } from "../src/builder/recipe.js";
import { percentile95 } from "../src/core/stats.js";
import { readMdpDir, writeMdpDir } from "../src/io/index.js";
import { runCli } from "./helpers/run-cli.js";

const recipe = { simulator: "sepsispilot/septic-shock", patients: 300, seed: 4, k: 8, restarts: 1 };

describe("cohort bootstrap", () => {
  const prep = prepareStates(recipe);
  const dirs: string[] = [];
  afterAll(async () => {
    for (const d of dirs) await rm(d, { recursive: true, force: true });
  });

  it("resamples whole stays with replacement, reproducibly per replicate", () => {
    const a = resampledCounts(prep, 3, 9);
    const b = resampledCounts(prep, 3, 9);
    expect(Array.from(a.counts.count)).toEqual(Array.from(b.counts.count));
    const c = resampledCounts(prep, 4, 9);
    expect(c.outcome).not.toEqual(a.outcome);
    let d0 = 0;
    for (const x of a.counts.d0Count) d0 += x;
    expect(d0).toBe(300);
    let blocks = 0;
    for (const x of a.counts.saCount) blocks += x;
    expect(blocks / 300).toBeCloseTo(a.outcome.mean_stay_blocks, 12);
  });

  it("at threshold 0 each replicate's behaviour prediction is that replicate's observed survival", () => {
    const m = assembleAt(prep, 0).mdp;
    const tables = [{ policy: "behaviour", table: policyTable(m, "behaviour") }];
    const boot = bootstrapPredictions(prep, 0, tables, { replicates: 6, seed: 2, blocks: 12 }).get(
      "behaviour",
    )!;
    for (let b = 0; b < 6; b++) {
      expect(boot.infinite[b]).toBeCloseTo(resampledCounts(prep, b, 2).outcome.survival, 9);
      // Counting stays still in treatment at the horizon as survivors can only add survival.
      expect(boot.horizon[b]).toBeGreaterThanOrEqual(boot.infinite[b]! - 1e-12);
    }
  });

  it("percentile95 interpolates between order statistics", () => {
    const xs = Array.from({ length: 41 }, (_, i) => 40 - i); // 0..40 shuffled order
    expect(percentile95(xs)).toEqual([1, 39]);
    expect(() => percentile95([])).toThrow(/empty sample/);
  });

  it("a written MDP's recipe re-runs to the same states; fidelity --bootstrap gives both intervals", async () => {
    const m = assembleAt(prep, 20).mdp;
    const dir = await mkdtemp(join(tmpdir(), "tabmdp-boot-"));
    dirs.push(dir);
    await writeMdpDir(m, dir);
    const back = await readMdpDir(dir);
    expect(recipeOf(back)).toMatchObject({ ...recipe, threshold: 20 });
    expect(prepareFromMetadata(back).k).toBe(8);
    const r = await runCli("fidelity", dir, "--policy", "behaviour", "--patients", "200", "--seed", "3");
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/predicted \(horizon\).*predicted \(infinite\)/);
    const plain = JSON.parse(
      (await runCli("fidelity", dir, "--policy", "random", "--patients", "50", "--seed", "3", "--json")).out,
    );
    expect(Object.keys(plain)).toEqual(["policy", "simulated", "predicted", "gap"]);
    expect(Object.keys(plain.predicted)).toEqual(["horizon", "infinite"]);
    expect(Object.keys(plain.predicted.horizon)).toEqual(["survival", "blocks"]);
    expect(Object.keys(plain.predicted.infinite)).toEqual(["survival", "exact"]);
    expect(Object.keys(plain.gap)).toEqual(["horizon", "infinite"]);
    const j = JSON.parse(
      (
        await runCli(
          "fidelity",
          dir,
          "--policy",
          "optimal",
          "--patients",
          "200",
          "--seed",
          "3",
          "--bootstrap",
          "8",
          "--json",
        )
      ).out,
    );
    expect(j.policy).toBe("optimal");
    expect(j.tieBreaks.map((t: { tieBreak: string }) => t.tieBreak)).toEqual([
      "tie-rule",
      "most-frequent",
      "least-frequent",
    ]);
    // The main row is the tie rule's.
    expect(j.simulated).toEqual(j.tieBreaks[0].simulated);
    const sims = j.tieBreaks.map((t: { simulated: { survival: number } }) => t.simulated.survival);
    expect(j.spread.simulated).toBeCloseTo(Math.max(...sims) - Math.min(...sims), 14);
    // SepsisPilot septic shock: 48 hours in 4-hour blocks.
    expect(j.predicted.horizon.blocks).toBe(12);
    expect(j.predicted.horizon.ci95).toHaveLength(2);
    expect(j.gap.horizon.value).toBeCloseTo(j.simulated.survival - j.predicted.horizon.survival, 12);
    expect(j.gap.horizon.ci95).toHaveLength(2);
    expect(j.simulated.ci95[0]).toBeLessThanOrEqual(j.simulated.survival);
    expect(j.simulated.ci95[1]).toBeGreaterThanOrEqual(j.simulated.survival);
    const [lo, hi] = j.predicted.infinite.ci95;
    expect(lo).toBeLessThanOrEqual(hi);
    expect(j.gap.infinite.value).toBeCloseTo(j.simulated.survival - j.predicted.infinite.survival, 12);
    expect(j.gap.infinite.ci95).toHaveLength(2);
  });
});
