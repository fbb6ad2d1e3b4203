import { uniformTable } from "../../solvers/index.js";
import { type BuildOptions, buildFromSimulator } from "../builder/build.js";
import { type FidelityRow, fidelity, namedPolicy, returnOf } from "../builder/fidelity.js";
import { withAdmissible } from "../builder/mean-rule.js";
import { derive } from "../core/rng.js";
import type { TabularMdp } from "../model/mdp.js";

export const STUDY_POLICIES = ["optimal", "expert", "random"] as const;

export interface ThresholdRow extends FidelityRow {
  readonly threshold: number;
  readonly states: number;
  readonly admissiblePairs: number;
}

/** Build at each threshold (same cohort and states: same seed) and compare predicted vs simulated survival. */
export function thresholdStudy(
  build: Omit<BuildOptions, "threshold">,
  thresholds: readonly number[],
  check: { patients: number; seed: number },
): ThresholdRow[] {
  const rows: ThresholdRow[] = [];
  for (const threshold of thresholds) {
    const m = buildFromSimulator({ ...build, threshold }).mdp;
    const pairs = (m.metadata.builder as { counts: { admissible_pairs: number } }).counts.admissible_pairs;
    for (const p of STUDY_POLICIES) {
      const row = fidelity(m, p, namedPolicy(m, p), check);
      rows.push({ ...row, threshold, states: m.nS, admissiblePairs: pairs });
    }
  }
  return rows;
}

export interface PerturbRow {
  readonly p: number;
  readonly policy: string;
  readonly mean: number;
  /** Sample standard deviation over repeats. */
  readonly sd: number;
  readonly min: number;
  readonly max: number;
  /** Repeats where the policy could run forever (value = return of the terminating episodes). */
  readonly nonTerminating: number;
}

/**
 * Each admissible action of a non-terminal state becomes inadmissible with probability p (at least one kept
 * per state, chosen uniformly among the admissible ones when all were dropped); the mean rule rebuilds the
 * rows; random (uniform), expert (stored table) and optimal (VI on the perturbed MDP) are evaluated exactly.
 */
export function perturbStudy(
  m: TabularMdp,
  ps: readonly number[],
  repeats: number,
  seed: number,
): PerturbRow[] {
  const rows: PerturbRow[] = [];
  for (const p of ps) {
    const vals: Record<string, number[]> = { random: [], expert: [], optimal: [] };
    const loose: Record<string, number> = { random: 0, expert: 0, optimal: 0 };
    const add = (policy: string, r: { value: number; exact: boolean }): void => {
      vals[policy]!.push(r.value);
      if (!r.exact) loose[policy]!++;
    };
    for (let rep = 0; rep < repeats; rep++) {
      const rng = derive(seed, `perturb-${p}-${rep}`);
      const adm = m.admissibleSA.slice();
      for (let s = 0; s < m.nS; s++) {
        if (m.terminalS[s] === 1) continue;
        const had: number[] = [];
        for (let a = 0; a < m.nA; a++) {
          if (m.admissibleSA[s * m.nA + a] !== 1) continue;
          had.push(a);
          if (rng.next() < p) adm[s * m.nA + a] = 0;
        }
        if (had.every((a) => adm[s * m.nA + a] === 0)) adm[s * m.nA + had[rng.int(had.length)]!] = 1;
      }
      const q = withAdmissible(m, adm);
      add("random", returnOf(q, uniformTable(q)));
      if (q.expertPolicy) add("expert", returnOf(q, q.expertPolicy));
      add("optimal", returnOf(q, namedPolicy(q, "optimal")));
    }
    for (const [policy, xs] of Object.entries(vals)) {
      if (xs.length === 0) continue;
      const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
      const sd = xs.length > 1 ? Math.sqrt(xs.reduce((a, b) => a + (b - mean) ** 2, 0) / (xs.length - 1)) : 0;
      rows.push({
        p,
        policy,
        mean,
        sd,
        min: xs.reduce((a, b) => Math.min(a, b)),
        max: xs.reduce((a, b) => Math.max(a, b)),
        nonTerminating: loose[policy]!,
      });
    }
  }
  return rows;
}

/** The unperturbed baselines (p = 0), for the plot's first point. */
export function unperturbed(m: TabularMdp): PerturbRow[] {
  const names = m.expertPolicy
    ? (["random", "expert", "optimal"] as const)
    : (["random", "optimal"] as const);
  return names.map((policy) => {
    const r = returnOf(m, namedPolicy(m, policy));
    return {
      p: 0,
      policy,
      mean: r.value,
      sd: 0,
      min: r.value,
      max: r.value,
      nonTerminating: r.exact ? 0 : 1,
    };
  });
}
