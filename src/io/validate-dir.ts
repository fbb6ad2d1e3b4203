/** Checking a folder and listing every problem (up to a cap) instead of stopping at the first. */
import type { InputError } from "../core/errors.js";
import { terminalStates } from "../model/mdp.js";
import { DEFAULT_TOLERANCE } from "./policy.js";
import { collectingSink } from "./problems.js";
import { loadDir } from "./read-dir.js";

export interface ValidateOptions {
  /** Allowed |row sum - 1|. Default 1e-9. */
  readonly tolerance?: number;
  /** Stop after this many problems. Default 50. */
  readonly maxProblems?: number;
}

/** What a valid folder holds. */
export interface ValidationSummary {
  readonly nS: number;
  readonly nA: number;
  readonly nonZeros: number;
  readonly rewardKind: "next-state" | "state-action";
  readonly admissibleKnown: boolean;
  /** Admissible (s, a) pairs of non-terminal states. */
  readonly admissiblePairs: number;
  readonly terminalStates: number[];
  /** Largest |sum_s' T(s,a,s') - 1| over rows (compensated sums). */
  readonly maxRowSumDeviation: number;
  readonly files: string[];
}

export interface ValidationReport {
  readonly ok: boolean;
  readonly problems: InputError[];
  readonly summary?: ValidationSummary;
}

/**
 * Validate a folder in the ICU-Sepsis layout; never throws for bad input.
 * @example
 * const r = await validateMdpDir("icu-sepsis");
 * if (!r.ok) for (const p of r.problems) console.log(p.message);
 * r.ok; //=> true
 */
export async function validateMdpDir(dir: string, opts: ValidateOptions = {}): Promise<ValidationReport> {
  const sink = collectingSink(opts.maxProblems ?? 50);
  const r = await loadDir(dir, opts.tolerance ?? DEFAULT_TOLERANCE, sink);
  const problems = [...sink.problems];
  if (r.mdp === null || problems.length > 0) return { ok: false, problems };
  const m = r.mdp;
  let admissiblePairs = 0;
  for (let s = 0; s < m.nS; s++)
    if (m.terminalS[s] === 0) for (let a = 0; a < m.nA; a++) admissiblePairs += m.admissibleSA[s * m.nA + a]!;
  const summary: ValidationSummary = {
    nS: m.nS,
    nA: m.nA,
    nonZeros: m.prob.length,
    rewardKind: m.reward.kind,
    admissibleKnown: m.admissibleKnown,
    admissiblePairs,
    terminalStates: terminalStates(m),
    maxRowSumDeviation: r.maxRowSumDeviation,
    files: Object.values(r.files).filter((p): p is string => p !== undefined),
  };
  return { ok: true, problems, summary };
}
