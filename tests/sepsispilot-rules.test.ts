import { describe, expect, it } from "vitest";
import { UsageError } from "../src/core/errors.js";
import {
  ACTIONS,
  antibioticEffect,
  CLAMPS,
  createSepsisPilot,
  hourlyUpdate,
  lerp,
  OBSERVATION,
  type PilotState,
  roundDp,
  sepsisPilotHeuristic,
  snapshot,
  sofa,
  stepReward,
  TASKS,
} from "../src/sim/sepsispilot/index.js";

const severe = TASKS.severe_mods;
const mild = TASKS.mild_sepsis;

/** Resistance observed after each step of a noise-free severe_mods episode under `actions`. */
function resistanceTrail(actions: readonly number[]): number[] {
  const sim = createSepsisPilot("t", severe, { noise: false });
  sim.reset(0);
  return actions.map((a) => sim.step([a]).obs[7]!);
}

describe("severe_mods antibiotic alternation (mixed resistant)", () => {
  it("first use of either antibiotic is fully effective and leaves R alone", () => {
    expect(antibioticEffect(severe, "broad", null, 0.1)).toEqual({ efficiency: 0.8, resistance: 0.1 });
    expect(antibioticEffect(severe, "narrow", null, 0.1)).toEqual({ efficiency: 0.7, resistance: 0.1 });
  });
  it("switching type restores full efficiency without raising R", () => {
    expect(antibioticEffect(severe, "broad", "narrow", 0.5)).toEqual({ efficiency: 0.8, resistance: 0.5 });
    expect(antibioticEffect(severe, "narrow", "broad", 0.5)).toEqual({ efficiency: 0.7, resistance: 0.5 });
  });
  it("repeated broad uses R before the update, then raises R by 0.08 (capped at 1)", () => {
    const r = antibioticEffect(severe, "broad", "broad", 0.1);
    expect(r.efficiency).toBeCloseTo(0.7, 12);
    expect(r.resistance).toBeCloseTo(0.18, 12);
    expect(antibioticEffect(severe, "broad", "broad", 0.75)).toEqual({ efficiency: 0.1, resistance: 0.83 });
    expect(antibioticEffect(severe, "broad", "broad", 0.95).resistance).toBe(1);
  });
  it("repeated narrow loses 0.5 R of efficiency but never raises R", () => {
    expect(antibioticEffect(severe, "narrow", "narrow", 0.1).efficiency).toBeCloseTo(0.65, 12);
    expect(antibioticEffect(severe, "narrow", "narrow", 1).efficiency).toBeCloseTo(0.2, 12);
    expect(antibioticEffect(severe, "narrow", "narrow", 0.4).resistance).toBe(0.4);
  });
  it("no antibiotic: no effect and no resistance change", () => {
    expect(antibioticEffect(severe, null, "broad", 0.3)).toEqual({ efficiency: 0, resistance: 0.3 });
  });
  it("non-antibiotic hours do not reset the last antibiotic", () => {
    const s0: PilotState = { vitals: severe.initial, lastAb: null, step: 0 };
    const zero = () => 0;
    const s1 = hourlyUpdate(severe, s0, ACTIONS[1]!, zero); // broad
    const s2 = hourlyUpdate(severe, s1, ACTIONS[3]!, zero); // vaso only
    expect(s2.lastAb).toBe("broad");
    const s3 = hourlyUpdate(severe, s2, ACTIONS[5]!, zero); // broad again: a repeat
    expect(s3.vitals.resistance).toBeCloseTo(0.18, 12);
  });
  it("episodes: only repeated broad raises the observed resistance", () => {
    expect(resistanceTrail([1, 1, 1, 1])).toEqual([0.1, 0.18, 0.26, 0.34]);
    expect(resistanceTrail([1, 0, 3, 1])).toEqual([0.1, 0.1, 0.1, 0.18]);
    expect(resistanceTrail([1, 2, 1, 2])).toEqual([0.1, 0.1, 0.1, 0.1]);
    expect(resistanceTrail([2, 2, 2, 1])).toEqual([0.1, 0.1, 0.1, 0.1]);
  });
  it("a resistance increase costs 1.5 per unit of reward (-0.12 per repeat), severe_mods only", () => {
    const prev = snapshot(severe.initial);
    const cur = { ...prev, resistance: 0.18 };
    expect(
      roundDp(stepReward(severe, prev, prev, false, false) - stepReward(severe, prev, cur, false, false), 4),
    ).toBe(0.12);
    expect(stepReward(mild, prev, cur, false, false)).toBe(stepReward(mild, prev, prev, false, false));
  });
  it("other infections ignore repetition", () => {
    expect(antibioticEffect(mild, "broad", "broad", 0)).toEqual({ efficiency: 1, resistance: 0 });
    expect(antibioticEffect(mild, "narrow", "narrow", 0).efficiency).toBe(0.3);
    expect(antibioticEffect(TASKS.septic_shock, "narrow", "narrow", 0).efficiency).toBe(1);
    expect(antibioticEffect(TASKS.septic_shock, "broad", null, 0).efficiency).toBe(0.3);
  });
});

