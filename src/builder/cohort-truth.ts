import { evaluatePolicy } from "../../solvers/policy-evaluation.js";
import { UsageError } from "../core/errors.js";
import type { TabularMdp } from "../model/mdp.js";
import { pruneStates } from "./admissibility.js";
import type { Cohort } from "./cohort.js";
import type { Counts } from "./counting.js";

/**
 * What the cohort itself shows, and what the MDP says about the policy that generated it. The behaviour
 * policy in MDP terms is the per-state frequency of each action over every block of the cohort (all counts,
 * admissible or not): `builder.pair_counts` holds those counts, so the table is rebuilt from metadata.json.
 */
export interface CohortOutcome {
  readonly patients: number;
  readonly deaths: number;
  /** Observed survival: 1 - deaths / patients. */
  readonly survival: number;
  /** Mean stay in MDP steps (blocks): the MDP's expected episode length counts the same steps. */
  readonly mean_stay_blocks: number;
}

export function cohortOutcome(cohort: Cohort): CohortOutcome {
  let deaths = 0;
  for (const d of cohort.died) deaths += d;
  return {
    patients: cohort.nPatients,
    deaths,
    survival: 1 - deaths / cohort.nPatients,
    mean_stay_blocks: cohort.nBlocks / cohort.nPatients,
  };
}

/** [state, action, times taken] for every pair seen in a kept state, in the final MDP's state ids. */
export type PairCounts = readonly (readonly [number, number, number])[];

export function pairCounts(c: Counts, stateOfCluster: Int32Array): PairCounts {
  const out: [number, number, number][] = [];
  for (let s = 0; s < c.k; s++) {
    const ns = stateOfCluster[s]!;
    if (ns < 0) continue;
    for (let a = 0; a < c.nA; a++) {
      const n = c.saCount[s * c.nA + a]!;
      if (n > 0) out.push([ns, a, n]);
    }
  }
  // Kept clusters keep their order, so this is already sorted by (state, action).
  return out;
}

/** A policy's exact survival and expected length in blocks (null when the policy can run forever). */
export interface Prediction {
  readonly survival: number | null;
  readonly length: number | null;
}

function predict(m: TabularMdp, piSA: Float64Array): Prediction {
  try {
    const e = evaluatePolicy(m, piSA, { gamma: 1 });
    return { survival: e.expectedReturn, length: e.expectedLength };
  } catch (err) {
    if (err instanceof UsageError) return { survival: null, length: null };
    throw err;
  }
}

/**
 * The behaviour policy's prediction before thresholding: the MDP of the same clusters with every pair seen
 * admissible (threshold 0), whose action frequencies are then the behaviour's own. Counting flows are
 * conserved in that MDP, so its survival and length equal the cohort's observed ones up to rounding.
 */
export function predictBeforeThreshold(
  c: Counts,
  assemble: (c: Counts, pr: ReturnType<typeof pruneStates>) => TabularMdp,
): Prediction {
  const m = assemble(c, pruneStates(c, 0));
  if (m.expertPolicy === null) throw new UsageError("the all-counts MDP has no action frequencies");
  return predict(m, m.expertPolicy);
}

/** The behaviour policy as an nS x nA table from metadata.json's pair_counts (uniform on terminals). */
export function behaviourTable(m: TabularMdp): Float64Array {
  const b = m.metadata.builder as { pair_counts?: PairCounts } | undefined;
  if (b?.pair_counts === undefined)
    throw new UsageError(
      "metadata.json has no builder.pair_counts (built by an older tabmdp): rebuild the MDP with `tabmdp build`",
    );
  const pi = new Float64Array(m.nS * m.nA);
  const total = new Float64Array(m.nS);
  for (const [s, a, n] of b.pair_counts) {
    if (!(s >= 0 && s < m.nS && a >= 0 && a < m.nA && n >= 0))
      throw new UsageError(`metadata.json: pair_counts entry [${s}, ${a}, ${n}] is out of range`);
    pi[s * m.nA + a] = n;
    total[s]! += n;
  }
  for (let s = 0; s < m.nS; s++) {
    if (total[s]! > 0) {
      for (let a = 0; a < m.nA; a++) pi[s * m.nA + a]! /= total[s]!;
    } else if (m.terminalS[s] === 1) {
      pi.fill(1 / m.nA, s * m.nA, (s + 1) * m.nA);
    } else {
      throw new UsageError(`metadata.json: pair_counts has no entry for state ${s}`);
    }
  }
  return pi;
}

/** The behaviour table's prediction in this (thresholded) MDP. */
export function predictBehaviour(m: TabularMdp): Prediction {
  return predict(m, behaviourTable(m));
}

/** What `baselines` shows for a built MDP beside random / expert / optimal. */
export interface CohortTruth {
  readonly cohort: CohortOutcome;
  /** The behaviour's prediction with every pair seen admissible (= the cohort, up to rounding). */
  readonly behaviourBeforeThreshold: Prediction;
  /** The same behaviour table in this MDP (threshold and mean rule applied). */
  readonly behaviourAfterThreshold: Prediction;
  /** after - before: what the threshold and the mean rule add to the behaviour's prediction. */
  readonly bias: { readonly survival: number | null; readonly length: number | null };
}

/** The cohort and behaviour figures of a built MDP, or null when metadata.json has none. */
export function cohortTruth(m: TabularMdp): CohortTruth | null {
  const b = m.metadata.builder as
    | { cohort?: CohortOutcome; behaviour_before_threshold?: Prediction; pair_counts?: PairCounts }
    | undefined;
  if (b?.cohort === undefined || b.behaviour_before_threshold === undefined || b.pair_counts === undefined)
    return null;
  const before = b.behaviour_before_threshold;
  const after = predictBehaviour(m);
  const diff = (x: number | null, y: number | null): number | null =>
    x === null || y === null ? null : x - y;
  return {
    cohort: b.cohort,
    behaviourBeforeThreshold: before,
    behaviourAfterThreshold: after,
    bias: { survival: diff(after.survival, before.survival), length: diff(after.length, before.length) },
  };
}
