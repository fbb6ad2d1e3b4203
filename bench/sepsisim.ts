import { pathToFileURL } from "node:url";
import { seeded } from "../src/core/rng.js";
import { sepsisimDefinitions } from "../src/sim/sepsisim/index.js";
import type { SimDefinition } from "../src/sim/types.js";
import { type BenchFigure, formatFigure, median, timeRuns } from "./harness.js";

/** Patient-hours per timed run: enough to dwarf timer noise (vasopressor episodes last only ~7 h). */
const HOURS_PER_RUN = 60_000;
const RUNS = 7;
/** The original integrates each hour with SciPy RK45 (~1-3 ms); 100x its fast end is 100 k patient-h/s. */
const TARGET = ">= 100000 h/s";

/** Noisy episodes under the heuristic policy until `HOURS_PER_RUN` simulated hours; returns the hours. */
function simulate(def: SimDefinition, seed0: number): number {
  const sim = def.create({ tier: "medium" });
  const policy = def.heuristics({}).heuristic!;
  const rng = seeded(`bench/${seed0}`);
  let hours = 0;
  for (let ep = 0; hours < HOURS_PER_RUN; ep++) {
    let obs = sim.reset(seed0 * 1_000_003 + ep);
    for (let t = 0; ; t++) {
      const s = sim.step(policy(obs, t, rng));
      hours++;
      if (s.terminated || s.truncated) break;
      obs = s.obs;
    }
  }
  return hours;
}

/** Patient-hours simulated per second (RK4 with 10 sub-steps per hour plus policy), per environment. */
export async function benchSepsisim(): Promise<BenchFigure[]> {
  const out: BenchFigure[] = [];
  for (const def of sepsisimDefinitions) {
    let run = 0;
    let hours = 0;
    const ms = await timeRuns(() => {
      hours = simulate(def, run++);
    }, RUNS);
    out.push({
      name: `${def.id} heuristic, medium (patient-hours/s)`,
      median: hours / (median(ms) / 1000),
      unit: "h/s",
      runs: RUNS,
      target: TARGET,
    });
  }
  return out;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  for (const f of await benchSepsisim()) console.log(formatFigure(f));
}
