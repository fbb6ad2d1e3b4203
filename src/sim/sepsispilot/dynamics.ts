import { roundDp } from "./round.js";
import { type Antibiotic, CLAMPS, type TaskProfile, type Treatment, type Vitals } from "./tasks.js";

/** Everything that carries over between hours besides the vitals. */
export interface PilotState {
  readonly vitals: Vitals;
  /** Type of the most recent antibiotic this episode (non-antibiotic hours keep it). */
  readonly lastAb: Antibiotic;
  readonly step: number;
}

/** A standard-normal source; the noise-free switch passes one that always returns 0 (the mean). */
export type NormalDraw = () => number;

/** Antibiotic efficiency e and the resistance after this hour (step 2 of the hourly update). */
export function antibioticEffect(
  task: TaskProfile,
  ab: Antibiotic,
  lastAb: Antibiotic,
  resistance: number,
): { efficiency: number; resistance: number } {
  if (ab === null) return { efficiency: 0, resistance };
  switch (task.infection) {
    case "gram_negative":
      return { efficiency: ab === "broad" ? 1.0 : 0.3, resistance };
    case "gram_positive":
      return { efficiency: ab === "narrow" ? 1.0 : 0.3, resistance };
    case "mixed_resistant":
      if (ab === "broad") {
        if (lastAb !== "broad") return { efficiency: 0.8, resistance };
        // Repeating broad uses R before the update, then breeds resistance.
        return { efficiency: Math.max(0.1, 0.8 - resistance), resistance: Math.min(1, resistance + 0.08) };
      }
      if (lastAb !== "narrow") return { efficiency: 0.7, resistance };
      return { efficiency: Math.max(0.1, 0.7 - 0.5 * resistance), resistance };
  }
}

const clamp = (x: number, [lo, hi]: readonly [number, number]): number => Math.min(hi, Math.max(lo, x));

/** One hour: progression, antibiotics, vasopressors, coupling, noise, clamps (spec order). */
export function hourlyUpdate(task: TaskProfile, s: PilotState, tx: Treatment, draw: NormalDraw): PilotState {
  const d = task.decay;
  let { map, lactate, wbc, temp, hr, creat } = s.vitals;
  map -= 0.8 * d;
  lactate += 0.12 * d;
  wbc += 0.4 * d;
  temp += 0.04 * d;
  hr += 1.2 * d;
  creat += 0.015 * d;

  const ab = antibioticEffect(task, tx.ab, s.lastAb, s.vitals.resistance);
  if (tx.ab !== null) {
    wbc -= 0.6 * ab.efficiency;
    temp -= 0.07 * ab.efficiency;
    if (map >= 60) lactate -= 0.15 * ab.efficiency;
  }

  // Vasopressor effects accumulate hour over hour: nothing but the clamp caps MAP (reference quirk).
  if (tx.vaso === "low") {
    map += 5;
    hr -= 3;
  } else if (tx.vaso === "high") {
    map += 9;
    hr -= 5;
    creat += 0.04;
  }
  if (tx.vaso !== null && map >= 65) lactate -= 0.08;

  if (map < 65) hr += 0.04 * (65 - map);
  if (map < 50) lactate += 0.25;
  if (map < 55) creat += 0.02;

  const n = task.noiseScale;
  map += 1.5 * n * draw();
  lactate += 0.05 * n * draw();
  wbc += 0.2 * n * draw();
  temp += 0.05 * n * draw();
  hr += 1.5 * n * draw();
  creat += 0.02 * n * draw();

  const vitals: Vitals = {
    map: clamp(map, CLAMPS.map),
    lactate: clamp(lactate, CLAMPS.lactate),
    wbc: clamp(wbc, CLAMPS.wbc),
    temp: clamp(temp, CLAMPS.temp),
    hr: clamp(hr, CLAMPS.hr),
    creat: clamp(creat, CLAMPS.creat),
    resistance: clamp(ab.resistance, CLAMPS.resistance),
  };
  return { vitals, lastAb: tx.ab ?? s.lastAb, step: s.step + 1 };
}

/** SOFA-like score from internal (unrounded) values; at most 16 is reachable. */
export function sofa(v: Vitals): number {
  let score = 0;
  if (v.map < 70) score += 1;
  if (v.map < 65) score += 1;
  if (v.map < 55) score += 2;
  if (v.creat > 1.2) score += 1;
  if (v.creat > 2.0) score += 2;
  if (v.creat > 3.5) score += 3;
  if (v.lactate > 2) score += 1;
  if (v.lactate > 4) score += 2;
  if (v.lactate > 8) score += 3;
  return Math.min(24, score);
}

/** The rounded snapshot that is observed and that reward, death and stability read. */
export interface Snapshot extends Vitals {
  readonly sofa: number;
}

export function snapshot(v: Vitals): Snapshot {
  return {
    map: roundDp(v.map, 2),
    lactate: roundDp(v.lactate, 3),
    wbc: roundDp(v.wbc, 2),
    temp: roundDp(v.temp, 2),
    hr: roundDp(v.hr, 1),
    creat: roundDp(v.creat, 3),
    sofa: roundDp(sofa(v), 2),
    resistance: roundDp(v.resistance, 3),
  };
}

export const isDead = (x: Snapshot): boolean => x.map < 35 || x.lactate > 15 || x.hr > 165 || x.hr < 25;

export const isStable = (x: Snapshot): boolean =>
  x.map >= 65 && x.lactate <= 2.0 && x.wbc >= 4 && x.wbc <= 12 && x.temp >= 36 && x.temp <= 38 && x.hr <= 100;

/** Observation vector in the spec's order (9-D). */
export function observe(x: Snapshot, step: number, maxSteps: number): Float64Array {
  return Float64Array.of(
    x.map,
    x.lactate,
    x.wbc,
    x.temp,
    x.hr,
    x.creat,
    x.sofa,
    x.resistance,
    step / maxSteps,
  );
}
