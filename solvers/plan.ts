import type { TabularMdp } from "../src/model/mdp.js";
import { type CertifiedOptimum, certify } from "./certify.js";
import { modifiedPolicyIteration } from "./modified-policy-iteration.js";
import { policyIteration } from "./policy-iteration.js";
import type { PlanOptions, PlanResult } from "./types.js";
import { valueIteration } from "./value-iteration.js";

export type PlanMethod = "vi" | "gs-vi" | "pi" | "mpi";
export const PLAN_METHODS: readonly PlanMethod[] = ["vi", "gs-vi", "pi", "mpi"];

/** Dispatch by method name (what the CLI exposes). */
export function plan(m: TabularMdp, method: PlanMethod, options: PlanOptions = {}): PlanResult {
  switch (method) {
    case "vi":
      return valueIteration(m, options);
    case "gs-vi":
      return valueIteration(m, { ...options, gaussSeidel: true });
    case "pi":
      return policyIteration(m, options);
    case "mpi":
      return modifiedPolicyIteration(m, options);
  }
}

/** A planner's result and its certification (exact values, optimal action sets, tie rule, length range). */
export interface CertifiedPlan {
  readonly plan: PlanResult;
  readonly certified: CertifiedOptimum;
}

export function certifiedPlan(m: TabularMdp, method: PlanMethod, options: PlanOptions = {}): CertifiedPlan {
  const result = plan(m, method, options);
  return { plan: result, certified: certify(m, result) };
}

/** The deterministic optimal policy every command uses: the tie rule's choice after Gauss-Seidel VI. */
export function optimalPolicy(m: TabularMdp, options: PlanOptions = {}): Int32Array {
  return certifiedPlan(m, "gs-vi", options).certified.policyS;
}
