import { buildFromSimulator } from "../src/builder/build.js";
import type { BenchFigure } from "./harness.js";

const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 === 1 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

/** One timed build at the size, per phase (ms). */
function timedBuild(): Record<string, number> {
  const phases: Record<string, number> = {};
  const t0 = performance.now();
  let last = t0;
  let current = "simulate";
  buildFromSimulator({
    simulator: "sepsisim/sepsis-management",
    tier: "medium",
    patients: 20_000,
    seed: 1,
    k: 750,
    onProgress: (phase) => {
      if (phase === current) return;
      const now = performance.now();
      phases[current] = now - last;
      last = now;
      current = phase;
    },
  });
  phases[current] = performance.now() - last;
  phases.total = performance.now() - t0;
  return phases;
}

/**
 * Build time of the MDP builder at the size: 20,000 SepsiSim Management stays (72 h, 4-hour blocks,
 * default behaviour) clustered into k = 750 states at the default settings (1 k-means restart at this size).
 * Median over `runs` builds; each takes tens of seconds.
 */
export async function benchBuilder(runs = 1): Promise<BenchFigure[]> {
  const all = Array.from({ length: runs }, timedBuild);
  const fig = (name: string, key: string, target?: string): BenchFigure => ({
    name,
    median: median(all.map((p) => p[key] ?? 0)) / 1000,
    unit: "s",
    runs,
    ...(target ? { target } : {}),
  });
  return [
    fig("build sepsis-management 20k stays, 4-h blocks, k=750 (total)", "total", "<= 60 s"),
    ...["simulate", "cluster", "count", "assemble"].map((p) => fig(`  phase ${p}`, p)),
  ];
}

// Direct run: tsx bench/builder.ts [runs]
if (process.argv[1]?.endsWith("builder.ts")) {
  const { formatFigure } = await import("./harness.js");
  for (const f of await benchBuilder(Number(process.argv[2] ?? 1))) console.log(formatFigure(f));
}
