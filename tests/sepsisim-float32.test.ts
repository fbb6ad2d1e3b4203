import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { seeded } from "../src/core/rng.js";
import { createSimulator } from "../src/sim/registry.js";
import { managementHeuristic, vasoHeuristic } from "../src/sim/sepsisim/index.js";
import { runCli } from "./helpers/run-cli.js";

const obs = (map: number, volume: number, dose: number, abx: number): Float64Array => {
  const o = new Float64Array(11);
  o[0] = map;
  o[4] = volume;
  o[5] = dose;
  o[9] = abx;
  return o;
};

describe("SepsiSim policies emit float32 actions, as the original agents do", () => {
  it("the heuristics' dose changes are the float32 values, not the decimal ones", () => {
    const up = vasoHeuristic(obs(60, 0, 0, 0), 0, seeded(1));
    expect(up[0]).toBe(Math.fround(0.05));
    expect(up[0]).not.toBe(0.05);
    expect(vasoHeuristic(obs(90, 0, 0, 0), 0, seeded(1))[0]).toBe(Math.fround(-0.02));
    const m = managementHeuristic(obs(60, 2.5, 0.1, 0), 0, seeded(1));
    expect(m).toEqual([750, Math.fround(0.05), 1]);
  });

  it("random actions are float32 values inside the float32 box", () => {
    for (const id of [
      "sepsisim/fluid-resuscitation",
      "sepsisim/vasopressor-titration",
      "sepsisim/sepsis-management",
    ]) {
      const c = createSimulator(id, { tier: "medium" });
      const random = c.definition.heuristics(c.options).random!;
      const rng = seeded(7);
      for (let i = 0; i < 200; i++)
        for (const x of random(obs(70, 1, 0, 0), i, rng)) expect(Math.fround(x)).toBe(x);
    }
  });

  it("sim run --trace writes the float32 action values the simulator received", async () => {
    const file = join(mkdtempSync(join(tmpdir(), "tabmdp-f32-")), "t.csv");
    const r = await runCli(
      "sim",
      "run",
      "sepsisim/vasopressor-titration",
      "--episodes",
      "1",
      "--noise",
      "off",
      "--trace",
      file,
    );
    expect(r.code).toBe(0);
    const rows = readFileSync(file, "utf8").trim().split("\n").slice(2);
    const actions = rows.map((line) => Number(line.split(",")[2]));
    expect(actions.every((a) => Math.fround(a) === a)).toBe(true);
    expect(actions.some((a) => a === Math.fround(0.05) || a === Math.fround(-0.02))).toBe(true);
  });
});
