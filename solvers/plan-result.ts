import type { ResolvedPlanOptions } from "./options.js";
import { errorBound } from "./options.js";
import type { PlanResult } from "./types.js";

/** What a planner knows when it stops; `planResult` turns it into the shared result shape. */
export interface PlannerOutcome {
  readonly vS: Float64Array;
  readonly qSA: Float64Array;
  readonly policyS: Int32Array;
  readonly iterations: number;
  readonly residual: number;
  readonly converged: boolean;
  /** How a converged run stopped: a small enough change (VI, GS-VI, MPI) or a stable policy (PI). */
  readonly convergedBy: "tolerance" | "policy-stable";
}

/** The one place a planner's result and its convergence report are assembled. */
export function planResult(
  o: ResolvedPlanOptions,
  method: PlanResult["method"],
  r: PlannerOutcome,
): PlanResult {
  return {
    vS: r.vS,
    qSA: r.qSA,
    policyS: r.policyS,
    gamma: o.gamma,
    admissibleOnly: o.admissibleOnly,
    method,
    report: {
      converged: r.converged,
      iterations: r.iterations,
      residual: r.residual,
      stop: r.converged ? r.convergedBy : "max-iterations",
      errorBound: errorBound(r.residual, o.gamma),
    },
  };
}
