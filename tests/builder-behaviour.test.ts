import { describe, expect, it } from "vitest";
import { actionAdapter } from "../src/builder/actions.js";
import { behaviourPolicy, drawStartHour } from "../src/builder/behaviour.js";
import { defaultRestarts, LARGE_KMEANS } from "../src/builder/build.js";
import { recipeDefaults } from "../src/builder/defaults.js";
import { seeded } from "../src/core/rng.js";
import { createSimulator } from "../src/sim/registry.js";

describe("behaviour variability", () => {
  it("draws geometric start hours with the requested mean and miss rate", () => {
    const rng = seeded(1);
    const xs = Array.from({ length: 20000 }, () => drawStartHour(rng, 3, 0.1));
    const finite = xs.filter(Number.isFinite);
    expect(finite.every((x) => Number.isInteger(x) && x >= 0)).toBe(true);
    expect(1 - finite.length / xs.length).toBeCloseTo(0.1, 1);
    expect(finite.reduce((a, b) => a + b, 0) / finite.length).toBeCloseTo(3, 0);
    expect(drawStartHour(seeded(2), 0, 0)).toBe(0);
  });

  it("holds SepsiSim's antibiotic flag at 0 before the patient's start hour, then follows the heuristic", () => {
    const c = createSimulator("sepsisim/sepsis-management", { tier: "medium" });
    const ad = actionAdapter(c.simulator);
    expect(ad.startFlag).toBe(2);
    const heuristic = () => [100, 0, 1];
    // No exploration, no jitter, always missed: never started; mean 0 and no miss: started at hour 0.
    const never = behaviourPolicy(
      c.simulator,
      heuristic,
      ad.jitter,
      { epsilon: 0, jitter: 0, abxMiss: 1 },
      2,
    );
    const now = behaviourPolicy(c.simulator, heuristic, ad.jitter, { epsilon: 0, jitter: 0 }, 2);
    const rng = seeded(3);
    const obs = c.simulator.reset(1);
    for (let t = 0; t < 5; t++) {
      expect(never(obs, t, rng)[2]).toBe(0);
      expect(now(obs, t, rng)[2]).toBe(1);
    }
  });

  it("has documented per-simulator defaults", () => {
    expect(recipeDefaults("sepsisim/sepsis-management")).toMatchObject({ abxDelay: 3, abxMiss: 0.1 });
    expect(recipeDefaults("sepsispilot/severe-mods")).toMatchObject({ blockHours: 1, epsilon: 0.4 });
    expect(recipeDefaults("sepsispilot/mild-sepsis")).toEqual({
      blockHours: 4,
      epsilon: 0.25,
      jitter: 0.3,
      abxDelay: 0,
      abxMiss: 0,
    });
    expect(defaultRestarts(1000, 100)).toBe(3);
    expect(defaultRestarts(LARGE_KMEANS / 750 + 1, 750)).toBe(1);
  });
});
