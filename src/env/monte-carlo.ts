import { UsageError } from "../core/errors.js";
import { meanIntervalFromSums } from "../core/stats.js";
import type { TabularMdp } from "../model/mdp.js";
import type { EnvOptions } from "./tabular-env.js";
import { TabularVectorEnv } from "./vector-env.js";

/** Mean with its standard error and a normal-approximation 95 % interval (NaN below two episodes). */
export interface Estimate {
  readonly mean: number;
  readonly stderr: number;
  readonly ci95: readonly [number, number];
}

export interface MonteCarloResult {
  readonly episodes: number;
  readonly return: Estimate;
  readonly length: Estimate;
  readonly truncated: number;
  readonly steps: number;
}

function allStartsTerminal(m: TabularMdp): boolean {
  for (let s = 0; s < m.nS; s++) if (m.d0[s]! > 0 && m.terminalS[s] === 0) return false;
  return true;
}

export function estimate(sum: number, sumSq: number, n: number): Estimate {
  const m = meanIntervalFromSums(sum, sumSq, n, "normal");
  return { mean: m.estimate, stderr: m.stderr, ci95: [m.low, m.high] };
}

/** Episodes stepped together: enough for their memory reads to overlap, few enough to waste little at the end. */
const SLOTS = 256;

/**
 * Monte Carlo through the vector env: actions drawn from the S x A policy table with per-state alias tables,
 * episodes until termination or the time limit. Returns are undiscounted unless `gamma` is given.
 * Deterministic in the seed. `onProgress` is called about every `progressEvery` finished episodes.
 *
 * The episodes are split over up to 256 slots of a TabularVectorEnv, each slot running a fixed number of
 * them (fixed in advance, so no slot's long episodes are cut short and the estimate stays unbiased).
 * Actions come from the vector env's own policy sampler (setPolicy), drawn inside the step (sampleAndStep):
 * on ICU-Sepsis with the expert policy this runs at 20-26 M steps/s, against 5.5 M stepping one
 * TabularEnv episode at a time with actions drawn in JavaScript.
 */
export function monteCarlo(
  m: TabularMdp,
  piSA: Float64Array,
  options: EnvOptions & {
    readonly episodes: number;
    readonly seed: number | string;
    readonly gamma?: number;
    readonly onProgress?: (done: number) => void;
    readonly progressEvery?: number;
  },
): MonteCarloResult {
  const n = options.episodes;
  if (!(Number.isInteger(n) && n >= 1)) {
    throw new UsageError(`episodes must be a positive integer, got ${n}`);
  }
  if (allStartsTerminal(m)) {
    // Every episode has length 0 and return 0 (see TabularVectorEnv on terminal starts).
    const zero = estimate(0, 0, n);
    return { episodes: n, return: zero, length: zero, truncated: 0, steps: 0 };
  }
  const k = Math.min(SLOTS, n);
  const env = new TabularVectorEnv(m, { ...options, numEnvs: k });
  const gamma = options.gamma ?? 1;
  const every = options.progressEvery ?? 10_000;
  // Slot e runs quota[e] episodes; a slot that is done keeps stepping under the policy and is ignored.
  const quota = Int32Array.from({ length: k }, (_, e) => Math.floor(n / k) + (e < n % k ? 1 : 0));
  const ret = new Float64Array(k);
  const disc = new Float64Array(k).fill(1);
  const len = new Int32Array(k);
  const { rewards, terminated, truncated, terminalStarts } = env;
  let sumR = 0;
  let sumR2 = 0;
  let sumL = 0;
  let sumL2 = 0;
  let truncations = 0;
  let steps = 0;
  let done = 0;
  let reported = 0;
  // Zero-length episodes (terminal starts) before each slot's next episode: return 0, length 0.
  const takeTerminalStarts = (): void => {
    for (let e = 0; e < k; e++) {
      const z = Math.min(terminalStarts[e]!, quota[e]!);
      quota[e] = quota[e]! - z;
      done += z;
    }
  };
  env.reset({ seed: options.seed });
  env.setPolicy(piSA);
  takeTerminalStarts();
  while (done < n) {
    env.sampleAndStep();
    for (let e = 0; e < k; e++) {
      if (quota[e] === 0) continue;
      ret[e] = ret[e]! + disc[e]! * rewards[e]!;
      disc[e] = disc[e]! * gamma;
      len[e] = len[e]! + 1;
      if (terminated[e] === 0 && truncated[e] === 0) continue;
      if (truncated[e] === 1) truncations++;
      const r = ret[e]!;
      const l = len[e]!;
      sumR += r;
      sumR2 += r * r;
      sumL += l;
      sumL2 += l * l;
      steps += l;
      ret[e] = 0;
      disc[e] = 1;
      len[e] = 0;
      quota[e] = quota[e]! - 1;
      done++;
    }
    takeTerminalStarts();
    if (options.onProgress && done - reported >= every) {
      reported = done - (done % every);
      options.onProgress(reported);
    }
  }
  return {
    episodes: n,
    return: estimate(sumR, sumR2, n),
    length: estimate(sumL, sumL2, n),
    truncated: truncations,
    steps,
  };
}
