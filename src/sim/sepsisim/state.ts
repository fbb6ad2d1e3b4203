import type { SimOptions } from "../types.js";
import type { InflammationParams, Tier } from "./constants.js";

/** Options of the SepsiSim simulators beyond the common ones. */
export interface SepsisimOptions extends SimOptions {
  /** FluidResuscitation / VasopressorTitration: antibiotics running from the start (default true). */
  readonly antibioticGiven?: boolean;
  /** Inflammation parameters to override; each must lie in its validated range. */
  readonly params?: Partial<InflammationParams>;
}

/** The whole mutable patient state of one episode (one object per simulator, reused across episodes). */
export interface PatientState {
  /** Inflammation state (B, M, A, D); see inflammation.ts for the layout. */
  readonly y: Float64Array;
  volume: number;
  dose: number;
  lactate: number;
  map: number;
  urine: number;
  sofa: number;
  /** Antibiotic kill rate in effect (1/h). */
  alpha: number;
  antibiotics: boolean;
  steps: number;
  hoursOnVaso: number;
  totalFluidMl: number;
  prevSofa: number;
  prevLactate: number;
}

export function newPatientState(): PatientState {
  return {
    y: new Float64Array(4),
    volume: 0,
    dose: 0,
    lactate: 0,
    map: 0,
    urine: 0,
    sofa: 0,
    alpha: 0,
    antibiotics: false,
    steps: 0,
    hoursOnVaso: 0,
    totalFluidMl: 0,
    prevSofa: 0,
    prevLactate: 0,
  };
}

/** Tier names outside the three known ones fall back to medium, as in the original. */
export function tierOf(o: SimOptions): Tier {
  return o.tier === "easy" || o.tier === "hard" ? o.tier : "medium";
}
