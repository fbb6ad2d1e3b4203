import { describe, expect, it } from "vitest";
import { UsageError } from "../src/core/errors.js";
import { seeded } from "../src/core/rng.js";
import { sepsisimDefinitions } from "../src/sim/sepsisim/index.js";
import type { SimDefinition, SimOptions, SimPolicy, SimStep } from "../src/sim/types.js";

const TIERS = ["easy", "medium", "hard"] as const;
const byId = (id: string): SimDefinition => sepsisimDefinitions.find((d) => d.id === id)!;
const FLUID = byId("sepsisim/fluid-resuscitation");
const VASO = byId("sepsisim/vasopressor-titration");
const MGMT = byId("sepsisim/sepsis-management");

/** One episode: the reset observation, then every step. */
function episode(def: SimDefinition, o: SimOptions, policy: string, seed: number) {
  const sim = def.create(o);
  const pol: SimPolicy = def.heuristics(o)[policy]!;
  const prng = seeded(`policy/${seed}`);
  const first = sim.reset(seed);
  const steps: SimStep[] = [];
  let obs = first;
  for (let t = 0; t < 1000; t++) {
    const s = sim.step(pol(obs, t, prng));
    steps.push(s);
    obs = s.obs;
    if (s.terminated || s.truncated) break;
  }
  return { sim, first, steps };
}

describe("SepsiSim definitions", () => {
  it("exports the three registry ids with heuristic, zero and random policies", () => {
    expect(sepsisimDefinitions.map((d) => d.id)).toEqual([
      "sepsisim/fluid-resuscitation",
      "sepsisim/vasopressor-titration",
      "sepsisim/sepsis-management",
    ]);
    for (const d of sepsisimDefinitions) {
      expect(d.tiers).toEqual(TIERS);
      expect(Object.keys(d.heuristics({})).sort()).toEqual(["heuristic", "random", "zero"]);
    }
  });

  it("declares observation and action spaces as specified (lactate log-scaled, antibiotic flag binary)", () => {
    const dims = sepsisimDefinitions.map((d) => d.create({}).observation.length);
    expect(dims).toEqual([7, 8, 10]);
    for (const d of sepsisimDefinitions) {
      const sim = d.create({});
      expect(sim.maxSteps).toBe(72);
      expect(sim.observation.find((f) => f.name === "lactate")?.logScale).toBe(true);
      for (const f of sim.observation) expect(f.low).toBeLessThan(f.high);
    }
    const mgmt = MGMT.create({});
    expect(mgmt.observation[9]).toMatchObject({ name: "antibiotics", binary: true });
    expect(mgmt.actions).toMatchObject({ kind: "box", low: [0, -0.1, 0], high: [1000, 0.1, 1] });
    expect(FLUID.create({}).actions).toMatchObject({ low: [0], high: [1000] });
    expect(VASO.create({}).actions).toMatchObject({ low: [-0.1], high: [0.1] });
  });
});

describe("SepsiSim environments with noise", () => {
  it("keeps every observation inside its bounds and SOFA an integer in 0-12, under random and heuristic play", () => {
    for (const def of sepsisimDefinitions) {
      for (const tier of TIERS) {
        for (const policy of ["random", "heuristic"]) {
          for (let seed = 0; seed < 4; seed++) {
            const { sim, first, steps } = episode(def, { tier }, policy, seed);
            const sofaAt = sim.observation.findIndex((f) => f.name === "sofa");
            for (const obs of [first, ...steps.map((s) => s.obs)]) {
              sim.observation.forEach((f, i) => {
                expect(obs[i]!, `${def.id} ${f.name}`).toBeGreaterThanOrEqual(f.low);
                expect(obs[i]!, `${def.id} ${f.name}`).toBeLessThanOrEqual(f.high);
              });
              expect(Number.isInteger(obs[sofaAt])).toBe(true);
            }
          }
        }
      }
    }
  });

  it("is deterministic by seed, and different seeds give different trajectories", () => {
    for (const def of sepsisimDefinitions) {
      const a = episode(def, { tier: "medium" }, "heuristic", 7);
      const b = episode(def, { tier: "medium" }, "heuristic", 7);
      const c = episode(def, { tier: "medium" }, "heuristic", 8);
      expect(Array.from(a.first)).toEqual(Array.from(b.first));
      expect(a.steps.map((s) => [s.reward, ...s.obs])).toEqual(b.steps.map((s) => [s.reward, ...s.obs]));
      expect(Array.from(a.first)).not.toEqual(Array.from(c.first));
    }
  });

  it("ends at the 72-step limit with truncated = true and outcome alive, or earlier by death", () => {
    const { steps } = episode(FLUID, { tier: "easy" }, "heuristic", 3);
    expect(steps.length).toBe(72);
    expect(steps.at(-1)).toMatchObject({ truncated: true, terminated: false, outcome: "alive" });
    expect(steps.slice(0, -1).every((s) => !s.truncated && !s.terminated)).toBe(true);
    const dead = episode(MGMT, { tier: "hard" }, "zero", 3).steps;
    expect(dead.at(-1)).toMatchObject({ terminated: true, truncated: false, outcome: "dead" });
    expect(dead.at(-1)!.reward).toBeLessThan(-40);
  });

  it("quirk: VasopressorTitration dies by hour 9 whatever the policy (weak antibiotics)", () => {
    for (const tier of TIERS) {
      for (const policy of ["heuristic", "random", "zero"]) {
        for (let seed = 0; seed < 10; seed++) {
          const { steps } = episode(VASO, { tier }, policy, seed);
          expect(steps.at(-1)!.terminated).toBe(true);
          expect(steps.length).toBeLessThanOrEqual(9);
          expect(steps.length).toBeGreaterThanOrEqual(6);
        }
      }
    }
  });
});

