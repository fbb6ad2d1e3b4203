import { derive } from "../core/rng.js";
import { type Ci95, percentile95 } from "../core/stats.js";
import type { TabularMdp } from "../model/mdp.js";
import { simulateBehaviour } from "./behaviour-fidelity.js";
import { behaviourTable } from "./cohort-truth.js";
import { namedPolicy, type Proportion, returnOf, simulatePolicy } from "./fidelity.js";
import { survivalOnHorizon } from "./horizon.js";

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

/** Infinite horizon: the MDP's own (episodes run until death or survival). */
export interface PredictedSurvival {
  readonly survival: number;
  /** False when the policy can run forever in the MDP (survival = that of the terminating episodes). */
  readonly exact: boolean;
  /** Bootstrap percentile interval over resampled cohorts, when asked. */
  readonly ci95?: Ci95;
}

/** On the simulator's horizon: `blocks` decisions, stays still in treatment then count as survivors. */
export interface HorizonSurvival {
  readonly survival: number;
  readonly blocks: number;
  readonly ci95?: Ci95;
}

export interface Gap {
  /** simulated - predicted. */
  readonly value: number;
  /** Interval of that difference when the predictions were bootstrapped. */
  readonly ci95?: Ci95;
}

/** Simulated vs predicted survival of one policy, the prediction counted both ways (both labelled). */
export interface FidelityRow {
  readonly policy: string;
  readonly simulated: { readonly survival: number; readonly ci95: Ci95; readonly patients: number };
  readonly predicted: { readonly horizon: HorizonSurvival; readonly infinite: PredictedSurvival };
  readonly gap: { readonly horizon: Gap; readonly infinite: Gap };
}

/** Each prediction of one policy in each bootstrap replicate of the cohort (see bootstrap.ts). */
export interface BootstrapSamples {
  readonly horizon: Float64Array;
  readonly infinite: Float64Array;
}

export interface FidelityOptions {
  readonly patients: number;
  readonly seed: number;
  /** The simulator's horizon in MDP steps (see horizon.ts). */
  readonly blocks: number;
  readonly bootstrap?: BootstrapSamples;
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
 * patients, so the pairs are independent. Percentiles of the differences. Both horizons take the same
 * redraws, so their intervals differ only by the predictions.
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

/** Both predictions of a policy in one MDP: on `blocks` decisions and with no horizon. */
export function predictions(
  m: TabularMdp,
  piSA: Float64Array,
  blocks: number,
): { horizon: number; infinite: number; exact: boolean } {
  const { value, exact } = returnOf(m, piSA);
  return { horizon: survivalOnHorizon(m, piSA, blocks), infinite: value, exact };
}

/** Compare an already simulated proportion with the policy's predictions. */
export function compareWith(
  policy: string,
  sim: Proportion,
  predicted: { horizon: number; infinite: number; exact: boolean },
  blocks: number,
  seed: number,
  boot?: BootstrapSamples,
): FidelityRow {
  const ci = (xs: Float64Array | undefined) => (xs ? { ci95: percentile95(xs) } : {});
  const gapCi = (xs: Float64Array | undefined) => (xs ? { ci95: gapCi95(sim, xs, seed) } : {});
  return {
    policy,
    simulated: { survival: sim.estimate, ci95: [sim.low, sim.high], patients: sim.n },
    predicted: {
      horizon: { survival: predicted.horizon, blocks, ...ci(boot?.horizon) },
      infinite: { survival: predicted.infinite, exact: predicted.exact, ...ci(boot?.infinite) },
    },
    gap: {
      horizon: { value: sim.estimate - predicted.horizon, ...gapCi(boot?.horizon) },
      infinite: { value: sim.estimate - predicted.infinite, ...gapCi(boot?.infinite) },
    },
  };
}

/**
 * Run `policy` in the simulator the MDP was built from and compare with the MDP's exact predictions. The
 * behaviour policy runs as the simulator applied it when building (not as the MDP's frequency table).
 */
export function fidelity(m: TabularMdp, policy: string, piSA: Float64Array, o: FidelityOptions): FidelityRow {
  const predicted = predictions(m, piSA, o.blocks);
  const sim =
    policy === "behaviour"
      ? (o.behaviourSimulated ?? simulateBehaviour(m, o))
      : simulatePolicy(m, piSA, {
          patients: o.patients,
          seed: o.seed,
          ...(o.onPatient === undefined ? {} : { onPatient: o.onPatient }),
        });
  return compareWith(policy, sim, predicted, o.blocks, o.seed, o.bootstrap);
}
