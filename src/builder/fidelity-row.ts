import { derive } from "../core/rng.js";
import { type Ci95, percentile95 } from "../core/stats.js";
import type { TabularMdp } from "../model/mdp.js";
import { simulateBehaviour } from "./behaviour-fidelity.js";
import { behaviourTable } from "./cohort-truth.js";
import { namedPolicy, type Proportion, returnOf, simulatePolicy } from "./fidelity.js";

/** Policies `fidelity` and the studies know by name. */
export const NAMED_POLICIES = ["optimal", "expert", "random", "behaviour"] as const;
export type NamedPolicy = (typeof NAMED_POLICIES)[number];
/**
 * Whether `p` names a policy (optimal, expert, random, behaviour) rather than a policy file.
 * @example
 * isNamedPolicy("behaviour"); //=> true
 * isNamedPolicy("my-policy.csv"); //=> false
 */
export const isNamedPolicy = (p: string): p is NamedPolicy =>
  (NAMED_POLICIES as readonly string[]).includes(p);

/** The MDP table of a named policy; "behaviour" is the cohort's per-state action frequencies. */
export function policyTable(m: TabularMdp, name: NamedPolicy): Float64Array {
  return name === "behaviour" ? behaviourTable(m) : namedPolicy(m, name);
}

/** One prediction of survival; `ci95` = bootstrap percentile interval over resampled cohorts, when asked. */
export interface PredictedSurvival {
  readonly survival: number;
  /** False when the policy can run forever in the MDP (survival = that of the terminating episodes). */
  readonly exact: boolean;
  readonly ci95?: Ci95;
}

/**
 * Simulated vs predicted survival of one policy. Predictions are keyed by how time is counted: `infinite`
 * is the MDP's own (episodes run until death or survival); a finite-horizon key can sit beside it.
 */
export interface FidelityRow {
  readonly policy: string;
  readonly simulated: { readonly survival: number; readonly ci95: Ci95; readonly patients: number };
  readonly predicted: { readonly infinite: PredictedSurvival };
  /** simulated - predicted, with the interval of that difference when predictions were bootstrapped. */
  readonly gap: { readonly infinite: { readonly value: number; readonly ci95?: Ci95 } };
}

export interface FidelityOptions {
  readonly patients: number;
  readonly seed: number;
  /** Predicted survival of the policy in each bootstrap replicate of the cohort (see bootstrap.ts). */
  readonly bootstrap?: Float64Array;
  /**
   * The behaviour's simulated survival when already known: it depends only on the recipe and the seed, so
   * a study comparing several MDPs of one cohort simulates it once.
   */
  readonly behaviourSimulated?: Proportion;
  /** Hears each simulated stay (a progress bar). */
  readonly onPatient?: (done: number) => void;
}

/**
 * Gap interval: the simulated patients are resampled too (each replicate redraws the simulated survival as
 * a bootstrap of its n outcomes), paired with one replicate's prediction; the two sides use different
 * patients, so the pairs are independent. Percentiles of the differences.
 */
function gapCi95(sim: Proportion, predicted: Float64Array, seed: number): Ci95 {
  const rng = derive(seed, "bootstrap-simulated");
  const diffs = new Float64Array(predicted.length);
  for (let i = 0; i < predicted.length; i++) {
    let alive = 0;
    for (let j = 0; j < sim.n; j++) if (rng.next() < sim.estimate) alive++;
    diffs[i] = alive / sim.n - predicted[i]!;
  }
  return percentile95(diffs);
}

/**
 * Run `policy` in the simulator the MDP was built from and compare with the MDP's exact prediction. The
 * behaviour policy runs as the simulator applied it when building (not as the MDP's frequency table).
 */
export function fidelity(m: TabularMdp, policy: string, piSA: Float64Array, o: FidelityOptions): FidelityRow {
  const { value, exact } = returnOf(m, piSA);
  const sim =
    policy === "behaviour"
      ? (o.behaviourSimulated ?? simulateBehaviour(m, o))
      : simulatePolicy(m, piSA, {
          patients: o.patients,
          seed: o.seed,
          ...(o.onPatient === undefined ? {} : { onPatient: o.onPatient }),
        });
  const boot = o.bootstrap;
  return {
    policy,
    simulated: { survival: sim.estimate, ci95: [sim.low, sim.high], patients: sim.n },
    predicted: { infinite: { survival: value, exact, ...(boot ? { ci95: percentile95(boot) } : {}) } },
    gap: {
      infinite: { value: sim.estimate - value, ...(boot ? { ci95: gapCi95(sim, boot, o.seed) } : {}) },
    },
  };
}
