import { readFile } from "node:fs/promises";
import { join } from "node:path";
import {
  FINITE_HORIZON_TIE_TOLERANCE,
  type FiniteHorizonPolicy,
  finiteHorizonEvaluate,
  finiteHorizonPlan,
  planPolicyTables,
} from "../../../solvers/index.js";
import { readPolicyCsv, writeTableCsv } from "../../io/index.js";
import type { TabularMdp } from "../../model/mdp.js";
import { printJson, printLines } from "../output.js";
import { resolvePolicy } from "../policy-arg.js";

/** `solve DIR --horizon H`: backward induction; --out writes values.csv ((H+1) x S) and policy.csv (H*S x A). */
export async function solveFiniteHorizon(
  m: TabularMdp,
  o: {
    readonly horizon: number;
    readonly gamma?: number;
    readonly allActions?: true;
    readonly out?: string;
    readonly json?: true;
  },
): Promise<void> {
  const p = finiteHorizonPlan(m, {
    horizon: o.horizon,
    ...(o.gamma === undefined ? {} : { gamma: o.gamma }),
    ...(o.allActions ? { admissibleOnly: false } : {}),
  });
  const first = p.valuesTS.slice(0, m.nS);
  let startValue = 0;
  for (let s = 0; s < m.nS; s++) startValue += m.d0[s]! * first[s]!;
  if (o.out !== undefined) {
    const tables = planPolicyTables(m, p);
    const long = new Float64Array(p.horizon * m.nS * m.nA);
    for (const [k, t] of tables.entries()) long.set(t, k * m.nS * m.nA);
    await writeTableCsv(join(o.out, "values.csv"), p.valuesTS, p.horizon + 1, m.nS);
    await writeTableCsv(join(o.out, "policy.csv"), long, p.horizon * m.nS, m.nA);
  }
  const scope = p.admissibleOnly ? "admissible actions only" : "all actions";
  if (o.json) {
    return printJson({
      method: "backward-induction",
      horizon: p.horizon,
      gamma: p.gamma,
      maximisedOver: scope,
      tieTolerance: FINITE_HORIZON_TIE_TOLERANCE,
      tiedDecisions: p.tiedDecisions,
      startValue,
      values: Array.from(first),
      policyByStep: Array.from({ length: p.horizon }, (_, t) =>
        Array.from(p.policyTS.subarray(t * m.nS, (t + 1) * m.nS)),
      ),
    });
  }
  printLines([
    `backward induction over ${p.horizon} steps; gamma ${p.gamma}; maximised over ${scope}`,
    `value from d0 within ${p.horizon} steps: ${startValue.toFixed(6)}`,
    `tied decisions (step, state): ${p.tiedDecisions} (lowest action index taken; values do not depend on it)`,
    ...(o.out === undefined
      ? []
      : [`wrote ${join(o.out, "values.csv")} (row t = V_t) and ${join(o.out, "policy.csv")} (row t*S+s)`]),
  ]);
}

/** `evaluate DIR --policy P --horizon H`. */
export async function evaluateFiniteHorizon(
  m: TabularMdp,
  o: { readonly policy: string; readonly horizon: number; readonly gamma: number; readonly json?: true },
): Promise<void> {
  const policy = await horizonPolicy(m, o.policy, o.horizon, o.gamma);
  const e = finiteHorizonEvaluate(m, policy, { horizon: o.horizon, gamma: o.gamma });
  if (o.json) {
    return printJson({
      policy: o.policy,
      horizon: e.horizon,
      gamma: e.gamma,
      return: e.expectedReturn,
      expectedSteps: e.expectedSteps,
      terminalProbabilities: e.terminalProbabilities,
      aliveAtHorizon: e.aliveAtHorizon,
    });
  }
  printLines([
    `policy ${o.policy}, horizon ${e.horizon} steps, gamma ${e.gamma}`,
    `expected return within ${e.horizon} steps  ${e.expectedReturn.toFixed(6)}`,
    `expected steps taken  ${e.expectedSteps.toFixed(4)}`,
    ...e.terminalProbabilities.map(
      (t) => `P(ended in ${t.state} by step ${e.horizon})  ${t.probability.toFixed(6)}`,
    ),
    `P(still running at step ${e.horizon})  ${e.aliveAtHorizon.toFixed(6)}`,
  ]);
}

/**
 * "optimal" is the H-step optimal time-dependent policy; a CSV file of H*S rows is a time-dependent policy
 * (row t*S+s, as `solve --horizon --out` writes); anything else is the stationary policy `evaluate` reads.
 */
async function horizonPolicy(
  m: TabularMdp,
  spec: string,
  horizon: number,
  gamma: number,
): Promise<FiniteHorizonPolicy> {
  if (spec === "optimal") return planPolicyTables(m, finiteHorizonPlan(m, { horizon, gamma }));
  if (["random", "expert"].includes(spec) || horizon === 0 || (await dataRows(spec)) !== horizon * m.nS) {
    return resolvePolicy(m, spec, gamma);
  }
  const long = await readPolicyCsv(spec, horizon * m.nS, m.nA, { terminalS: m.terminalS });
  const size = m.nS * m.nA;
  return Array.from({ length: horizon }, (_, t) => long.slice(t * size, (t + 1) * size));
}

/** Non-empty lines of a small text file (0 when it cannot be read: the policy reader then says why). */
async function dataRows(file: string): Promise<number> {
  try {
    return (await readFile(file, "utf8")).split("\n").filter((line) => line.trim() !== "").length;
  } catch {
    return 0;
  }
}
