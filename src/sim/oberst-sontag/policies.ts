/**
 * Built-in heuristic policies for the Oberst & Sontag simulator. They read only the visible variables.
 */
import type { SimPolicy } from "../types.js";
import { actionIndex, N_ACTIONS } from "./state.js";

/** The visible vitals a rule looks at (a full state or a decoded observation). */
export interface Vitals {
  readonly hr: number;
  readonly bp: number;
  readonly o2: number;
}

/**
 * A simple clinician rule: give each treatment while the vital it can correct is abnormal, stop it otherwise.
 * Antibiotics while hr or bp is high (they bring high levels down), ventilation while O2 is low,
 * vasopressors while bp is low. Glucose is not treated: no action lowers it.
 */
export const heuristicAction = (v: Vitals): number =>
  actionIndex({ abx: Number(v.hr === 2 || v.bp === 2), vent: Number(v.o2 === 0), vaso: Number(v.bp === 0) });

/** Observation layout: [hr, bp, o2, glucose, ab, va, ve]. */
const vitalsOf = (obs: Float64Array): Vitals => ({ hr: obs[0]!, bp: obs[1]!, o2: obs[2]! });

/** heuristic (the clinician rule), no-treatment (always action 0), random (uniform over the 8 actions). */
export const oberstPolicies: Readonly<Record<string, SimPolicy>> = {
  heuristic: (obs) => [heuristicAction(vitalsOf(obs))],
  "no-treatment": () => [0],
  random: (_obs, _t, rng) => [rng.int(N_ACTIONS)],
};
