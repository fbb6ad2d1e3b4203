// The fidelity figures of one shipped MDP for data/README.md: the same computation as
// `tabmdp fidelity DIR --policy P --patients N --seed S --bootstrap B` for each policy, so every row can be
// rerun from the command line.
import { certifiedPlan } from "../solvers/plan.js";
import { simulateBehaviour } from "../src/builder/behaviour-fidelity.js";
import { bootstrapPredictions } from "../src/builder/bootstrap.js";
import type { Prepared } from "../src/builder/build.js";
import { namedPolicy } from "../src/builder/fidelity.js";
import { type FidelityRow, fidelity, policyTable } from "../src/builder/fidelity-row.js";
import { simulatorHorizonBlocks } from "../src/builder/horizon.js";
import {
  type TieBreakRow,
  type TieSpread,
  tieBreakFidelity,
  tieBreakKey,
  tieBreakPolicies,
  tieSpread,
} from "../src/builder/tie-breaks.js";
import type { TabularMdp } from "../src/model/mdp.js";

export interface ShippedFidelity {
  readonly blocks: number;
  readonly rows: readonly (FidelityRow | TieBreakRow)[];
  readonly spread: TieSpread;
  readonly lengthRange: readonly [number | null, number | null];
}

export function shippedFidelity(
  prep: Prepared,
  m: TabularMdp,
  threshold: number,
  o: { readonly patients: number; readonly seed: number; readonly bootstrap: number },
): ShippedFidelity {
  const blocks = simulatorHorizonBlocks(m);
  const ties = tieBreakPolicies(m);
  const named = (["behaviour", "random", "expert"] as const).map((policy) => ({
    policy,
    table: policy === "behaviour" ? policyTable(m, policy) : namedPolicy(m, policy),
  }));
  const tables = [...named, ...ties.map((t) => ({ policy: tieBreakKey(t.tieBreak), table: t.table }))];
  const boot = bootstrapPredictions(prep, threshold, tables, {
    replicates: o.bootstrap,
    seed: o.seed,
    blocks,
  });
  const check = { patients: o.patients, seed: o.seed, blocks };
  const rows: (FidelityRow | TieBreakRow)[] = named.map(({ policy, table }) =>
    fidelity(m, policy, table, {
      ...check,
      bootstrap: boot.get(policy)!,
      ...(policy === "behaviour" ? { behaviourSimulated: simulateBehaviour(m, check) } : {}),
    }),
  );
  const tieRows = tieBreakFidelity(m, ties, check, boot);
  return {
    blocks,
    rows: [...rows, ...tieRows],
    spread: tieSpread(tieRows),
    lengthRange: certifiedPlan(m, "gs-vi", { gamma: 1 }).certified.lengthRange,
  };
}
