/**
 * A tabular MDP in compressed sparse row form. Row `s * nA + a` holds P(. | s, a): its successor states
 * `next[rowPtr[r] .. rowPtr[r+1])` (ascending) with probabilities `prob[...]`.
 *
 * Rewards follow one of two conventions:
 * - "next-state": r = R(s') on entering s' (ICU-Sepsis);
 * - "state-action": r = R(s, a).
 *
 * An episode ends on entering a state flagged in `terminalS`; terminal states have value 0.
 * Everything is immutable by convention: functions never write into a model they are given.
 */
import { UsageError } from "../core/errors.js";

export interface TabularMdp {
  readonly nS: number;
  readonly nA: number;
  readonly rowPtr: Int32Array;
  readonly next: Int32Array;
  readonly prob: Float64Array;
  readonly reward: Reward;
  readonly d0: Float64Array;
  /** 1 where entering the state ends the episode. */
  readonly terminalS: Uint8Array;
  /** nS*nA flags, 1 = admissible; all ones when no file says otherwise. */
  readonly admissibleSA: Uint8Array;
  /** True when admissibility came from data (admissibleActions.txt or a builder), not the all-ones default. */
  readonly admissibleKnown: boolean;
  /** Clinicians' pi(a|s), nS*nA row-major, or null. */
  readonly expertPolicy: Float64Array | null;
  readonly centroids: Centroids | null;
  readonly sofa: Float64Array | null;
  readonly metadata: Metadata;
}

export type Reward =
  | { readonly kind: "next-state"; readonly rS: Float64Array }
  | { readonly kind: "state-action"; readonly rSA: Float64Array };

export interface Centroids {
  readonly dim: number;
  /** nS*dim row-major. */
  readonly data: Float64Array;
}

/** metadata.json as read: known keys typed, everything else kept verbatim for round trips. */
export interface Metadata {
  readonly [key: string]: unknown;
  readonly gamma?: number;
  readonly terminal_states?: readonly number[];
  readonly death_state?: number;
  readonly survival_state?: number;
}

/** Number of (s, a) rows. */
export const nRows = (m: TabularMdp): number => m.nS * m.nA;

/** Admissible actions of state s, ascending. */
export function admissibleActions(m: TabularMdp, s: number): number[] {
  const out: number[] = [];
  for (let a = 0; a < m.nA; a++) if (m.admissibleSA[s * m.nA + a] === 1) out.push(a);
  return out;
}

/** Indices of terminal states, ascending. */
export function terminalStates(m: TabularMdp): number[] {
  const out: number[] = [];
  for (let s = 0; s < m.nS; s++) if (m.terminalS[s] === 1) out.push(s);
  return out;
}

const expectedRewardCache = new WeakMap<TabularMdp, Float64Array>();

/**
 * Expected immediate reward of each (s, a): sum_s' P(s'|s,a) R(s') or R(s,a).
 * Solvers use this so they never branch on the reward convention in a sweep. Computed once per model (a full
 * pass over the transitions: ~1.5 M entries on ICU-Sepsis) and shared; callers must not write into it.
 */
export function expectedRewardSA(m: TabularMdp): Float64Array {
  const cached = expectedRewardCache.get(m);
  if (cached !== undefined) return cached;
  let out: Float64Array;
  if (m.reward.kind === "state-action") {
    out = m.reward.rSA;
  } else {
    const { rowPtr, next, prob } = m;
    const rS = m.reward.rS;
    out = new Float64Array(nRows(m));
    for (let r = 0; r < out.length; r++) out[r] = rowDot(next, prob, rS, rowPtr[r]!, rowPtr[r + 1]!);
  }
  expectedRewardCache.set(m, out);
  return out;
}

/**
 * sum over k in [lo, hi) of prob[k] * x[next[k]], in entry order. A function of its own so that V8 optimises
 * it after a few rows; the caller runs once per model and would sum mostly unoptimised (every product boxed).
 */
function rowDot(next: Int32Array, prob: Float64Array, x: Float64Array, lo: number, hi: number): number {
  let acc = 0;
  for (let k = lo; k < hi; k++) acc += prob[k]! * x[next[k]!]!;
  return acc;
}

/** Discount from metadata (`gamma` or `discount`), else 1. */
export function defaultGamma(m: TabularMdp): number {
  const g = m.metadata.gamma ?? m.metadata.discount;
  return typeof g === "number" && g > 0 && g <= 1 ? g : 1;
}

/**
 * The discount a computation on `m` uses: the given one, else the MDP's own (`defaultGamma`). The one place
 * a discount is defaulted and checked; everything below the public entry points takes the plain number.
 * @throws UsageError when the discount is not in (0, 1], the range the planners, evaluators and learners
 * are written for.
 */
export function resolveGamma(m: TabularMdp, given?: number | null): number {
  const gamma = given ?? defaultGamma(m);
  if (!(gamma > 0 && gamma <= 1)) throw new UsageError(`gamma must be in (0, 1], got ${gamma}`);
  return gamma;
}
