import { UsageError } from "../../core/errors.js";

/** Parameters of SepsiSim's own 4-ODE inflammation model (per hour). Not the Reynolds et al. 2006 model. */
export interface InflammationParams {
  readonly kGrowth: number;
  readonly kKill: number;
  readonly bMax: number;
  readonly sM: number;
  readonly kMb: number;
  readonly kMd: number;
  readonly muM: number;
  readonly kMa: number;
  readonly sA: number;
  readonly kAm: number;
  readonly kAd: number;
  readonly muA: number;
  readonly kDm: number;
  readonly muD: number;
}

export const INFLAMMATION_DEFAULTS: InflammationParams = {
  kGrowth: 0.6,
  kKill: 0.5,
  bMax: 1.0,
  sM: 0.01,
  kMb: 1.5,
  kMd: 0.2,
  muM: 0.2,
  kMa: 0.5,
  sA: 0.01,
  kAm: 0.4,
  kAd: 0.1,
  muA: 0.05,
  kDm: 0.5,
  muD: 0.12,
};

/** The validated ranges of the original constructor (inclusive). */
export const INFLAMMATION_RANGES: Readonly<Record<keyof InflammationParams, readonly [number, number]>> = {
  kGrowth: [0.1, 1.0],
  kKill: [0.1, 1.0],
  bMax: [0.5, 2.0],
  sM: [0.001, 0.1],
  kMb: [0.5, 5.0],
  kMd: [0.1, 2.0],
  muM: [0.01, 0.5],
  kMa: [0.1, 1.0],
  sA: [0.001, 0.1],
  kAm: [0.1, 2.0],
  kAd: [0.01, 0.5],
  muA: [0.01, 0.5],
  kDm: [0.1, 2.0],
  muD: [0.01, 0.5],
};

/**
 * Defaults merged with overrides, each checked against its validated range.
 * @throws UsageError naming the first parameter outside its range.
 */
export function inflammationParams(overrides: Partial<InflammationParams> = {}): InflammationParams {
  const p: InflammationParams = { ...INFLAMMATION_DEFAULTS, ...overrides };
  for (const key of Object.keys(INFLAMMATION_RANGES) as (keyof InflammationParams)[]) {
    const [lo, hi] = INFLAMMATION_RANGES[key];
    const v = p[key];
    if (!(v >= lo && v <= hi)) throw new UsageError(`sepsisim: ${key} = ${v} is outside [${lo}, ${hi}]`);
  }
  return p;
}

/** Cardiovascular constants (not validated in the original; svr/co/map-target baselines are unused there). */
export const CARDIO = {
  map0: 75,
  fluidGain: 8.0,
  vasoGain: 15.0,
  redistribution: 0.15,
  mapNoiseSd: 2,
  urineNoiseSd: 0.05,
} as const;

export const LACTATE = {
  baseline: 1.0,
  maxProduction: 4.0,
  clearance: 0.3,
  mapThreshold: 65,
  damageGain: 1.5,
} as const;

/** Simulated hours per env step; the original's `dt` default, fixed here. */
export const DT_HOURS = 1.0;
/** RK4 sub-steps per hour: within SciPy RK45's own tolerance of the original (<= 3.1e-7 over 72 h). */
export const SUBSTEPS_PER_HOUR = 10;
export const MAX_STEPS = 72;
export const DEATH_DAMAGE = 0.9;
export const DEATH_PENALTY = 50;

export type Tier = "easy" | "medium" | "hard";
export const TIERS: readonly Tier[] = ["easy", "medium", "hard"];
