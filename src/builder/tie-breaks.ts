import { deterministicTable } from "../../solvers/index.js";
import { certifiedPlan } from "../../solvers/plan.js";
import { makeTiesProper } from "../../solvers/proper-ties.js";
import type { ActionSets } from "../model/action-sets.js";
import type { TabularMdp } from "../model/mdp.js";
import { behaviourTable } from "./cohort-truth.js";
import { namedPolicy } from "./fidelity.js";
import { type BootstrapSamples, type FidelityOptions, type FidelityRow, fidelity } from "./fidelity-row.js";

/**
 * Where several actions are optimal in the MDP (often: every state of a tau = 5 build can have value 1), the
 * MDP cannot tell them apart but the simulator can. Each tie-break is a deterministic optimal policy of the
 * MDP; simulating all of them shows how much a verdict on "the optimal policy" depends on the choice.
 * - `tie-rule`: the planners' documented rule (shortest expected episode, then lowest index), the policy
 *   `fidelity --policy optimal` and `baselines` use;
 * - `most-frequent`: the optimal action the cohort's behaviour took most often in the state (builder.pair_counts),
 *   the one the data supports best;
 * - `least-frequent`: the optimal action it took least often (possibly never), the one the data supports least.
 * Frequency ties go to the lowest action index. Where a frequency choice could run forever in the MDP (an
 * optimal self-loop keeps a value of 1), as few states as possible change to the lowest optimal action that
 * moves towards states that end surely (makeTiesProper), so every tie-break is a proper optimal policy.
 */
export const TIE_BREAKS = ["tie-rule", "most-frequent", "least-frequent"] as const;
export type TieBreak = (typeof TIE_BREAKS)[number];

export interface TieBreakPolicy {
  readonly tieBreak: TieBreak;
  /** S x A one-hot table (terminal rows: one-hot on action 0, never used). */
  readonly table: Float64Array;
}

function byFrequency(m: TabularMdp, sets: ActionSets, freqSA: Float64Array, most: boolean): Int32Array {
  const policyS = new Int32Array(m.nS);
  for (let s = 0; s < m.nS; s++) {
    if (m.terminalS[s] === 1) continue;
    let pick = -1;
    for (let i = sets.ptr[s]!; i < sets.ptr[s + 1]!; i++) {
      const a = sets.actions[i]!;
      const f = freqSA[s * m.nA + a]!;
      const p = pick < 0 ? 0 : freqSA[s * m.nA + pick]!;
      if (pick < 0 || (most ? f > p : f < p)) pick = a;
    }
    policyS[s] = pick;
  }
  const inSet = (s: number, a: number): boolean => {
    for (let i = sets.ptr[s]!; i < sets.ptr[s + 1]!; i++) if (sets.actions[i] === a) return true;
    return false;
  };
  makeTiesProper(m, sets, policyS, inSet, true);
  return policyS;
}

/** The optimal policy of each tie-break (undiscounted survival, optimal actions from the certified planner). */
export function tieBreakPolicies(m: TabularMdp): TieBreakPolicy[] {
  const certified = certifiedPlan(m, "gs-vi", { gamma: 1 }).certified;
  const sets = certified.optimalActions;
  const freq = behaviourTable(m);
  return [
    { tieBreak: "tie-rule", table: namedPolicy(m, "optimal") },
    { tieBreak: "most-frequent", table: deterministicTable(m, byFrequency(m, sets, freq, true)) },
    { tieBreak: "least-frequent", table: deterministicTable(m, byFrequency(m, sets, freq, false)) },
  ];
}

/** One tie-break's comparison with the simulator. */
export interface TieBreakRow extends FidelityRow {
  readonly tieBreak: TieBreak;
}

/** max - min over the tie-breaks of the simulated survival and of each prediction. */
export interface TieSpread {
  readonly simulated: number;
  readonly predicted: { readonly horizon: number; readonly infinite: number };
}

const range = (xs: readonly number[]): number => Math.max(...xs) - Math.min(...xs);

export function tieSpread(rows: readonly FidelityRow[]): TieSpread {
  return {
    simulated: range(rows.map((r) => r.simulated.survival)),
    predicted: {
      horizon: range(rows.map((r) => r.predicted.horizon.survival)),
      infinite: range(rows.map((r) => r.predicted.infinite.survival)),
    },
  };
}

/** The bootstrap key of a tie-break's policy (carried over cluster by cluster, as any fixed table). */
export const tieBreakKey = (t: TieBreak): string => `optimal:${t}`;

/**
 * Every tie-break simulated on the same patients (same seed) and compared with its predictions.
 * `bootstrap` holds samples under tieBreakKey(t) when the predictions were bootstrapped.
 */
export function tieBreakFidelity(
  m: TabularMdp,
  policies: readonly TieBreakPolicy[],
  o: Omit<FidelityOptions, "bootstrap" | "behaviourSimulated">,
  bootstrap?: ReadonlyMap<string, BootstrapSamples>,
): TieBreakRow[] {
  return policies.map((p, i) => {
    const boot = bootstrap?.get(tieBreakKey(p.tieBreak));
    const row = fidelity(m, "optimal", p.table, {
      ...o,
      ...(boot ? { bootstrap: boot } : {}),
      onPatient: (d) => o.onPatient?.(i * o.patients + d),
    });
    return { ...row, tieBreak: p.tieBreak };
  });
}
