import { UsageError } from "../core/errors.js";
import type { TabularMdp } from "../model/mdp.js";
import { builderInfo, type Proportion, wilsonProportion } from "./fidelity.js";
import { recipeCohort } from "./recipe-cohort.js";

interface RecordedBehaviour {
  readonly policy: string;
  readonly epsilon: number;
  readonly jitter: number;
  readonly abx_start: { readonly mean_hours: number; readonly miss: number } | null;
}

/**
 * Run the policy that generated the cohort (the recipe's behaviour, read from metadata.json) in the
 * simulator again on fresh patients: the simulated side of `fidelity --policy behaviour`. Same recipe,
 * same seed -> the build's own cohort; `fidelity` passes its own seed so the patients are new.
 */
export function simulateBehaviour(
  m: TabularMdp,
  o: { patients: number; seed: number | string; onPatient?: ((done: number) => void) | undefined },
): Proportion {
  const info = builderInfo(m);
  const b = (m.metadata.builder as { behaviour?: RecordedBehaviour }).behaviour;
  if (b === undefined || b.policy !== "heuristic")
    throw new UsageError(
      "metadata.json has no builder.behaviour recipe: rebuild the MDP with `tabmdp build`",
    );
  const { cohort } = recipeCohort({
    simulator: info.simulator,
    ...(info.tier === null ? {} : { tier: info.tier }),
    behaviour: {
      epsilon: b.epsilon,
      jitter: b.jitter,
      abxDelay: b.abx_start?.mean_hours ?? 0,
      abxMiss: b.abx_start?.miss ?? 0,
    },
    patients: o.patients,
    seed: `fidelity-behaviour/${o.seed}`,
    blockHours: info.block_hours,
    ...(o.onPatient === undefined ? {} : { onPatient: o.onPatient }),
  });
  let deaths = 0;
  for (const d of cohort.died) deaths += d;
  return wilsonProportion(o.patients - deaths, o.patients);
}
