import {
  type CurveSums,
  curveSums,
  type LearnParams,
  meanRange,
  type ReleasedRuleOptions,
  runEpisodes,
} from "../../solvers/learning/index.js";
import { behaviourTable, learnerActions } from "../../solvers/learning/policy.js";
import { deterministicTable, expectedReturnOf } from "../../solvers/policy-evaluation.js";
import { UsageError } from "../core/errors.js";
import { resolveGamma, type TabularMdp } from "../model/mdp.js";

/** One learner run of a sweep: everything needed to repeat it bit-exactly. */
export interface JobSpec {
  /** Position in the whole (unsharded) sweep. */
  readonly index: number;
  readonly params: LearnParams;
  readonly seed: number;
  readonly episodes: number;
  /** Evaluate every this many episodes (0: only at the end). */
  readonly evalEvery: number;
  /** Moving-average window of the curve's sampled averages. */
  readonly window: number;
  /** The released convergence rule's settings (the run keeps the block sums it needs). */
  readonly rule: ReleasedRuleOptions;
  /** Tune trial number, or null outside `tune`. */
  readonly trial: number | null;
}

/** One checkpoint of a learning curve. NaN: undefined (a policy that may never terminate under gamma = 1). */
export interface CurvePoint {
  readonly episode: number;
  readonly steps: number;
  /** Exact expected return of the greedy policy. */
  readonly greedy: number;
  /** Exact expected return of the behaviour policy (epsilon-greedy or softmax table). */
  readonly behaviour: number;
  /** Moving averages over the last `window` episodes (NaN before the first episode). */
  readonly avgReturn: number;
  readonly avgLength: number;
}

export interface JobResult {
  readonly spec: JobSpec;
  readonly curve: readonly CurvePoint[];
  /** Block sums of returns and lengths for the released convergence rule, applied per group of seeds. */
  readonly sums: CurveSums;
  /** Episodes run: fewer than spec.episodes when the job was stopped early (then `complete` is false). */
  readonly episodes: number;
  readonly complete: boolean;
  readonly steps: number;
  /** Exact return of the final greedy policy. */
  readonly finalGreedy: number;
  /** Mean episode return over the last 10 % of episodes (what tune ranks by). */
  readonly lastTenthReturn: number;
  /** Learning time only (ms), and evaluation time (ms). */
  readonly learnMs: number;
  readonly evalMs: number;
}

/** Exact return of a policy table, NaN when it is undefined (never terminates under gamma = 1). */
function exactReturn(m: TabularMdp, pi: Float64Array, gamma: number): number {
  try {
    return expectedReturnOf(m, pi, { gamma });
  } catch (err) {
    if (err instanceof UsageError) return Number.NaN;
    throw err;
  }
}

/**
 * Run one job: learn, evaluating exactly at checkpoints (a greedy policy seen before is not re-solved).
 * `onProgress` hears the episode count at every checkpoint.
 */
export function runJob(
  m: TabularMdp,
  spec: JobSpec,
  shouldStop?: () => boolean,
  onProgress?: (episode: number) => void,
): JobResult {
  const sets = learnerActions(m, spec.params);
  const gamma = resolveGamma(m, spec.params.gamma);
  const curve: CurvePoint[] = [];
  let lastGreedy: Int32Array | null = null;
  let lastValue = Number.NaN;
  let evalMs = 0;
  const t0 = performance.now();
  const res = runEpisodes(m, spec.params, {
    episodes: spec.episodes,
    seed: spec.seed,
    evalEvery: spec.evalEvery > 0 ? spec.evalEvery : spec.episodes,
    ...(shouldStop === undefined ? {} : { shouldStop }),
    onCheckpoint: (c) => {
      const e0 = performance.now();
      if (lastGreedy === null || !sameArray(lastGreedy, c.greedyS)) {
        lastGreedy = c.greedyS.slice();
        lastValue = exactReturn(m, deterministicTable(m, lastGreedy), gamma);
      }
      const beh = exactReturn(
        m,
        behaviourTable(m, c.qSA, c.greedyS, sets, spec.params.explore === "boltzmann", c.explore),
        gamma,
      );
      curve.push({
        episode: c.episode,
        steps: c.steps,
        greedy: lastValue,
        behaviour: beh,
        avgReturn: Number.NaN,
        avgLength: Number.NaN,
      });
      evalMs += performance.now() - e0;
      onProgress?.(c.episode);
    },
  });
  const learnMs = performance.now() - t0 - evalMs;
  const returns = res.episodeReturn;
  const lengths = res.episodeLength;
  const w = spec.window;
  const withAverages = curve.map((p) => ({
    ...p,
    avgReturn: meanRange(returns, Math.max(0, p.episode - w), p.episode),
    avgLength: meanRange(lengths, Math.max(0, p.episode - w), p.episode),
  }));
  const tenth = Math.max(1, Math.floor(res.episodes / 10));
  return {
    spec,
    curve: withAverages,
    sums: curveSums(returns, lengths, spec.rule),
    episodes: res.episodes,
    complete: res.episodes === spec.episodes,
    steps: res.steps,
    finalGreedy: withAverages.at(-1)?.greedy ?? Number.NaN,
    lastTenthReturn: meanRange(returns, res.episodes - tenth, res.episodes),
    learnMs,
    evalMs,
  };
}

function sameArray(a: Int32Array, b: Int32Array): boolean {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
