import type { Rng } from "../../core/rng.js";
import type { SimPolicy } from "../types.js";
import type { EnvKind } from "./kinds.js";

/**
 * The original package's agents return float32 arrays, so an action reaches the simulator float32-rounded
 * (a dose change of 0.05 arrives as 0.05000000074505806, which can tip a dose across a SOFA cut-off).
 * Every policy here rounds the same way.
 */
const float32 = (xs: readonly number[]): number[] => xs.map((x) => Math.fround(x));

/** SepsiSim's baseline fluid rule: more fluid the lower the MAP, none once V > 3.5 L. Obs: [MAP, ..., V @4]. */
export const fluidHeuristic: SimPolicy = (obs) => {
  const map = obs[0]!;
  if (obs[4]! > 3.5) return [0];
  return float32([map < 65 ? 750 : map < 70 ? 500 : map < 80 ? 250 : 125]);
};

/** Raise the dose by 0.05 below MAP 65, lower it by 0.02 above 85. Obs: [MAP, ...]. */
export const vasoHeuristic: SimPolicy = (obs) => {
  const map = obs[0]!;
  return float32([map < 65 ? 0.05 : map > 85 ? -0.02 : 0]);
};

/**
 * Management rule: antibiotics at once (requested while not yet active, i.e. on the first step), fluid by
 * MAP without the 3.5 L cutoff, vasopressor only once V >= 2 L. Obs: [MAP, ., ., ., V, dose, ..., abx @9].
 */
export const managementHeuristic: SimPolicy = (obs) => {
  const map = obs[0]!;
  const volume = obs[4]!;
  const dose = obs[5]!;
  const fluid = map < 65 && volume < 4 ? 750 : map < 70 ? 500 : map < 80 ? 250 : 125;
  const vaso = map < 65 && volume >= 2 ? 0.05 : map > 85 && dose > 0 ? -0.02 : 0;
  return float32([fluid, vaso, obs[9]! < 0.5 ? 1 : 0]);
};

/** Uniform over the (float32) action box, from the policy's own stream, then float32-rounded. */
export function randomPolicy(kind: EnvKind): SimPolicy {
  const low = float32(kind.actions.low);
  const high = float32(kind.actions.high);
  return (_obs, _t, rng: Rng) => float32(low.map((lo, i) => lo + (high[i]! - lo) * rng.next()));
}

/** The all-zero action: no fluid, no dose change, no antibiotics. */
export function zeroPolicy(kind: EnvKind): SimPolicy {
  const n = kind.actions.low.length;
  return () => new Array<number>(n).fill(0);
}
