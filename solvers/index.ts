export * from "./baselines.js";
export { TIE_TOLERANCE } from "./bellman.js";
export { type CertifiedOptimum, certify, lengthRangeNote, optimalActionSets } from "./certify.js";
export { UnboundedValueError } from "./gamma-one.js";
export { modifiedPolicyIteration } from "./modified-policy-iteration.js";
export { type CertifiedPlan, certifiedPlan, optimalPolicy, type PlanMethod, plan } from "./plan.js";
export {
  checkPolicyTable,
  deterministicTable,
  evaluatePolicy,
  expectedReturnOf,
  type PolicyEvaluation,
  uniformTable,
} from "./policy-evaluation.js";
export { policyIteration } from "./policy-iteration.js";
export type { Convergence, PlanOptions, PlanResult } from "./types.js";
export { valueIteration } from "./value-iteration.js";
