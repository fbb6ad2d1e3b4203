import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { sepsisimDefinitions } from "../src/sim/sepsisim/index.js";
import { goldenDir, hasGolden } from "./helpers/shared.js";

type Row = { t: number; action?: number[]; obs: number[]; reward?: number; terminated?: boolean };
const FILE = resolve(goldenDir, "sepsisim-medium-noisefree.json");
const SKIP = "../shared/golden is absent: SepsiSim golden-trace tests skipped";

/** Relative error with a small floor so exact zeros (D at reset, dose 0) compare absolutely. */
const rel = (x: number, ref: number): number => Math.abs(x - ref) / Math.max(Math.abs(ref), 1e-3);

const RUNS: readonly { name: string; sim: number; policy: string | null }[] = [
  { name: "Fluid-medium-heuristic", sim: 0, policy: "heuristic" },
  { name: "Fluid-medium-zero", sim: 0, policy: "zero" },
  { name: "Vaso-medium-heuristic", sim: 1, policy: "heuristic" },
  { name: "Mgmt-medium-heuristic", sim: 2, policy: "heuristic" },
  { name: "Mgmt-medium-noabx", sim: 2, policy: "zero" },
];

describe.skipIf(!hasGolden)(`SepsiSim noise-free golden traces (${hasGolden ? "present" : SKIP})`, () => {
  const golden = hasGolden ? (JSON.parse(readFileSync(FILE, "utf8")) as Record<string, Row[]>) : {};

  for (const run of RUNS) {
    it(`${run.name}: observations and rewards within 1e-4, same termination step`, () => {
      const rows = golden[run.name]!;
      const def = sepsisimDefinitions[run.sim]!;
      const sim = def.create({ noise: false, tier: "medium" });
      let obs = sim.reset(1);
      let worst = 0;
      for (let i = 0; i < obs.length; i++) worst = Math.max(worst, rel(obs[i]!, rows[0]!.obs[i]!));
      let terminatedAt = -1;
      for (const row of rows.slice(1)) {
        const s = sim.step(row.action!);
        for (let i = 0; i < s.obs.length; i++) worst = Math.max(worst, rel(s.obs[i]!, row.obs[i]!));
        worst = Math.max(worst, rel(s.reward, row.reward!));
        expect(s.terminated, `terminated at t=${row.t}`).toBe(row.terminated);
        if (s.terminated) terminatedAt = row.t;
        obs = s.obs;
      }
      expect(worst).toBeLessThan(1e-4);
      const refEnd = rows.findIndex((r) => r.terminated === true);
      expect(terminatedAt).toBe(refEnd);
      // Without termination the golden runs stop at the 72-step limit.
      if (refEnd < 0) expect(rows.length - 1).toBe(72);
    });

    it(`${run.name}: the built-in "${run.policy}" policy chooses the recorded actions`, () => {
      const rows = golden[run.name]!;
      const def = sepsisimDefinitions[run.sim]!;
      const policy = def.heuristics({})[run.policy!]!;
      const sim = def.create({ noise: false, tier: "medium" });
      let obs = sim.reset(1);
      const noRng = { next: () => 0.5, int: () => 0 };
      for (const [t, row] of rows.slice(1).entries()) {
        const a = policy(obs, t, noRng);
        for (let i = 0; i < a.length; i++) expect(a[i]).toBeCloseTo(row.action![i]!, 6);
        obs = sim.step(a).obs;
      }
    });
  }
});
