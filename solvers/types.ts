/** How an iterative solver stopped. Solvers never print: callers decide what to say. */
export interface Convergence {
  readonly converged: boolean;
  readonly iterations: number;
  /** Sup-norm change of the last sweep (VI) or Bellman residual of the final values (PI/MPI). */
  readonly residual: number;
  readonly stop: "tolerance" | "policy-stable" | "max-iterations";
  /** For gamma < 1: bound on max_s |V - V*| implied by the last change, residual * gamma / (1 - gamma). */
  readonly errorBound: number | null;
}

export interface PlanOptions {
  /** Discount in (0, 1]; gamma = 1 needs terminal states reached with probability 1. */
  readonly gamma?: number;
  /** Stop when the sup-norm change of a sweep is at most this (unscaled). Default 1e-10. */
  readonly tolerance?: number;
  /** Never rewritten: the solver stops here with converged = false. */
  readonly maxIterations?: number;
  /** Maximise over admissible actions only (default true when the MDP's admissibility is known). */
  readonly admissibleOnly?: boolean;
  readonly onIteration?: (iteration: number, residual: number) => void;
}

export interface PlanResult {
  /** State values (terminal states 0). */
  readonly vS: Float64Array;
  /** Action values, nS*nA (inadmissible entries -Infinity when maximising over admissible actions only). */
  readonly qSA: Float64Array;
  /**
   * The planner's own deterministic policy (greedy: lowest action within 1e-12 of the max; PI: its stable
   * policy). The well-posed choice among tied optimal actions is `certify(m, result).policyS`.
   */
  readonly policyS: Int32Array;
  readonly report: Convergence;
  readonly gamma: number;
  readonly admissibleOnly: boolean;
  readonly method: "vi" | "gs-vi" | "pi" | "mpi";
}
