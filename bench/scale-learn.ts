// Learners at scale, for `npm run bench -- scale --ops=learn`: Q-learning and the env alone (random actions)
// in million steps per second on the episodic random MDPs of the scale bench. No Python peer runs here: the
// figures show how throughput falls as the MDP outgrows the caches (each step reads a random row).
import { runEpisodes } from "../solvers/learning/index.js";
import { FastRng } from "../src/core/fast-rng.js";
import { TabularEnv } from "../src/env/tabular-env.js";
import type { TabularMdp } from "../src/model/mdp.js";
import { STUDY } from "./learning.js";

/** Steps each timed run takes, whatever the size: enough for a stable rate, few enough for 10^6 states. */
const STEPS = 2_000_000;

/** Million steps per second of Q-learning (the learning suite's settings) from a fresh Q table. */
export function qLearningRate(m: TabularMdp, seed: number): number {
  const episodes = Math.ceil(STEPS / 20); // the episodic variant's mean length is 20
  const t0 = performance.now();
  const r = runEpisodes(m, { ...STUDY, algo: "q-learning", actions: "all" }, { episodes, seed });
  return r.steps / (performance.now() - t0) / 1000;
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
