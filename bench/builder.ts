import { buildFromSimulator } from "../src/discretize/build.js";
import type { BenchFigure } from "./harness.js";

/**
 * Build time of the MDP builder at the size: 20,000 SepsiSim Management stays (72 h, 4-hour blocks)
 * clustered into k = 750 states (1 k-means restart). One timed run: it takes tens of seconds.
 */
export async function benchBuilder(): Promise<BenchFigure[]> {
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
    restarts: 1,
    onProgress: (phase) => {
      if (phase === current) return;
      const now = performance.now();
      phases[current] = now - last;
      last = now;
      current = phase;
    },
  });
  const total = performance.now() - t0;
  phases[current] = performance.now() - last;
  const fig = (name: string, ms: number, target?: string): BenchFigure => ({
    name,
    median: ms / 1000,
    unit: "s",
    runs: 1,
    ...(target ? { target } : {}),
  });
  return [
    fig("build sepsis-management 20k stays, k=750 (total)", total, "<= 60 s"),
    ...Object.entries(phases).map(([p, ms]) => fig(`  phase ${p}`, ms)),
  ];
}

// Direct run: tsx bench/builder.ts
if (process.argv[1]?.endsWith("builder.ts")) {
  const { formatFigure } = await import("./harness.js");
  for (const f of await benchBuilder()) console.log(formatFigure(f));
}
