import type { SimDefinition, SimPolicy } from "../types.js";
import { TIERS } from "./constants.js";
import { SepsisimEnv } from "./env.js";
import {
  fluidHeuristic,
  managementHeuristic,
  randomPolicy,
  vasoHeuristic,
  zeroPolicy,
} from "./heuristics.js";
import { type EnvKind, fluidResuscitation, sepsisManagement, vasopressorTitration } from "./kinds.js";
import type { SepsisimOptions } from "./state.js";

export type { InflammationParams, Tier } from "./constants.js";
export { INFLAMMATION_DEFAULTS, INFLAMMATION_RANGES, inflammationParams } from "./constants.js";
export { SepsisimEnv } from "./env.js";
export { fluidHeuristic, managementHeuristic, vasoHeuristic } from "./heuristics.js";
export { inflammationStep } from "./inflammation.js";
export type { EnvKind } from "./kinds.js";
export { fluidResuscitation, sepsisManagement, vasopressorTitration } from "./kinds.js";
export type { PatientState, SepsisimOptions } from "./state.js";

function definition(kind: EnvKind, heuristic: SimPolicy): SimDefinition {
  return {
    id: kind.id,
    description: kind.description,
    tiers: TIERS,
    create: (options: SepsisimOptions) => new SepsisimEnv(kind, options),
    heuristics: () => ({ heuristic, zero: zeroPolicy(kind), random: randomPolicy(kind) }),
  };
}

/** The three SepsiSim environments, for the simulator registry. */
export const sepsisimDefinitions: SimDefinition[] = [
  definition(fluidResuscitation, fluidHeuristic),
  definition(vasopressorTitration, vasoHeuristic),
  definition(sepsisManagement, managementHeuristic),
];