describe("SepsisPilot graders", () => {
  it("lerp clips into (0, 1)", () => {
    expect(lerp(100, 40, 85)).toBe(0.999);
    expect(lerp(0, 40, 85)).toBe(0.001);
    expect(lerp(3.5, 6, 1)).toBeCloseTo(0.5, 12);
  });
  it("severe_mods credits narrow only after the first broad", () => {
    const sim = createSepsisPilot("t", severe, { noise: false });
    sim.reset(0);
    sim.step([7]);
    sim.step([5]);
    expect(sim.record()).toMatchObject({ usedBroad: true, usedNarrow: true, narrowAfterBroad: false });
    sim.step([7]);
    expect(sim.record().narrowAfterBroad).toBe(true);
  });
  it("every task grades episodes inside (0, 1) under random and heuristic play; dead = 0.001", () => {
    for (const task of Object.values(TASKS)) {
      const sim = createSepsisPilot("t", task);
      const policy = sepsisPilotHeuristic(task);
      for (let ep = 0; ep < 20; ep++) {
        let obs = sim.reset(ep);
        for (let t = 0; ; t++) {
          const a = ep % 2 === 0 ? (ep * 7 + t * 3) % 9 : policy(obs, t, { next: () => 0, int: () => 0 })[0]!;
          const s = sim.step([a]);
          obs = s.obs;
          if (s.terminated || s.truncated) {
            const g = sim.grade();
            expect(g).toBeGreaterThan(0);
            expect(g).toBeLessThan(1);
            if (s.outcome === "dead") expect(g).toBe(0.001);
            break;
          }
        }
      }
    }
  });
});

describe("SepsisPilot clamps, SOFA and rounding", () => {
  it("extreme noise stays inside the clamps and declared bounds", () => {
    for (const sign of [1, -1]) {
      let s: PilotState = { vitals: severe.initial, lastAb: null, step: 0 };
      for (let t = 0; t < 5; t++) {
        s = hourlyUpdate(severe, s, ACTIONS[t % 9]!, () => sign * 1e6);
        for (const [k, [lo, hi]] of Object.entries(CLAMPS)) {
          const v = s.vitals[k as keyof typeof CLAMPS];
          expect(v).toBeGreaterThanOrEqual(lo);
          expect(v).toBeLessThanOrEqual(hi);
        }
      }
    }
  });
  it("constant vasopressor drives MAP to the 160 ceiling (effects accumulate)", () => {
    const sim = createSepsisPilot("t", mild, { noise: false });
    sim.reset(0);
    let map = 0;
    for (let t = 0; t < 24; t++) map = sim.step([3]).obs[0]!;
    expect(map).toBe(160);
  });
  it("observations stay within the declared feature bounds", () => {
    const sim = createSepsisPilot("t", severe);
    for (let ep = 0; ep < 5; ep++) {
      sim.reset(`bounds-${ep}`);
      for (let t = 0; t < severe.maxSteps; t++) {
        const s = sim.step([(t * 5 + ep) % 9]);
        s.obs.forEach((x, i) => {
          expect(x).toBeGreaterThanOrEqual(OBSERVATION[i]!.low);
          expect(x).toBeLessThanOrEqual(OBSERVATION[i]!.high);
        });
        if (s.terminated || s.truncated) break;
      }
    }
  });
  it("SOFA follows the thresholds (max 16 reachable)", () => {
    expect(sofa({ ...mild.initial, map: 80, creat: 1, lactate: 1 })).toBe(0);
    expect(sofa({ ...mild.initial, map: 50, creat: 4, lactate: 9 })).toBe(16);
    expect(snapshot(severe.initial).sofa).toBe(4 + 3 + 3);
  });
  it("rounds like Python: nearest to the exact binary value, exact ties to even", () => {
    expect(roundDp(2.675, 2)).toBe(2.67);
    expect(roundDp(0.125, 2)).toBe(0.12);
    expect(roundDp(0.375, 2)).toBe(0.38);
    expect(roundDp(2.5, 0)).toBe(2);
    expect(roundDp(-0.125, 2)).toBe(-0.12);
    expect(roundDp(118.04999, 1)).toBe(118);
    expect(roundDp(1.2345678, 3)).toBe(1.235);
  });
});

describe("SepsisPilot episodes and seeds", () => {
  const run = (seed: number | string, noise = true): number[] => {
    const sim = createSepsisPilot("t", TASKS.septic_shock, { noise });
    const out = [...sim.reset(seed)];
    for (let t = 0; t < 10; t++) out.push(...sim.step([7]).obs);
    return out;
  };
  it("is deterministic by seed and varies across seeds", () => {
    expect(run(11)).toEqual(run(11));
    expect(run(11)).not.toEqual(run(12));
  });
  it("noise off ignores the seed", () => {
    expect(run(1, false)).toEqual(run(2, false));
  });
  it("resets deterministically to the task's initial vitals", () => {
    const sim = createSepsisPilot("t", mild);
    expect([...sim.reset(5)]).toEqual([65, 2.5, 14, 38.2, 95, 0.9, 2, 0, 0]);
  });
  it("rejects stepping after the end, before reset, and bad actions", () => {
    const sim = createSepsisPilot("t", mild, { noise: false });
    expect(() => sim.step([0])).toThrow(UsageError);
    sim.reset(0);
    expect(() => sim.step([9])).toThrow(UsageError);
    expect(() => sim.step([1.5])).toThrow(UsageError);
    expect(() => sim.step([1, 2])).toThrow(UsageError);
    for (let t = 0; t < 6; t++) sim.step([5]);
    expect(() => sim.step([5])).toThrow(/episode is over/);
  });
});
