import type { Snapshot } from "./dynamics.js";
import { roundDp } from "./round.js";
import type { TaskProfile } from "./tasks.js";

/** Per-step reward of the reference code (not the simplified README table), rounded to 4 dp. */
export function stepReward(
  task: TaskProfile,
  prev: Snapshot,
  cur: Snapshot,
  dead: boolean,
  stable: boolean,
): number {
  let r = 0;
  if (cur.map >= 65) r += 0.35;
  else r += cur.map > prev.map ? 0.15 : -0.2;
  if (cur.lactate <= 2.0) r += 0.3;
  else r += cur.lactate < prev.lactate ? 0.12 : -0.18;
  if (cur.wbc >= 4 && cur.wbc <= 12) r += 0.1;
  else r += cur.wbc < prev.wbc ? 0.04 : -0.05;
  if (cur.temp >= 36 && cur.temp <= 38) r += 0.08;
  else if (cur.temp < prev.temp) r += 0.03;
  if (cur.creat < prev.creat) r += 0.05;
  else if (cur.creat > prev.creat + 0.1) r -= 0.08;
  if (task.resistanceMode && cur.resistance > prev.resistance) r -= 1.5 * (cur.resistance - prev.resistance);
  r -= 0.025;
  // Terminal bonus only for dead/stable, never for a time-out.
  if (dead) r -= 8;
  else if (stable) r += 5;
  return roundDp(r, 4);
}

/** What the graders need beyond the final snapshot. */
export interface EpisodeRecord {
  readonly initial: Snapshot;
  readonly final: Snapshot;
  readonly dead: boolean;
  /** Step at which the patient became stable (the episode ends then), else null. */
  readonly stabilizedAt: number | null;
  readonly usedBroad: boolean;
  readonly usedNarrow: boolean;
  readonly usedVaso: boolean;
  /** Narrow antibiotic given after the first broad one. */
  readonly narrowAfterBroad: boolean;
  /** Highest resistance seen, including the initial value. */
  readonly peakResistance: number;
}

const clip = (x: number, lo: number, hi: number): number => Math.min(hi, Math.max(lo, x));

/** Linear score of x from `worst` (0) to `best` (1), kept inside (0, 1). */
export const lerp = (x: number, worst: number, best: number): number =>
  clip((x - worst) / (best - worst), 0.001, 0.999);

/** Episode score in (0, 1), per task; a dead patient scores 0.001. */
export function grade(task: TaskProfile, e: EpisodeRecord): number {
  if (e.dead) return 0.001;
  const f = e.final;
  const speed = e.stabilizedAt === null ? 0 : 1 - e.stabilizedAt / task.maxSteps;
  const flag = (b: boolean): number => (b ? 1 : 0);
  let score: number;
  switch (task.name) {
    case "mild_sepsis":
      score =
        0.4 +
        0.25 * lerp(f.map, 40, 85) +
        0.2 * lerp(f.lactate, 6, 1) +
        0.1 * lerp(Math.abs(f.wbc - 8), 10, 0) +
        0.05 * speed;
      break;
    case "septic_shock":
      score =
        0.3 +
        0.2 * lerp(f.map, 35, 80) +
        0.15 * lerp(f.lactate, 10, 1) +
        0.05 * lerp(f.creat, 4, 0.6) +
        0.05 * lerp(Math.abs(f.wbc - 8), 15, 0) +
        0.15 * flag(e.usedNarrow) +
        0.05 * flag(e.usedVaso) +
        0.05 * speed;
      break;
    case "severe_mods":
      score =
        0.25 +
        0.2 * (0.5 * lerp(f.map, 30, 75) + 0.5 * lerp(f.lactate, 15, 2)) +
        0.15 * (0.5 * flag(e.usedBroad) + 0.5 * flag(e.narrowAfterBroad)) +
        0.15 * lerp(e.peakResistance, 1, 0) +
        0.15 * lerp(f.creat - e.initial.creat, 5, 0) +
        0.1 * speed;
      break;
  }
  return roundDp(clip(score, 0.001, 0.999), 4);
}

export const passed = (score: number): boolean => score >= 0.5;
