import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { type SepsisPilotSimulator, sepsispilotDefinitions } from "../src/sim/sepsispilot/index.js";
import { goldenDir, hasGolden } from "./helpers/shared.js";

interface GoldenRun {
  steps: number;
  alive: boolean;
  stabilized_at: number | null;
  ret: number;
  final: number[];
  grade: number;
}

const ID: Readonly<Record<string, string>> = {
  mild_sepsis: "sepsispilot/mild-sepsis",
  septic_shock: "sepsispilot/septic-shock",
  severe_mods: "sepsispilot/severe-mods",
};

/** Noise-free constant-action episode, reported in the golden file's terms. */
function constantRun(task: string, action: number): GoldenRun {
  const def = sepsispilotDefinitions.find((d) => d.id === ID[task])!;
  const sim = def.create({ noise: false }) as SepsisPilotSimulator;
  let obs = sim.reset(0);
  let ret = 0;
  let steps = 0;
  for (;;) {
    const s = sim.step([action]);
    ret += s.reward;
    steps += 1;
    obs = s.obs;
    if (s.terminated || s.truncated) {
      return {
        steps,
        alive: s.outcome !== "dead",
        stabilized_at: sim.record().stabilizedAt,
        ret: Math.round(ret * 1e4) / 1e4,
        final: [...obs.slice(0, 8)],
        grade: sim.grade(),
      };
    }
  }
}

const GOLDEN_FILE = resolve(goldenDir, "sepsispilot-constant-noisefree.json");
const golden: Record<string, GoldenRun> = hasGolden ? JSON.parse(readFileSync(GOLDEN_FILE, "utf8")) : {};

describe.skipIf(!hasGolden)("SepsisPilot golden runs (skipped: ../shared/golden is absent)", () => {
  it("covers every action of two tasks", () => {
    expect(Object.keys(golden)).toHaveLength(18);
  });
  for (const [key, want] of Object.entries(golden)) {
    it(`reproduces ${key} exactly`, () => {
      const [task, a] = key.split("-a");
      expect(constantRun(task!, Number(a))).toEqual(want);
    });
  }
});

describe("SepsisPilot reference figures stated in the spec", () => {
  it("mild_sepsis broad+vaso stabilises at hour 6 with return 8.79 and grade 0.9268", () => {
    for (const a of [5, 6]) {
      const r = constantRun("mild_sepsis", a);
      expect([r.steps, r.stabilized_at, r.ret, r.grade]).toEqual([6, 6, 8.79, 0.9268]);
    }
  });
  it("mild_sepsis high vaso dies at hour 17 of bradycardia", () => {
    for (const a of [4, 8]) {
      const r = constantRun("mild_sepsis", a);
      expect([r.steps, r.alive]).toEqual([17, false]);
      expect(r.final[4]).toBeLessThan(25);
    }
  });
  it("septic_shock narrow+low survives 48 h (grade 0.911); high vaso dies at hour 26", () => {
    const r = constantRun("septic_shock", 7);
    expect([r.steps, r.alive, r.grade]).toEqual([48, true, 0.911]);
    for (const a of [4, 6, 8])
      expect(constantRun("septic_shock", a)).toMatchObject({ steps: 26, alive: false });
  });
  it("severe_mods: only narrow+low survives 72 h, grade 0.5832", () => {
    expect(constantRun("severe_mods", 7)).toMatchObject({ steps: 72, alive: true, grade: 0.5832 });
    for (const a of [0, 1, 2, 3, 4, 5, 6, 8]) expect(constantRun("severe_mods", a).alive).toBe(false);
  });
});
