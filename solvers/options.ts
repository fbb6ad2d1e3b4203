import { UsageError } from "../src/core/errors.js";
import { resolveGamma, type TabularMdp } from "../src/model/mdp.js";
import type { PlanOptions } from "./types.js";

export interface ResolvedPlanOptions {
  readonly gamma: number;
  readonly tolerance: number;
  readonly maxIterations: number;
  readonly admissibleOnly: boolean;
  readonly onIteration: ((iteration: number, residual: number) => void) | undefined;
}

/** Fill defaults and check ranges once, so the sweeps need no checks. */
export function resolvePlanOptions(
  m: TabularMdp,
  o: PlanOptions,
  defaultMaxIterations: number,
): ResolvedPlanOptions {
  const gamma = resolveGamma(m, o.gamma);
  const tolerance = o.tolerance ?? 1e-10;
  if (!(tolerance > 0)) throw new UsageError(`tolerance must be positive, got ${tolerance}`);
  const maxIterations = o.maxIterations ?? defaultMaxIterations;
  if (!(Number.isInteger(maxIterations) && maxIterations >= 1)) {
    throw new UsageError(`maxIterations must be a positive integer, got ${maxIterations}`);
  }
  return {
    gamma,
    tolerance,
    maxIterations,
    admissibleOnly: o.admissibleOnly ?? m.admissibleKnown,
    onIteration: o.onIteration,
  };
}

export function errorBound(residual: number, gamma: number): number | null {
  return gamma < 1 ? (residual * gamma) / (1 - gamma) : null;
}
