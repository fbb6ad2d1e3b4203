import { UsageError } from "../core/errors.js";
import { createSimulator } from "../sim/registry.js";
import type { Simulator } from "../sim/types.js";
import { type ActionAdapter, actionAdapter } from "./actions.js";
import { type BehaviourOptions, behaviourPolicy } from "./behaviour.js";
import { type Cohort, simulateCohort } from "./cohort.js";

export interface RecipeCohortOptions {
  readonly simulator: string;
  readonly tier?: string;
  readonly behaviour: Required<BehaviourOptions>;
  readonly patients: number;
  readonly seed: number | string;
  readonly blockHours: number;
  readonly onPatient?: (done: number) => void;
}

/**
 * A cohort under the recipe's behaviour policy (the simulator's heuristic with the recipe's variability):
 * what `build` counts, and what `fidelity --policy behaviour` runs again with a fresh seed.
 */
export function recipeCohort(o: RecipeCohortOptions): {
  cohort: Cohort;
  adapter: ActionAdapter;
  simulator: Simulator;
  tier: string | null;
} {
  const created = createSimulator(o.simulator, o.tier === undefined ? {} : { tier: o.tier });
  const sim = created.simulator;
  const heuristic = created.definition.heuristics(created.options).heuristic;
  if (heuristic === undefined) throw new UsageError(`${o.simulator} has no "heuristic" policy`);
  const adapter = actionAdapter(sim);
  const policy = behaviourPolicy(sim, heuristic, adapter.jitter, o.behaviour, adapter.startFlag);
  const cohort = simulateCohort(sim, policy, adapter, {
    patients: o.patients,
    seed: o.seed,
    blockHours: o.blockHours,
    ...(o.onPatient === undefined ? {} : { onPatient: o.onPatient }),
  });
  return { cohort, adapter, simulator: sim, tier: created.options.tier ?? null };
}
