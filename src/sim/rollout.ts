import { UsageError } from "../core/errors.js";
import { derive } from "../core/rng.js";
import type { Outcome, SimPolicy, Simulator } from "./types.js";

export interface RolloutOptions {
  readonly episodes: number;
  /** Base seed: episode i resets with `${seed}/episode/${i}`; its policy draws from `${seed}/policy/${i}`. */
  readonly seed: number | string;
  /** Keep every step (t = 0 is the reset observation). Default false. */
  readonly trace?: boolean;
  /** Called after each finished episode (progress reporting). */
  readonly onEpisode?: (done: number, total: number) => void;
}

export interface TraceStep {
  readonly t: number;
  /** Null at t = 0 (the reset observation). */
  readonly action: readonly number[] | null;
  readonly obs: Float64Array;
  /** Null at t = 0. */
  readonly reward: number | null;
  readonly terminated: boolean;
  readonly truncated: boolean;
}

export interface EpisodeResult {
  readonly episode: number;
  readonly seed: string;
  readonly outcome: Outcome;
  readonly return: number;
  readonly length: number;
  /** Only for simulators that grade episodes. */
  readonly grade?: number;
  readonly trace?: readonly TraceStep[];
}

export const episodeSeed = (seed: number | string, i: number): string => `${seed}/episode/${i}`;

/** One episode; stops on terminated/truncated, and at the simulator's maxSteps at the latest. */
export function runEpisode(
  sim: Simulator,
  policy: SimPolicy,
  seed: number | string,
  i: number,
  trace = false,
): EpisodeResult {
  const envSeed = episodeSeed(seed, i);
  const rng = derive(seed, `policy/${i}`);
  let obs = sim.reset(envSeed);
  const steps: TraceStep[] = [];
  if (trace) steps.push({ t: 0, action: null, obs, reward: null, terminated: false, truncated: false });
  let ret = 0;
  let outcome: Outcome = "alive";
  let t = 0;
  while (t < sim.maxSteps) {
    const action = policy(obs, t, rng);
    const s = sim.step(action);
    t += 1;
    ret += s.reward;
    obs = s.obs;
    outcome = s.outcome;
    if (trace)
      steps.push({
        t,
        action: [...action],
        obs,
        reward: s.reward,
        terminated: s.terminated,
        truncated: s.truncated,
      });
    if (s.terminated || s.truncated) break;
  }
  const base = { episode: i, seed: envSeed, outcome, return: ret, length: t };
  const graded = sim.grade === undefined ? base : { ...base, grade: sim.grade() };
  return trace ? { ...graded, trace: steps } : graded;
}

/** Run `episodes` episodes with explicit, per-episode derived seeds (any episode can be replayed alone). */
export function rollout(sim: Simulator, policy: SimPolicy, o: RolloutOptions): EpisodeResult[] {
  if (!Number.isInteger(o.episodes) || o.episodes < 1) {
    throw new UsageError(`episodes must be a positive integer, got ${o.episodes}`);
  }
  const out: EpisodeResult[] = [];
  for (let i = 0; i < o.episodes; i++) {
    out.push(runEpisode(sim, policy, o.seed, i, o.trace ?? false));
    o.onEpisode?.(i + 1, o.episodes);
  }
  return out;
}
