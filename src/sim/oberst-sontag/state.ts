import { UsageError } from "../../core/errors.js";

/**
 * State layout of the Oberst & Sontag (ICML 2019) discrete sepsis simulator: the variables, their index
 * encodings and the reward. Shared by the sampled simulator and the exact MDP so both agree on indices.
 */

/** `master` is the published simulator (non-diabetic glucose can only rise to 1); `sim-v2` caps it at 4. */
export type OberstVariant = "master" | "sim-v2";
export const OBERST_VARIANTS: readonly OberstVariant[] = ["master", "sim-v2"];

/** One patient's full state; `diabetic` is hidden from the observation. */
export interface OberstState {
  /** Heart rate: 0 low, 1 normal, 2 high. */
  readonly hr: number;
  /** Systolic blood pressure: 0 low, 1 normal, 2 high. */
  readonly bp: number;
  /** Oxygen saturation: 0 low, 1 normal. */
  readonly o2: number;
  /** Glucose: 0 very low, 1 low, 2 normal, 3 high, 4 very high. */
  readonly g: number;
  /** Treatments currently on (0/1): antibiotics, vasopressors, ventilation. */
  readonly ab: number;
  readonly va: number;
  readonly ve: number;
  readonly diabetic: number;
}

export const N_OBS = 720;
export const N_FULL = 1440;
export const N_PROJECTED = 144;
export const N_ACTIONS = 8;

/** Observation index: ve + 2·(va + 2·(ab + 2·(g + 5·(o2 + 2·(bp + 3·hr))))). */
export const obsIndex = (x: OberstState): number =>
  x.ve + 2 * (x.va + 2 * (x.ab + 2 * (x.g + 5 * (x.o2 + 2 * (x.bp + 3 * x.hr)))));

/** Full index: diabetic·720 + observation index. */
export const fullIndex = (x: OberstState): number => x.diabetic * N_OBS + obsIndex(x);

/** Projected index (glucose dropped, 144 states): ve + 2·(va + 2·(ab + 2·(o2 + 2·(bp + 3·hr)))). */
export const projectedIndex = (x: OberstState): number =>
  x.ve + 2 * (x.va + 2 * (x.ab + 2 * (x.o2 + 2 * (x.bp + 3 * x.hr))));

/** Inverse of fullIndex (an observation index decodes with diabetic = 0). */
export function decodeState(i: number): OberstState {
  if (!Number.isInteger(i) || i < 0 || i >= N_FULL) throw new UsageError(`state index ${i} not in [0, 1440)`);
  const ve = i % 2;
  const va = Math.floor(i / 2) % 2;
  const ab = Math.floor(i / 4) % 2;
  const g = Math.floor(i / 8) % 5;
  const o2 = Math.floor(i / 40) % 2;
  const bp = Math.floor(i / 80) % 3;
  const hr = Math.floor(i / 240) % 3;
  return { hr, bp, o2, g, ab, va, ve, diabetic: Math.floor(i / N_OBS) };
}

/** The three treatment switches of an action index 4·A + 2·E + V. */
export interface Treatment {
  readonly abx: number;
  readonly vent: number;
  readonly vaso: number;
}

export const decodeAction = (a: number): Treatment => ({
  abx: (a >> 2) & 1,
  vent: (a >> 1) & 1,
  vaso: a & 1,
});

export const actionIndex = (t: Treatment): number => 4 * t.abx + 2 * t.vent + t.vaso;

/** "none", "vaso", "vent", "vent+vaso", "abx", ..., "abx+vent+vaso" by action index. */
export const ACTION_NAMES: readonly string[] = Array.from({ length: N_ACTIONS }, (_, a) => {
  const t = decodeAction(a);
  const parts = [t.abx ? "abx" : "", t.vent ? "vent" : "", t.vaso ? "vaso" : ""].filter((p) => p !== "");
  return parts.length === 0 ? "none" : parts.join("+");
});

/** Number of vitals outside their normal level (hr, bp, o2 normal = 1; glucose normal = 2). */
export const nAbnormal = (x: OberstState): number =>
  Number(x.hr !== 1) + Number(x.bp !== 1) + Number(x.o2 !== 1) + Number(x.g !== 2);

/** −1 for death (3+ abnormal vitals), +1 for discharge (all normal, no treatment), else 0. */
export function stateReward(x: OberstState): number {
  const n = nAbnormal(x);
  if (n >= 3) return -1;
  if (n === 0 && x.ab === 0 && x.va === 0 && x.ve === 0) return 1;
  return 0;
}

/** Initial marginals per component (index = diabetic); treatments start off. */
export const P_DIABETIC = 0.2;
export const P_MIXTURE: readonly [number, number] = [1 - P_DIABETIC, P_DIABETIC];
export const INIT_HR: readonly number[] = [0.25, 0.5, 0.25];
export const INIT_BP: readonly number[] = [0.25, 0.5, 0.25];
export const INIT_O2: readonly number[] = [0.2, 0.8];
export const INIT_G: readonly (readonly number[])[] = [
  [0.05, 0.15, 0.6, 0.15, 0.05],
  [0.01, 0.05, 0.15, 0.6, 0.19],
];

/** Episodes stop after this many steps when no terminal reward came first (the paper's max_num_steps). */
export const MAX_STEPS = 20;
