import { deterministicTable, uniformTable, valueIteration } from "../../solvers/index.js";
import { UsageError } from "../core/errors.js";
import { readPolicyCsv } from "../io/index.js";
import type { TabularMdp } from "../model/mdp.js";

/** `random` (uniform over all actions), `expert` (the MDP's), `optimal` (greedy after VI) or a CSV file. */
export async function resolvePolicy(m: TabularMdp, spec: string, gamma: number): Promise<Float64Array> {
  switch (spec) {
    case "random":
      return uniformTable(m);
    case "expert":
      if (m.expertPolicy === null) throw new UsageError("this MDP has no expert policy (expertPolicy.csv)");
      return m.expertPolicy;
    case "optimal":
      return deterministicTable(m, valueIteration(m, { gamma, gaussSeidel: true }).policyS);
    default:
      return readPolicyCsv(spec, m.nS, m.nA, { terminalS: m.terminalS });
  }
}
