import { existsSync } from "node:fs";
import { deterministicTable, uniformTable } from "../../solvers/index.js";
import { optimalPolicy } from "../../solvers/plan.js";
import { UsageError } from "../core/errors.js";
import { readPolicyCsv } from "../io/index.js";
import type { TabularMdp } from "../model/mdp.js";

/** `random` (uniform over all actions), `expert` (the MDP's), `optimal` (the tie rule's, see certify) or a CSV file. */
export async function resolvePolicy(
  m: TabularMdp,
  spec: string,
  gamma: number,
  opts: { readonly tolerance?: number } = {},
): Promise<Float64Array> {
  switch (spec) {
    case "random":
      return uniformTable(m);
    case "expert":
      if (m.expertPolicy === null) throw new UsageError("this MDP has no expert policy (expertPolicy.csv)");
      return m.expertPolicy;
    case "optimal":
      return deterministicTable(m, optimalPolicy(m, { gamma }));
    default:
      if (!existsSync(spec)) {
        throw new UsageError(`unknown policy '${spec}' (random|expert|optimal or a CSV file path)`);
      }
      return readPolicyCsv(spec, m.nS, m.nA, { ...opts, terminalS: m.terminalS });
  }
}
