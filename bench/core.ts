import { existsSync } from "node:fs";
import { resolve } from "node:path";
import {
  certify,
  deterministicTable,
  evaluatePolicy,
  expectedReturnOf,
  policyIteration,
  uniformTable,
  valueIteration,
} from "../solvers/index.js";
import { TabularEnv } from "../src/env/tabular-env.js";
import { TabularVectorEnv } from "../src/env/vector-env.js";
import { readMdpDir } from "../src/io/index.js";
import type { TabularMdp } from "../src/model/mdp.js";
import { type BenchFigure, median, timeRuns } from "./harness.js";

/** Episodes per vector in the vector-env figure. */
const VECTOR = 256;

export const icuDir = resolve(import.meta.dirname, "../../shared/icu-sepsis");

/** Random-action stepping through the allocation-free path; returns steps per second. */
export function randomStepsPerSecond(m: TabularMdp, steps: number, seed: number): number {
  const env = new TabularEnv(m);
  env.seed(seed);
  env.resetFast();
  const nA = m.nA;
  const t0 = performance.now();
  for (let i = 0; i < steps; i++) {
    env.stepFast((env.random() * nA) | 0);
    if (env.terminated || env.truncated) env.resetFast();
  }
  return steps / ((performance.now() - t0) / 1000);
}

/** Random-action stepping of a vector of episodes (actions drawn inside the step: sampleAndStep); returns steps per second. */
export function vectorStepsPerSecond(m: TabularMdp, numEnvs: number, steps: number, seed: number): number {
  const env = new TabularVectorEnv(m, { numEnvs });
  env.reset({ seed });
  const rounds = Math.ceil(steps / numEnvs);
  const t0 = performance.now();
  for (let i = 0; i < rounds; i++) {
    env.sampleAndStep();
  }
  return (rounds * numEnvs) / ((performance.now() - t0) / 1000);
}

export async function benchCore(): Promise<BenchFigure[]> {
  if (!existsSync(icuDir)) {
    process.stderr.write("bench: ICU-Sepsis tables not found beside the project; core figures skipped\n");
    return [];
  }
  const m = await readMdpDir(icuDir);
  // What a one-shot CLI solve pays: the process's first call, before the JIT has settled (one sample).
  const first = await timeRuns(() => valueIteration(m, { gamma: 1, tolerance: 1e-10 }), 1, 0);
  const solve = await timeRuns(() => valueIteration(m, { gamma: 1, tolerance: 1e-10 }), 9, 3);
  const solveGs = await timeRuns(
    () => valueIteration(m, { gamma: 1, tolerance: 1e-10, gaussSeidel: true }),
    9,
  );
  // What `tabmdp solve` and `baselines` add to the planner: certification (exact evaluation of the greedy
  // policy, optimal action sets, the tie rule and the length range) of a finished VI run. Steady state, like
  // the evaluation figures below, to which it is compared: it is the first code here to run the linear
  // solver, and its many paths take some 30 calls to settle, so fewer warm-up calls would time the JIT's
  // work instead.
  const planned = valueIteration(m, { gamma: 1, tolerance: 1e-10 });
  const certified = await timeRuns(() => certify(m, planned), 15, 30);
  const opt = deterministicTable(m, planned.policyS);
  // Learning curves evaluate greedy policies thousands of times: these figures are steady-state timings.
  const evalOpt = await timeRuns(() => evaluatePolicy(m, opt, { gamma: 1 }), 31, 10);
  const returnOpt = await timeRuns(() => expectedReturnOf(m, opt, { gamma: 1 }), 31, 10);
  const uniform = uniformTable(m);
  const evalRandom = await timeRuns(() => evaluatePolicy(m, uniform, { gamma: 1 }), 15, 3);
  randomStepsPerSecond(m, 5_000_000, 0); // warm-up: let the JIT settle on the hot loop
  const sps: number[] = [];
  for (let i = 0; i < 7; i++) sps.push(randomStepsPerSecond(m, 20_000_000, i + 1));
  vectorStepsPerSecond(m, VECTOR, 5_000_000, 0);
  const vps: number[] = [];
  for (let i = 0; i < 7; i++) vps.push(vectorStepsPerSecond(m, VECTOR, 40_000_000, i + 1));
  const pi = await timeRuns(() => policyIteration(m, { gamma: 1 }), 9);
  return [
    {
      name: "ICU-Sepsis optimal solve (VI, Jacobi, tol 1e-10, gamma 1)",
      median: median(solve),
      unit: "ms",
      runs: solve.length,
      target: "<= 25 ms",
    },
    {
      name: "  the same, first call in the process (JIT not settled)",
      median: median(first),
      unit: "ms",
      runs: first.length,
    },
    {
      name: "ICU-Sepsis optimal solve (Gauss-Seidel VI, tol 1e-10)",
      median: median(solveGs),
      unit: "ms",
      runs: solveGs.length,
    },
    {
      name: "ICU-Sepsis certification of the VI solve (exact evaluation, optimal sets, length range)",
      median: median(certified),
      unit: "ms",
      runs: certified.length,
    },
    {
      name: "exact policy evaluation, optimal policy (return, length, P(end))",
      median: median(evalOpt),
      unit: "ms",
      runs: evalOpt.length,
      target: "<= 5 ms",
    },
    {
      name: "exact expected return only, optimal policy (expectedReturnOf)",
      median: median(returnOpt),
      unit: "ms",
      runs: returnOpt.length,
    },
    {
      name: "exact policy evaluation, random policy (return, length, P(end))",
      median: median(evalRandom),
      unit: "ms",
      runs: evalRandom.length,
    },
    {
      name: "ICU-Sepsis optimal solve (policy iteration, exact evaluation)",
      median: median(pi),
      unit: "ms",
      runs: pi.length,
    },
    {
      name: "env steps/s, random actions, one episode (stepFast, learners)",
      median: median(sps) / 1e6,
      unit: "M/s",
      runs: sps.length,
    },
    {
      name: `env steps/s, random actions, ${VECTOR} episodes (vector env)`,
      median: median(vps) / 1e6,
      unit: "M/s",
      runs: vps.length,
      target: ">= 50 M/s",
    },
  ];
}
