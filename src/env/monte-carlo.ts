import { UsageError } from "../core/errors.js";
import type { TabularMdp } from "../model/mdp.js";
import { draw, tableAliasRecords } from "./sampler.js";
import { type EnvOptions, TabularEnv } from "./tabular-env.js";

/** Mean with its standard error and a normal-approximation 95 % interval. */
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

export function estimate(sum: number, sumSq: number, n: number): Estimate {
  const mean = sum / n;
  const variance = n > 1 ? Math.max(0, (sumSq - n * mean * mean) / (n - 1)) : 0;
  const stderr = Math.sqrt(variance / n);
  return { mean, stderr, ci95: [mean - 1.96 * stderr, mean + 1.96 * stderr] };
}

/**
 * Monte Carlo through the env (the allocation-free path): actions drawn from the S x A policy table with
 * per-state alias tables, episodes until termination or the time limit. Returns are undiscounted unless
 * `gamma` is given. Deterministic in the seed. `onProgress` is called every `progressEvery` episodes.
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
  if (!(Number.isInteger(options.episodes) && options.episodes >= 1)) {
    throw new UsageError(`episodes must be a positive integer, got ${options.episodes}`);
  }
  const env = new TabularEnv(m, options);
  env.seed(options.seed);
  // Terminal rows may be all zero in a policy file; they are never sampled (tableAliasRecords makes them uniform).
  const actions = tableAliasRecords(piSA, m.nS, m.nA);
  const rng = env.rng();
  const gamma = options.gamma ?? 1;
  const every = options.progressEvery ?? 10_000;
  let sumR = 0;
  let sumR2 = 0;
  let sumL = 0;
  let sumL2 = 0;
  let truncated = 0;
  let steps = 0;
  for (let e = 0; e < options.episodes; e++) {
    let s = env.resetFast();
    let ret = 0;
    let disc = 1;
    let len = 0;
    while (true) {
      const a = draw(rng, actions, s * m.nA, m.nA);
      s = env.stepFast(a);
      ret += disc * env.reward;
      disc *= gamma;
      len++;
      if (env.terminated) break;
      if (env.truncated) {
        truncated++;
        break;
      }
    }
    steps += len;
    sumR += ret;
    sumR2 += ret * ret;
    sumL += len;
    sumL2 += len * len;
    if (options.onProgress && (e + 1) % every === 0) options.onProgress(e + 1);
  }
  return {
    episodes: options.episodes,
    return: estimate(sumR, sumR2, options.episodes),
    length: estimate(sumL, sumL2, options.episodes),
    truncated,
    steps,
  };
}
