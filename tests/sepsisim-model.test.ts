import { describe, expect, it } from "vitest";
import { UsageError } from "../src/core/errors.js";
import { INFLAMMATION_RANGES, inflammationParams, inflammationStep } from "../src/sim/sepsisim/index.js";
import { lactateStep, mapMean, sofaScore, urineMean, volumeStep } from "../src/sim/sepsisim/physiology.js";

const P = inflammationParams();
const WORK = new Float64Array(16);

/** Run the inflammation model alone for 72 h; alpha may change with the hour index. */
function run(b0: number, alphaAt: (t: number) => number) {
  const y = Float64Array.from([b0, P.sM / P.muM, P.sA / P.muA, 0]);
  let firstDeath = -1;
  let peak = 0;
  for (let t = 0; t < 72; t++) {
    inflammationStep(y, P, alphaAt(t), 1, 10, WORK);
    if (firstDeath < 0 && y[3]! >= 0.9) firstDeath = t + 1;
    peak = Math.max(peak, y[3]!);
  }
  return { y, firstDeath, peak };
}

describe("SepsiSim inflammation model (the spec's measured table, noise-free)", () => {
  const table = [
    { alpha: 0, deaths: [7, 7, 6], end: [0.847, 0.34, 4.89, 1.0] },
    { alpha: 0.15, deaths: [9, 7, 7], end: [0.59, 0.306, 4.59, 0.978] },
    { alpha: 0.5, deaths: [-1, -1, -1], end: [0.056, 0.14, 2.33, 0.507] },
  ];
  const loads = [0.2, 0.45, 0.65];
  for (const row of table) {
    it(`alpha = ${row.alpha}: first hour with D >= 0.9 and the state after 72 h`, () => {
      loads.forEach((b0, i) => {
        const r = run(b0, () => row.alpha);
        expect(r.firstDeath).toBe(row.deaths[i]);
        // The table rounds to 2-3 digits and gives one "≈" state for all three loads.
        for (const [j, v] of row.end.entries()) {
          expect(Math.abs(r.y[j]! - v)).toBeLessThan(0.02 * Math.max(v, 0.1));
        }
      });
    });
  }

  it("alpha = 0.5 peaks below 0.9 at 0.740 / 0.801 / 0.825", () => {
    const peaks = loads.map((b0) => run(b0, () => 0.5).peak);
    expect(peaks.map((p) => Number(p.toFixed(3)))).toEqual([0.74, 0.801, 0.825]);
  });

  it("latest antibiotic start that avoids death: 3 for B0 <= 0.30, 2 for 0.36-0.65, 1 for 0.78", () => {
    const latest = (b0: number) => {
      let k = -1;
      while (run(b0, (t) => (t >= k + 1 ? 0.5 : 0)).firstDeath < 0) k++;
      return k;
    };
    expect([0.25, 0.3].map(latest)).toEqual([3, 3]);
    expect([0.36, 0.45, 0.65].map(latest)).toEqual([2, 2, 2]);
    expect(latest(0.78)).toBe(1);
  });

  it("clips the state after each step: B in [0, bMax], D in [0, 1], M, A >= 0", () => {
    const y = Float64Array.from([1, 5, 0, 0.99]);
    for (let t = 0; t < 72; t++) {
      inflammationStep(y, P, 0, 1, 10, WORK);
      expect(y[0]).toBeGreaterThanOrEqual(0);
      expect(y[0]).toBeLessThanOrEqual(P.bMax);
      expect(y[1]).toBeGreaterThanOrEqual(0);
      expect(y[2]).toBeGreaterThanOrEqual(0);
      expect(y[3]).toBeLessThanOrEqual(1);
    }
    expect(y[3]).toBe(1);
  });

  it("rejects parameters outside their validated range and names them", () => {
    expect(() => inflammationParams({ kGrowth: 1.5 })).toThrow(UsageError);
    expect(() => inflammationParams({ muD: 0 })).toThrow(/muD = 0/);
    expect(() => inflammationParams({ kKill: Number.NaN })).toThrow(UsageError);
    for (const [k, [lo, hi]] of Object.entries(INFLAMMATION_RANGES)) {
      expect(() => inflammationParams({ [k]: lo })).not.toThrow();
      expect(() => inflammationParams({ [k]: hi })).not.toThrow();
    }
  });
});

describe("SepsiSim cardiovascular, lactate and SOFA sub-models", () => {
  it("MAP: 75 at rest, 81.902 with V = 1 L and 0.05 mcg/kg/min; damage lowers it by 30 % of MAP_0", () => {
    expect(mapMean(0, 0, 0)).toBe(75);
    expect(mapMean(0, 1, 0.05)).toBeCloseTo(81.902, 3);
    expect(mapMean(1, 0, 0)).toBeCloseTo(52.5, 12);
  });

  it("volume: bolus then 15 % loss per hour, clipped to [-1, 10]", () => {
    expect(volumeStep(0, 250, 1)).toBeCloseTo(0.2125, 12);
    expect(volumeStep(9.9, 1000, 1)).toBeCloseTo(9.265, 12);
    expect(volumeStep(20, 1000, 1)).toBe(10);
  });

  it("urine output is piecewise linear in MAP, at most 0.5 (reached at MAP >= 95)", () => {
    expect(urineMean(49)).toBe(0);
    expect(urineMean(57.5)).toBeCloseTo(0.15, 12);
    expect(urineMean(65)).toBeCloseTo(0.3, 12);
    expect(urineMean(95)).toBeCloseTo(0.5, 12);
    expect(urineMean(150)).toBeCloseTo(0.5, 12);
    expect(urineMean(94.9)).toBeLessThan(0.5);
  });

  it("lactate settles near its fixed point 1 + 0.75 / 0.225 with D = 0.5 and MAP >= 65", () => {
    let l = 2;
    for (let t = 0; t < 200; t++) l = lactateStep(l, 80, 0.5, 1);
    expect(l).toBeCloseTo(1 + 0.75 / (0.3 * 0.75), 6);
    expect(lactateStep(29.9, 20, 1, 1)).toBe(30);
    expect(lactateStep(0.1, 150, 0, 1)).toBeGreaterThanOrEqual(0.1);
  });

  it("SOFA components follow the table and the total stays in 0-12", () => {
    expect(sofaScore(0, 75, 0.5, 2)).toBe(0);
    expect(sofaScore(0, 69.9, 0.49, 2.01)).toBe(3);
    expect(sofaScore(0.05, 90, 0.25, 4.5)).toBe(2 + 2 + 2);
    expect(sofaScore(0.2, 90, 0.15, 7)).toBe(3 + 3 + 3);
    expect(sofaScore(0.31, 20, 0, 30)).toBe(12);
    for (const d of [0, 0.05, 0.2, 2]) {
      for (const uo of [0, 0.15, 0.45, 2]) {
        for (const l of [0.1, 3, 8, 30]) {
          const s = sofaScore(d, 60, uo, l);
          expect(s).toBeGreaterThanOrEqual(0);
          expect(s).toBeLessThanOrEqual(12);
        }
      }
    }
  });
});
