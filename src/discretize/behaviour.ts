import { normal, type Rng } from "../core/rng.js";
import type { SimPolicy, Simulator } from "../sim/types.js";

/**
 * The behaviour ("clinician") policy of a cohort: the simulator's heuristic with variability so that many
 * actions are seen. Each decision, with probability `epsilon` a uniformly random action replaces the
 * heuristic's (uniform over the box, or over the discrete actions); otherwise each jittered box component is
 * multiplied by exp(jitter·z), z ~ N(0, 1), and clipped to the box.
 */
export interface BehaviourOptions {
  /** Default 0.25. */
  readonly epsilon?: number;
  /** Log-normal dose jitter sigma. Default 0.3. */
  readonly jitter?: number;
}

export const DEFAULT_BEHAVIOUR = { epsilon: 0.25, jitter: 0.3 } as const;

export function behaviourPolicy(
  sim: Simulator,
  heuristic: SimPolicy,
  jitterMask: readonly boolean[],
  o: BehaviourOptions = {},
): SimPolicy {
  const epsilon = o.epsilon ?? DEFAULT_BEHAVIOUR.epsilon;
  const sigma = o.jitter ?? DEFAULT_BEHAVIOUR.jitter;
  const space = sim.actions;
  return (obs: Float64Array, t: number, rng: Rng): number[] => {
    // Both draws are made every time so the stream's use does not depend on the branch taken.
    const explore = rng.next() < epsilon;
    const pick = rng.next();
    if (space.kind === "discrete") {
      return explore ? [Math.min(Math.floor(pick * space.n), space.n - 1)] : heuristic(obs, t, rng);
    }
    const { low, high } = space;
    if (explore) return low.map((lo, i) => lo + (high[i]! - lo) * rng.next());
    const a = heuristic(obs, t, rng);
    return a.map((x, i) => {
      const y = jitterMask[i] === true && sigma > 0 ? x * Math.exp(sigma * normal(rng)) : x;
      return Math.min(Math.max(y, low[i]!), high[i]!);
    });
  };
}
