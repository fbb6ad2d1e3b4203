import { normal, type Rng } from "../core/rng.js";
import type { SimPolicy, Simulator } from "../sim/types.js";

/**
 * The behaviour ("clinician") policy of a cohort: the simulator's heuristic with variability so that many
 * actions and both outcomes are seen. Each decision, with probability `epsilon` a uniformly random action
 * replaces the heuristic's (uniform over the box, or over the discrete actions); otherwise each jittered box
 * component is multiplied by exp(jitter·z), z ~ N(0, 1), and clipped to the box.
 * Where the action has a one-off start flag (SepsiSim's antibiotics), the heuristic's start is delayed: at
 * each patient's first step the behaviour draws the start hour T (see drawStartHour) and holds the flag at 0
 * before hour T. Random (epsilon) actions are not delayed, so exploration can start antibiotics earlier.
 */
export interface BehaviourOptions {
  /** Default 0.25. */
  readonly epsilon?: number;
  /** Log-normal dose jitter sigma. Default 0.3. */
  readonly jitter?: number;
  /** Mean of the geometric start delay in hours (0 = the heuristic's own timing). Default 0. */
  readonly abxDelay?: number;
  /** Probability that the heuristic never starts (T = infinity). Default 0. */
  readonly abxMiss?: number;
}

export const DEFAULT_BEHAVIOUR = { epsilon: 0.25, jitter: 0.3, abxDelay: 0, abxMiss: 0 } as const;

/**
 * Start hour of one patient: infinity with probability `miss`, else geometric on {0, 1, 2, ...} with mean
 * `mean` hours, P(T = t) = (1 - q) q^t with q = mean / (1 + mean). Two draws every call.
 */
export function drawStartHour(rng: Rng, mean: number, miss: number): number {
  const missed = rng.next() < miss;
  const u = rng.next();
  if (missed) return Number.POSITIVE_INFINITY;
  if (mean <= 0) return 0;
  const q = mean / (1 + mean);
  // Inverse CDF: P(T >= t) = q^t; 1 - u lies in (0, 1] so the log is finite.
  return Math.floor(Math.log(1 - u) / Math.log(q));
}

export function behaviourPolicy(
  sim: Simulator,
  heuristic: SimPolicy,
  jitterMask: readonly boolean[],
  o: BehaviourOptions = {},
  /** Box component of a one-off start flag (delayed by abxDelay / abxMiss), or null. */
  startFlag: number | null = null,
): SimPolicy {
  const epsilon = o.epsilon ?? DEFAULT_BEHAVIOUR.epsilon;
  const sigma = o.jitter ?? DEFAULT_BEHAVIOUR.jitter;
  const delay = o.abxDelay ?? DEFAULT_BEHAVIOUR.abxDelay;
  const miss = o.abxMiss ?? DEFAULT_BEHAVIOUR.abxMiss;
  const delayed = startFlag !== null && (delay > 0 || miss > 0);
  const space = sim.actions;
  let startHour = 0; // per patient, drawn at t = 0
  return (obs: Float64Array, t: number, rng: Rng): number[] => {
    if (delayed && t === 0) startHour = drawStartHour(rng, delay, miss);
    // Both draws are made every time so the stream's use does not depend on the branch taken.
    const explore = rng.next() < epsilon;
    const pick = rng.next();
    if (space.kind === "discrete") {
      return explore ? [Math.min(Math.floor(pick * space.n), space.n - 1)] : heuristic(obs, t, rng);
    }
    const { low, high } = space;
    if (explore) return low.map((lo, i) => lo + (high[i]! - lo) * rng.next());
    const a = heuristic(obs, t, rng);
    if (delayed && t < startHour) a[startFlag] = low[startFlag]!;
    return a.map((x, i) => {
      const y = jitterMask[i] === true && sigma > 0 ? x * Math.exp(sigma * normal(rng)) : x;
      return Math.min(Math.max(y, low[i]!), high[i]!);
    });
  };
}
