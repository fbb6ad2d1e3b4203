import { UsageError } from "../core/errors.js";
import { oberstSontagDefinition } from "./oberst-sontag/index.js";
import { sepsisimDefinitions } from "./sepsisim/index.js";
import { sepsispilotDefinitions } from "./sepsispilot/index.js";
import type { SimDefinition, SimOptions, Simulator } from "./types.js";

type Tier = NonNullable<SimOptions["tier"]>;

const ALL: readonly SimDefinition[] = [
  ...sepsisimDefinitions,
  ...sepsispilotDefinitions,
  oberstSontagDefinition,
];

/** Every simulator tabmdp ships, in a stable order. */
export function listSimulators(): readonly SimDefinition[] {
  return ALL;
}

/** The simulator with this id; unknown ids throw a UsageError that lists the valid ones. */
export function getSimulator(id: string): SimDefinition {
  const def = ALL.find((d) => d.id === id);
  if (def === undefined) {
    throw new UsageError(`unknown simulator "${id}"; valid ids: ${ALL.map((d) => d.id).join(", ")}`);
  }
  return def;
}

/** Check a requested tier against the simulator's tiers (undefined keeps the simulator's default). */
export function resolveTier(def: SimDefinition, tier: string | undefined): Tier | undefined {
  if (tier === undefined) return undefined;
  if (def.tiers.length === 0) throw new UsageError(`simulator "${def.id}" has no tiers (got --tier ${tier})`);
  const found = def.tiers.find((t) => t === tier);
  if (found === undefined) {
    throw new UsageError(`simulator "${def.id}" has no tier "${tier}"; valid tiers: ${def.tiers.join(", ")}`);
  }
  return found;
}

export interface CreatedSimulator {
  readonly definition: SimDefinition;
  readonly options: SimOptions;
  readonly simulator: Simulator;
}

/** Look up, validate the tier and build one simulator instance. */
export function createSimulator(
  id: string,
  options: Readonly<{ noise?: boolean; tier?: string }> = {},
): CreatedSimulator {
  const def = getSimulator(id);
  const simOptions: SimOptions = { noise: options.noise ?? true, tier: resolveTier(def, options.tier) };
  return { definition: def, options: simOptions, simulator: def.create(simOptions) };
}
