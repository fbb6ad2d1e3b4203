import { UsageError } from "../src/core/errors.js";
import { resolveGamma, type TabularMdp } from "../src/model/mdp.js";
import { lengthRangeNote } from "./certify.js";
import { certifiedPlan } from "./plan.js";
import {
  deterministicTable,
  evaluatePolicy,
  type PolicyEvaluation,
  uniformTable,
} from "./policy-evaluation.js";
import type { PlanResult } from "./types.js";

export interface BaselineFigure {
  /** Exact expected return from d0; null when it is undefined (gamma = 1 and the policy may run forever). */
  readonly return: number | null;
  /** Exact expected episode length, or null when unbounded (see `lengthReason`). */
  readonly length: number | null;
  readonly lengthReason?: string;
  readonly terminalProbabilities: PolicyEvaluation["terminalProbabilities"];
  /** Set when the figure could not be computed exactly; says why and what was reported instead. */
  readonly note?: string;
  /** Optimal policy only: [shortest, longest] expected length from d0 over all optimal policies (null = unbounded). */
  readonly lengthRange?: readonly [number | null, number | null];
  /** Optimal policy only: why an end of lengthRange is unbounded. */
  readonly lengthRangeNote?: string;
  /** Optimal policy only: non-terminal states with more than one optimal action. */
  readonly tiedStates?: number;
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
    /** Bellman residual of the certified policy's exact values, and the bound on |V - V*| it gives. */
    readonly certifiedResidual: number;
    readonly errorBound: number | null;
    /** The bound misses 1e-10 (see CertifiedOptimum.lessAccurateThan1e10). */
    readonly lessAccurateThan1e10: boolean;
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
 * an expert policy; optimal = Gauss-Seidel value iteration to `tolerance`, certified (see `certify`): the tie
 * rule's policy, evaluated exactly, with the range of expected lengths over all optimal policies.
 */
export function baselines(m: TabularMdp, options: { gamma?: number; tolerance?: number } = {}): Baselines {
  const gamma = resolveGamma(m, options.gamma);
  const { plan: solved, certified } = certifiedPlan(m, "gs-vi", {
    gamma,
    tolerance: options.tolerance ?? 1e-10,
  });
  const expert = m.expertPolicy === null ? undefined : evaluateOrExplain(m, m.expertPolicy, gamma);
  let optimal = evaluateOrExplain(m, deterministicTable(m, certified.policyS), gamma);
  if (optimal.return === null) {
    // gamma = 1 and every optimal policy keeps some patients running forever (e.g. Oberst & Sontag: treating
    // forever beats risking death). Staying is worth exactly 0, so the return is the certified values'.
    let v = 0;
    for (let s = 0; s < m.nS; s++) if (m.terminalS[s] === 0) v += m.d0[s]! * certified.vS[s]!;
    optimal = {
      ...optimal,
      return: v,
      note:
        "every optimal policy keeps some episodes running forever (staying in a zero-reward cycle is worth at least " +
        "as much as any way to a terminal state), so this return is the certified optimal value, staying counted as 0",
    };
  }
  const note = lengthRangeNote(m, certified);
  optimal = {
    ...optimal,
    lengthRange: certified.lengthRange,
    ...(note === null ? {} : { lengthRangeNote: note }),
    tiedStates: certified.tiedStates,
  };
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
      certifiedResidual: certified.residual,
      errorBound: certified.errorBound,
      lessAccurateThan1e10: certified.lessAccurateThan1e10,
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
