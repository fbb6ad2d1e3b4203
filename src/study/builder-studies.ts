import { uniformTable } from "../../solvers/index.js";
import { simulateBehaviour } from "../builder/behaviour-fidelity.js";
import { bootstrapPredictions } from "../builder/bootstrap.js";
import { assembleAt, type BuildOptions, prepareStates } from "../builder/build.js";
import { namedPolicy, type Proportion, returnOf } from "../builder/fidelity.js";
import { type FidelityRow, fidelity, policyTable } from "../builder/fidelity-row.js";
import { simulatorHorizonBlocks } from "../builder/horizon.js";
import {
  type TieBreak,
  type TieSpread,
  tieBreakFidelity,
  tieBreakKey,
  tieBreakPolicies,
  tieSpread,
} from "../builder/tie-breaks.js";
import { derive } from "../core/rng.js";
import type { TabularMdp } from "../model/mdp.js";
import { withAdmissible } from "../model/mean-rule.js";

export const STUDY_POLICIES = ["behaviour", "optimal", "expert", "random"] as const;

export interface ThresholdRow extends FidelityRow {
  readonly cohortSeed: number;
  readonly threshold: number;
  readonly states: number;
  readonly admissiblePairs: number;
  /** Optimal policy only: which optimal policy (one row per tie-break, see tie-breaks.ts). */
  readonly tieBreak?: TieBreak;
}

export interface ThresholdStudyOptions {
  /** One cohort (and k-means) per seed; every threshold is applied to the same cohort and clusters. */
  readonly cohortSeeds: readonly number[];
  /** Stays simulated per policy and the seed of those stays (the same patients for every MDP). */
  readonly check: { readonly patients: number; readonly seed: number };
  /** Bootstrap replicates of each cohort for the predictions' intervals (0 = none). */
  readonly bootstrap: number;
  /** Called after each (cohort, threshold) with the number done. */
  readonly onStep?: (done: number) => void;
}

/**
 * Build each cohort once and apply each threshold to its counts; per MDP, predicted (on the simulator's
 * horizon and with none) vs simulated survival of the behaviour, optimal (one row per tie-break), expert and
 * random policies. Every policy is simulated on the same patients (check.seed), so the behaviour's
 * simulated survival is the same figure in every MDP's rows.
 */
export function thresholdStudy(
  build: Omit<BuildOptions, "threshold" | "seed">,
  thresholds: readonly number[],
  o: ThresholdStudyOptions,
): ThresholdRow[] {
  const rows: ThresholdRow[] = [];
  let done = 0;
  // The same recipe and check seed for every MDP: the behaviour's simulated survival is one figure.
  let behaviourSimulated: Proportion | undefined;
  for (const cohortSeed of o.cohortSeeds) {
    const prep = prepareStates({ ...build, seed: cohortSeed });
    for (const threshold of thresholds) {
      const m = assembleAt(prep, threshold).mdp;
      const blocks = simulatorHorizonBlocks(m);
      const pairs = (m.metadata.builder as { counts: { admissible_pairs: number } }).counts.admissible_pairs;
      const ties = tieBreakPolicies(m);
      const named = STUDY_POLICIES.filter((p) => p !== "optimal").map((policy) => ({
        policy,
        table: policyTable(m, policy),
      }));
      const tables = [...named, ...ties.map((t) => ({ policy: tieBreakKey(t.tieBreak), table: t.table }))];
      const boot =
        o.bootstrap > 0
          ? bootstrapPredictions(prep, threshold, tables, {
              replicates: o.bootstrap,
              seed: cohortSeed,
              blocks,
            })
          : undefined;
      const about = { cohortSeed, threshold, states: m.nS, admissiblePairs: pairs };
      for (const policy of STUDY_POLICIES) {
        if (policy === "optimal") {
          for (const row of tieBreakFidelity(m, ties, { ...o.check, blocks }, boot))
            rows.push({ ...row, ...about });
          continue;
        }
        const bootstrap = boot?.get(policy);
        if (policy === "behaviour") behaviourSimulated ??= simulateBehaviour(m, o.check);
        const row = fidelity(m, policy, policyTable(m, policy), {
          ...o.check,
          blocks,
          behaviourSimulated,
          ...(bootstrap ? { bootstrap } : {}),
        });
        rows.push({ ...row, ...about });
      }
      o.onStep?.(++done);
    }
  }
  return rows;
}

/** The row's label in summaries: the policy, and the tie-break for the optimal policy's rows. */
export const rowLabel = (r: { policy: string; tieBreak?: string }): string =>
  r.tieBreak === undefined ? r.policy : `${r.policy} (${r.tieBreak})`;

/** The tie-breaks' spread in each (cohort, threshold) MDP. */
export function tieSpreads(
  rows: readonly ThresholdRow[],
): { readonly cohortSeed: number; readonly threshold: number; readonly spread: TieSpread }[] {
  const out: { cohortSeed: number; threshold: number; spread: TieSpread }[] = [];
  for (const r of rows) {
    if (
      r.tieBreak === undefined ||
      out.some((x) => x.cohortSeed === r.cohortSeed && x.threshold === r.threshold)
    )
      continue;
    const same = rows.filter(
      (x) => x.tieBreak !== undefined && x.cohortSeed === r.cohortSeed && x.threshold === r.threshold,
    );
    out.push({ cohortSeed: r.cohortSeed, threshold: r.threshold, spread: tieSpread(same) });
  }
  return out;
}

/** Mean and range over cohorts of one (threshold, policy) cell. */
export interface AcrossCohorts {
  readonly threshold: number;
  /** The policy, with its tie-break for the optimal policy's rows (see rowLabel). */
  readonly policy: string;
  readonly cohorts: number;
  readonly predicted: {
    readonly horizon: ReturnType<typeof meanRange>;
    readonly infinite: ReturnType<typeof meanRange>;
  };
  readonly simulated: ReturnType<typeof meanRange>;
  readonly gap: {
    readonly horizon: ReturnType<typeof meanRange>;
    readonly infinite: ReturnType<typeof meanRange>;
  };
}

/** Mean, min and max of a sample (the across-cohort summary). */
export const meanRange = (xs: readonly number[]) => ({
  mean: xs.reduce((a, b) => a + b, 0) / xs.length,
  min: Math.min(...xs),
  max: Math.max(...xs),
});

/**
 * Mean and range over cohort seeds of each (threshold, policy) cell of a threshold study: predicted and
 * simulated survival and their gap, in the order the cells first appear.
 */
export function acrossCohorts(rows: readonly ThresholdRow[]): AcrossCohorts[] {
  const keys = [...new Set(rows.map((r) => `${r.threshold}\u0000${rowLabel(r)}`))];
  return keys.map((key) => {
    const rs = rows.filter((r) => `${r.threshold}\u0000${rowLabel(r)}` === key);
    return {
      threshold: rs[0]!.threshold,
      policy: rowLabel(rs[0]!),
      cohorts: rs.length,
      predicted: {
        horizon: meanRange(rs.map((r) => r.predicted.horizon.survival)),
        infinite: meanRange(rs.map((r) => r.predicted.infinite.survival)),
      },
      simulated: meanRange(rs.map((r) => r.simulated.survival)),
      gap: {
        horizon: meanRange(rs.map((r) => r.gap.horizon.value)),
        infinite: meanRange(rs.map((r) => r.gap.infinite.value)),
      },
    };
  });
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
  onProgress?: (done: number, total: number) => void,
): PerturbRow[] {
  const rows: PerturbRow[] = [];
  let done = 0;
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
      onProgress?.(++done, ps.length * repeats);
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
