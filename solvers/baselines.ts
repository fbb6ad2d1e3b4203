import { defaultGamma, type TabularMdp } from "../src/model/mdp.js";
import {
  deterministicTable,
  evaluatePolicy,
  type PolicyEvaluation,
  uniformTable,
} from "./policy-evaluation.js";
import type { PlanResult } from "./types.js";
import { valueIteration } from "./value-iteration.js";

export interface BaselineFigure {
  readonly return: number;
  /** Exact expected episode length, or null when unbounded (see `lengthReason`). */
  readonly length: number | null;
  readonly lengthReason?: string;
  readonly terminalProbabilities: PolicyEvaluation["terminalProbabilities"];
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
  const gamma = options.gamma ?? defaultGamma(m);
  const solved = valueIteration(m, { gamma, tolerance: options.tolerance ?? 1e-10, gaussSeidel: true });
  const expert = m.expertPolicy === null ? undefined : figure(evaluatePolicy(m, m.expertPolicy, { gamma }));
  return {
    gamma,
    policies: {
      random: figure(evaluatePolicy(m, uniformTable(m), { gamma })),
      ...(expert === undefined ? {} : { expert }),
      optimal: figure(evaluatePolicy(m, deterministicTable(m, solved.policyS), { gamma })),
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
