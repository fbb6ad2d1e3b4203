import { ALGOS, type LearnParams, resolveParams, runEpisodes } from "../solvers/learning/index.js";
import { runJobs } from "../src/bench/learning/pool.js";
import { buildJobs } from "../src/bench/learning/sweep.js";
import { FastRng } from "../src/core/fast-rng.js";
import { TabularEnv } from "../src/env/tabular-env.js";
import { readMdpDir } from "../src/io/index.js";
import type { TabularMdp } from "../src/model/mdp.js";
import { hasIcuSepsis, icuSepsisDir } from "../tests/helpers/shared.js";
import { type BenchFigure, median } from "./harness.js";

const RUNS = 5;
const EPISODES = 100_000;
/** The settings of the documented ICU-Sepsis study (docs/learning-params.json). */
export const STUDY: Partial<LearnParams> = {
  actions: "admissible",
  alpha: 1,
  alphaSchedule: "visits",
  omega: 0.6,
  epsilon: 0.3,
  lambda: 0.5,
};

/** Steps per second (millions) of one learner run of `episodes` episodes from a fresh Q table. */
export function learnerStepsPerSecond(
  m: TabularMdp,
  params: Partial<LearnParams>,
  episodes: number,
  seed: number,
): number {
  const t0 = performance.now();
  const r = runEpisodes(m, params, { episodes, seed });
  return r.steps / (performance.now() - t0) / 1000;
}

/** Steps per second of one learner (millions), one value per run; each run starts from a fresh Q table. */
function stepsPerSecond(m: TabularMdp, params: Partial<LearnParams>): number[] {
  runEpisodes(m, params, { episodes: 20_000, seed: 0 }); // warm-up: JIT and the env's alias tables
  return Array.from({ length: RUNS }, (_, i) => learnerStepsPerSecond(m, params, EPISODES, i + 1));
}

/** The env alone under uniformly random actions: the ceiling for any learner on this machine. */
function envStepsPerSecond(m: TabularMdp): number[] {
  const env = new TabularEnv(m);
  env.seed(1);
  const rng = new FastRng(2);
  const out: number[] = [];
  for (let i = 0; i <= RUNS; i++) {
    const t0 = performance.now();
    let steps = 0;
    for (let ep = 0; ep < EPISODES; ep++) {
      env.resetFast();
      do {
        env.stepFast(rng.int(m.nA));
        steps++;
      } while (!env.terminated && !env.truncated);
    }
    if (i > 0) out.push(steps / (performance.now() - t0) / 1000);
  }
  return out;
}

/** Wall time of 4 learner runs on the main thread vs on 2 worker threads. */
async function speedUp(m: TabularMdp): Promise<number[]> {
  const jobs = buildJobs([{ params: resolveParams({ ...STUDY, algo: "q-learning" }), trial: null }], {
    episodes: 8_000_000, // ~3-4 s a job at 20 M steps/s: worker start-up (tsx, MDP copy, sampler) amortised, as in a study
    evalEvery: 8_000_000,
    window: 2000,
    delta: 0.005,
    seeds: [1, 2, 3, 4],
  });
  const out: number[] = [];
  for (let i = 0; i < 3; i++) {
    let t0 = performance.now();
    await runJobs(m, jobs, { workers: 0 });
    const serial = performance.now() - t0;
    t0 = performance.now();
    await runJobs(m, jobs, { workers: 2 });
    out.push(serial / (performance.now() - t0));
  }
  return out;
}

/** Learner throughput on ICU-Sepsis (median of 5 runs of 100k episodes) and the 2-worker speed-up. */
export async function benchLearning(): Promise<BenchFigure[]> {
  if (!hasIcuSepsis) return [];
  const m = await readMdpDir(icuSepsisDir);
  const figures: BenchFigure[] = [];
  const env = envStepsPerSecond(m);
  figures.push({
    name: "ICU-Sepsis env alone, random actions",
    median: median(env),
    unit: "M steps/s",
    runs: RUNS,
  });
  for (const algo of ALGOS) {
    const xs = stepsPerSecond(m, { ...STUDY, algo });
    figures.push({
      name: `learner ${algo}, admissible actions`,
      median: median(xs),
      unit: "M steps/s",
      runs: RUNS,
      ...(algo === "q-learning" ? { target: ">= 25 M/s" } : {}),
    });
  }
  const all = stepsPerSecond(m, { ...STUDY, algo: "q-learning", actions: "all" });
  figures.push({
    name: "learner q-learning, all 25 actions",
    median: median(all),
    unit: "M steps/s",
    runs: RUNS,
  });
  const s = await speedUp(m);
  figures.push({
    name: "sweep speed-up, 2 workers vs main thread",
    median: median(s),
    unit: "x",
    runs: s.length,
    target: "near 2",
  });
  return figures;
}
