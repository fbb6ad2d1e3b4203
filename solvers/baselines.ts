import { UsageError } from "../src/core/errors.js";
import { resolveGamma, type TabularMdp } from "../src/model/mdp.js";
import {
  deterministicTable,
  evaluatePolicy,
  type PolicyEvaluation,
  uniformTable,
} from "./policy-evaluation.js";
import type { PlanResult } from "./types.js";
import { valueIteration } from "./value-iteration.js";

export interface BaselineFigure {
  /** Exact expected return from d0; null when it is undefined (gamma = 1 and the policy may run forever). */
  readonly return: number | null;
  /** Exact expected episode length, or null when unbounded (see `lengthReason`). */
  readonly length: number | null;
  readonly lengthReason?: string;
  readonly terminalProbabilities: PolicyEvaluation["terminalProbabilities"];
  /** Set when the figure could not be computed exactly; says why and what was reported instead. */
  readonly note?: string;
}

export interface Baselines {
  readonly gamma: number;
  readonly policies: {
    readonly random: BaselineFigure;
    readonly expert?: BaselineFigure;
    readonly optimal: BaselineFigure;
  };
  /** How the optimal policy was found. */
  readonly optimal: {
    readonly method: PlanResult["method"];
    readonly admissibleOnly: boolean;
    readonly iterations: number;
    readonly residual: number;
    readonly converged: boolean;
  };
}

function figure(e: PolicyEvaluation): BaselineFigure {
  return {
    return: e.expectedReturn,
    length: e.expectedLength,
    ...(e.lengthReason === null ? {} : { lengthReason: e.lengthReason }),
    terminalProbabilities: e.terminalProbabilities,
  };
}

/**
 * Exact random / expert / optimal baselines: random = uniform over all actions; expert only when the MDP has
 * an expert policy; optimal = Gauss-Seidel value iteration to `tolerance`, then exact evaluation of its
 * greedy policy (return and episode length both come from linear algebra, not from the iteration).
 */
export function baselines(m: TabularMdp, options: { gamma?: number; tolerance?: number } = {}): Baselines {
  const gamma = resolveGamma(m, options.gamma);
  const solved = valueIteration(m, { gamma, tolerance: options.tolerance ?? 1e-10, gaussSeidel: true });
  const expert = m.expertPolicy === null ? undefined : evaluateOrExplain(m, m.expertPolicy, gamma);
  let optimal = evaluateOrExplain(m, deterministicTable(m, solved.policyS), gamma);
  if (optimal.return === null) {
    // gamma = 1 and the optimal policy never ends for some patients (e.g. Oberst & Sontag: treating forever
    // beats dying). Its return is still well defined as the value-iteration fixed point.
    let v = 0;
    for (let s = 0; s < m.nS; s++) v += m.d0[s]! * solved.vS[s]!;
    optimal = {
      ...optimal,
      return: v,
      note: `${optimal.note}; return taken from value iteration (residual ${solved.report.residual.toExponential(1)})`,
    };
  }
  return {
    gamma,
    policies: {
      random: evaluateOrExplain(m, uniformTable(m), gamma),
      ...(expert === undefined ? {} : { expert }),
      optimal,
    },
    optimal: {
      method: solved.method,
      admissibleOnly: solved.admissibleOnly,
      iterations: solved.report.iterations,
      residual: solved.report.residual,
      converged: solved.report.converged,
    },
  };
}

/** Exact figures, or nulls with the reason when gamma = 1 and the policy can avoid termination forever. */
function evaluateOrExplain(m: TabularMdp, pi: Float64Array, gamma: number): BaselineFigure {
  try {
    return figure(evaluatePolicy(m, pi, { gamma }));
  } catch (err) {
    if (!(err instanceof UsageError) || gamma !== 1) throw err;
    return { return: null, length: null, terminalProbabilities: [], note: err.message };
  }
}