describe("SepsiSim tiers and noise-free runs", () => {
  const bacteriaAt: Record<string, number> = { fluid: 5, vaso: 5, mgmt: 6 };
  const cases = [
    { def: FLUID, key: "fluid", loads: [0.2, 0.4, 0.6] },
    { def: VASO, key: "vaso", loads: [0.25, 0.45, 0.65] },
    { def: MGMT, key: "mgmt", loads: [0.25, 0.45, 0.65] },
  ];
  for (const { def, key, loads } of cases) {
    it(`${def.id}: tiers start from their nominal bacterial load and lactate 1 + 3 * load`, () => {
      TIERS.forEach((tier, i) => {
        const obs = def.create({ tier, noise: false }).reset(0);
        expect(obs[bacteriaAt[key]!]).toBeCloseTo(loads[i]!, 6);
        expect(obs[1]).toBeCloseTo(1 + 3 * loads[i]!, 6);
      });
    });
  }

  it("noise-free reset MAP is 75 (fluid, management) and 81.902 (vasopressor: V = 1 L, 0.05 mcg/kg/min)", () => {
    expect(FLUID.create({ noise: false }).reset(0)[0]).toBe(75);
    expect(MGMT.create({ noise: false }).reset(0)[0]).toBe(75);
    expect(VASO.create({ noise: false }).reset(0)[0]).toBeCloseTo(81.902, 3);
  });

  it("noise-free vasopressor heuristic lasts 8 / 7 / 7 steps (easy / medium / hard)", () => {
    const lengths = TIERS.map((tier) => episode(VASO, { tier, noise: false }, "heuristic", 0).steps.length);
    expect(lengths).toEqual([8, 7, 7]);
  });

  it("noise-free: harder tiers do more damage under the same policy, and without noise the seed is irrelevant", () => {
    for (const def of [FLUID, MGMT]) {
      const damageAt6 = TIERS.map(
        (tier) => episode(def, { tier, noise: false }, "heuristic", 0).steps[5]!.obs[3]!,
      );
      expect(damageAt6[0]).toBeLessThan(damageAt6[1]!);
      expect(damageAt6[1]).toBeLessThan(damageAt6[2]!);
      const a = episode(def, { noise: false }, "heuristic", 1).steps.map((s) => s.reward);
      const b = episode(def, { noise: false }, "heuristic", 2).steps.map((s) => s.reward);
      expect(a).toEqual(b);
    }
  });

  it("management heuristic survives all tiers noise-free; never giving antibiotics dies by hour 7", () => {
    for (const tier of TIERS) {
      expect(episode(MGMT, { tier, noise: false }, "heuristic", 0).steps.length).toBe(72);
      expect(episode(MGMT, { tier, noise: false }, "zero", 0).steps.length).toBeLessThanOrEqual(7);
    }
  });

  it("fluid resuscitation without antibiotics dies; with them (default) the heuristic survives", () => {
    for (const tier of TIERS) {
      expect(episode(FLUID, { tier, noise: false }, "heuristic", 0).steps.length).toBe(72);
      const opts = { tier, noise: false, antibioticGiven: false } as SimOptions;
      expect(episode(FLUID, opts, "heuristic", 0).steps.at(-1)!.terminated).toBe(true);
    }
  });
});

describe("SepsiSim action handling", () => {
  it("clips actions to the box: 5000 mL counts as 1000 mL, -3 as 0", () => {
    const a = FLUID.create({ noise: false });
    const b = FLUID.create({ noise: false });
    a.reset(0);
    b.reset(0);
    expect(Array.from(a.step([5000]).obs)).toEqual(Array.from(b.step([1000]).obs));
    expect(Array.from(a.step([-3]).obs)).toEqual(Array.from(b.step([0]).obs));
  });

  it("antibiotics are irreversible in management: a later 0 does not switch them off", () => {
    const sim = MGMT.create({ noise: false });
    sim.reset(0);
    expect(sim.step([0, 0, 1]).obs[9]).toBe(1);
    expect(sim.step([0, 0, 0]).obs[9]).toBe(1);
  });

  it("rejects a wrong action length, non-finite actions and steps outside an episode", () => {
    const sim = MGMT.create({});
    expect(() => sim.step([0, 0, 0])).toThrow(UsageError);
    sim.reset(1);
    expect(() => sim.step([0])).toThrow(/length 1, expected 3/);
    expect(() => sim.step([Number.NaN, 0, 0])).toThrow(/not a finite number/);
    expect(() => MGMT.create({ params: { kGrowth: 2 } } as SimOptions)).toThrow(/kGrowth/);
  });
});
