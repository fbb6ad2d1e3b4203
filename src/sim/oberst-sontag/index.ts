/**
 * Oberst & Sontag (ICML 2019) discrete sepsis simulator ("sepsisSimDiabetes"): the sampled simulator and
 * its exact tabular MDP.
 */
import type { SimDefinition } from "../types.js";
import { oberstPolicies } from "./policies.js";
import { createOberstSontag } from "./simulator.js";

export { exactRow, type VitalDists, vitalDists } from "./exact.js";
export {
  buildOberstSontagMdp,
  initialAcceptance,
  type OberstMdpOptions,
  oberstInitialDistribution,
} from "./mdp.js";
export { heuristicAction, oberstPolicies, type Vitals } from "./policies.js";
export {
  createOberstSontag,
  type Draws,
  draws,
  OBERST_OBSERVATION,
  type OberstSimOptions,
  type OberstSimulator,
  sampleInitialState,
  sampleTransition,
} from "./simulator.js";
export * from "./state.js";

/** Registry entry: `create` runs the published `master` variant unless given `{ variant: "sim-v2" }`. */
export const oberstSontagDefinition: SimDefinition = {
  id: "oberst-sontag",
  description:
    "Oberst & Sontag (ICML 2019) discrete sepsis simulator: 1,440 states (hidden diabetes flag), " +
    "8 actions (abx, vent, vaso on/off), reward -1 death / +1 discharge, at most 20 steps",
  tiers: [],
  create: (options) => createOberstSontag({ variant: "master", ...options }),
  heuristics: () => oberstPolicies,
};
