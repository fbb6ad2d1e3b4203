import { pathToFileURL } from "node:url";
import { seeded } from "../src/core/rng.js";
import { buildOberstSontagMdp, createOberstSontag, oberstPolicies } from "../src/sim/oberst-sontag/index.js";
import { type BenchFigure, formatFigure, median, timeRuns } from "./harness.js";

const RUNS = 7;
const STEPS_PER_RUN = 200_000;

/** Simulated steps under the heuristic policy until STEPS_PER_RUN; returns the step count. */
function simulate(seed0: number): number {
  const sim = createOberstSontag();
  const policy = oberstPolicies.heuristic!;
  const rng = seeded(`bench/${seed0}`);
  let steps = 0;
  for (let ep = 0; steps < STEPS_PER_RUN; ep++) {
    let obs = sim.reset(seed0 * 1_000_003 + ep);
    for (let t = 0; ; t++) {
      const s = sim.step(policy(obs, t, rng));
      steps++;
      if (s.terminated || s.truncated) break;
      obs = s.obs;
    }
  }
  return steps;
}

/**
 * The exact MDP build (1,440 states x 8 actions, enumerated from the rules) for both variants and both
 * terminal conventions, plus the sampled simulator's throughput.
 */
export async function benchOberst(): Promise<BenchFigure[]> {
  const out: BenchFigure[] = [];
  for (const variant of ["master", "sim-v2"] as const) {
    for (const terminals of ["absorbing", "repository"] as const) {
      const ms = await timeRuns(() => buildOberstSontagMdp(variant, { terminals }), RUNS);
      out.push({
        name: `oberst-sontag exact MDP build, ${variant}, ${terminals}`,
        median: median(ms),
        unit: "ms",
        runs: RUNS,
        target: "<= 1000 ms",
      });
    }
  }
  let run = 0;
  let steps = 0;
  const ms = await timeRuns(() => {
    steps = simulate(run++);
  }, RUNS);
  out.push({
    name: "oberst-sontag simulator, heuristic policy (steps/s)",
    median: steps / (median(ms) / 1000),
    unit: "steps/s",
    runs: RUNS,
  });
  return out;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  for (const f of await benchOberst()) console.log(formatFigure(f));
}
