import {
  ALGOS,
  type LearnParams,
  RELEASED_RULE,
  resolveParams,
  runEpisodes,
} from "../solvers/learning/index.js";
import { FastRng } from "../src/core/fast-rng.js";
import { TabularEnv } from "../src/env/tabular-env.js";
import { readMdpDir } from "../src/io/index.js";
import type { TabularMdp } from "../src/model/mdp.js";
import { runJobs } from "../src/study/pool.js";
import { buildJobs } from "../src/study/sweep.js";
import { hasIcuSepsis, icuSepsisDir } from "../tests/helpers/shared.js";
import { type BenchFigure, median } from "./harness.js";

const RUNS = 5;
const LEARNER_RUNS = 7;
const EPISODES = 100_000;
/** Fixed settings of the timed learner runs, stated in docs/performance.md. */
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

/**
 * Steps per second of each learner (millions), one value per run; each run starts from a fresh Q table.
 * Runs go in rounds, one of each learner per round: a slow phase of the shared machine (seconds to minutes)
 * then costs each learner one sample, instead of all the samples of whichever learner it fell on.
 */
function stepsPerSecond(m: TabularMdp, learners: readonly Partial<LearnParams>[]): number[][] {
  for (const params of learners) runEpisodes(m, params, { episodes: 20_000, seed: 0 }); // warm-up: JIT, alias tables
  const out = learners.map((): number[] => []);
  for (let round = 0; round < LEARNER_RUNS; round++) {
    learners.forEach((params, i) => {
      out[i]!.push(learnerStepsPerSecond(m, params, EPISODES, round + 1));
    });
  }
  return out;
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
    rule: RELEASED_RULE,
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

/** Learner throughput on ICU-Sepsis (median of 7 runs of 100k episodes, in rounds) and the 2-worker speed-up. */
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
  const learners = [
    ...ALGOS.map((algo) => ({ ...STUDY, algo })),
    { ...STUDY, algo: "q-learning" as const, actions: "all" as const },
  ];
  stepsPerSecond(m, learners).forEach((xs, i) => {
    const { algo, actions } = learners[i]!;
    figures.push({
      name: `learner ${algo}, ${actions === "all" ? "all 25 actions" : "admissible actions"}`,
      median: median(xs),
      unit: "M steps/s",
      runs: LEARNER_RUNS,
      ...(algo === "q-learning" && actions === "admissible" ? { target: ">= 25 M/s" } : {}),
    });
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
