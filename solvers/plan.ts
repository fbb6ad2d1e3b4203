import type { TabularMdp } from "../src/model/mdp.js";
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
