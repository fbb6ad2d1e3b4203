export * from "./baselines.js";
export { TIE_TOLERANCE } from "./bellman.js";
export { type CertifiedOptimum, certify, lengthRangeNote, optimalActionSets } from "./certify.js";
export {
  FINITE_HORIZON_TIE_TOLERANCE,
  type FiniteHorizonEvaluation,
  type FiniteHorizonOptions,
  type FiniteHorizonPlan,
  type FiniteHorizonPolicy,
  finiteHorizonEvaluate,
  finiteHorizonPlan,
  planPolicyTables,
} from "./finite-horizon.js";
export { UnboundedValueError } from "./gamma-one.js";
export { modifiedPolicyIteration } from "./modified-policy-iteration.js";
export { type CertifiedPlan, certifiedPlan, optimalPolicy, type PlanMethod, plan } from "./plan.js";
export {
  accuracyOf,
  checkPolicyTable,
  deterministicTable,
  evaluatePolicy,
  expectedReturnOf,
  type PolicyEvaluation,
  PROMISED_ACCURACY,
  uniformTable,
} from "./policy-evaluation.js";
export { policyIteration } from "./policy-iteration.js";
export type { Convergence, PlanOptions, PlanResult } from "./types.js";
export { valueIteration } from "./value-iteration.js";
