// Learners at scale, for `npm run bench -- scale --ops=learn`: Q-learning and the env alone (random actions)
// on the episodic random MDPs of the scale bench. No Python peer runs here: the figures show how throughput
// falls as the MDP outgrows the caches (each step reads a random row), what a run's set-up costs, and what
// one checkpoint of a learning study costs beside them.
import { RELEASED_RULE, resolveParams, runEpisodes } from "../solvers/learning/index.js";
import { FastRng } from "../src/core/fast-rng.js";
import { TabularEnv } from "../src/env/tabular-env.js";
import type { TabularMdp } from "../src/model/mdp.js";
import { runJob } from "../src/study/job.js";
import { STUDY } from "./learning.js";

/** Steps of the longer timed run, whatever the size: enough for a stable rate, few enough for 10^6 states. */
const STEPS = 2_000_000;

/** Seconds and steps of one Q-learning run (the learning suite's settings, all actions) from a fresh Q table. */
function qLearningRun(m: TabularMdp, episodes: number, seed: number): { seconds: number; steps: number } {
  const t0 = performance.now();
  const r = runEpisodes(m, { ...STUDY, algo: "q-learning", actions: "all" }, { episodes, seed });
  return { seconds: (performance.now() - t0) / 1000, steps: r.steps };
}

/**
 * Q-learning's stepping rate (million steps per second) and its set-up per run (seconds): before its first
 * step a run copies the MDP's transition records (alias tables included) into its kernel memory and fills
 * its state and pair records, so runs of two lengths are timed and the difference gives the rate, the rest
 * the set-up. The episodic variant's mean length is 20.
 */
export function qLearningRates(m: TabularMdp, seed: number): { stepRate: number; setup: number } {
  const short = qLearningRun(m, Math.ceil(STEPS / 40), seed);
  const long = qLearningRun(m, Math.ceil(STEPS / 20), seed);
  const stepRate = (long.steps - short.steps) / (long.seconds - short.seconds) / 1e6;
  return { stepRate, setup: Math.max(0, long.seconds - long.steps / (stepRate * 1e6)) };
}

/** Million steps per second of the env alone under uniformly random actions. */
export function envRate(m: TabularMdp, seed: number): number {
  const env = new TabularEnv(m);
  env.seed(seed);
  const rng = new FastRng(seed + 1);
  let steps = 0;
  const t0 = performance.now();
  while (steps < STEPS) {
    env.resetFast();
    do {
      env.stepFast(rng.int(m.nA));
      steps++;
    } while (!env.terminated && !env.truncated);
  }
  return steps / (performance.now() - t0) / 1000;
}

/**
 * Seconds of one checkpoint of a learning study (`learn`, `bench`): the exact returns of the greedy policy
 * and of the epsilon-greedy behaviour policy, as `runJob` computes them. A job of 2,000 episodes with
 * checkpoints at its start and end, so the behaviour policy's support is that of a learning Q table.
 */
export function checkpointSeconds(m: TabularMdp, seed: number): number {
  const params = resolveParams({ ...STUDY, algo: "q-learning", actions: "all" });
  const spec = {
    index: 0,
    params,
    seed,
    episodes: 2000,
    evalEvery: 2000,
    window: 100,
    rule: RELEASED_RULE,
    trial: null,
  };
  const r = runJob(m, spec);
  return r.evalMs / r.curve.length / 1000;
}
