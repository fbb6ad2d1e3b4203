import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { fixed } from "../core/format.js";
import { atomicWrite, writeCsvAtomic } from "../io/atomic.js";
import { linePlot } from "../report/svg.js";
import type { JobResult } from "./job.js";
import { type Manifest, type Reference, referenceFor } from "./manifest.js";
import { htmlReport } from "./report.js";
import { type GroupSummary, groupKey, longRows, meanCurves, summarize, usedRuns } from "./summary.js";

/** JSON keeps NaN and infinities as strings so a job file reads back to the same numbers. */
const replacer = (_k: string, v: unknown): unknown =>
  typeof v === "number" && !Number.isFinite(v) ? String(v) : v;
export const reviver = (_k: string, v: unknown): unknown =>
  v === "NaN" || v === "Infinity" || v === "-Infinity" ? Number(v) : v;

export const toJson = (x: unknown): string => `${JSON.stringify(x, replacer, 2)}\n`;

export async function readManifest(dir: string): Promise<Manifest> {
  return JSON.parse(await readFile(join(dir, "manifest.json"), "utf8"), reviver) as Manifest;
}

const SUMMARY_HEADER = [
  "algo",
  "runs",
  "partial_runs",
  "partial_included",
  "released_rule_converged",
  "released_rule_episodes",
  "released_rule_steps",
  "released_rule_recent_mean",
  "released_rule_final_mean",
  "exact_greedy_return",
  "exact_greedy_ci95",
  "last10pct_return",
  "last10pct_ci95",
  "near_optimal_runs",
  "episodes_to_near_optimal",
  "episodes_near_optimal_ci95",
  "steps_to_near_optimal",
  "steps_near_optimal_ci95",
];

export const summaryRows = (s: readonly GroupSummary[]): (string | number)[][] =>
  s.map((g) => [
    g.group,
    g.runs,
    g.partial,
    String(g.partialIncluded),
    g.released === null ? "n/a" : String(g.released.episode !== null),
    g.released?.episode ?? Number.NaN,
    g.released?.steps ?? Number.NaN,
    g.released?.recentMean ?? Number.NaN,
    g.released?.finalMean ?? Number.NaN,
    g.finalGreedyReturn.mean,
    g.finalGreedyReturn.ci95,
    g.lastTenthReturn.mean,
    g.lastTenthReturn.ci95,
    g.nearOptimal,
    g.episodesToNearOptimal.mean,
    g.episodesToNearOptimal.ci95,
    g.stepsToNearOptimal.mean,
    g.stepsToNearOptimal.ci95,
  ]);

/** Reference lines name their discount only when a sweep mixes discounts. */
const gammaTag = (m: Manifest, r: Reference): string =>
  m.references.length > 1 ? ` (gamma ${r.gamma})` : "";

/** Seeds behind each curve point (the smallest group's), for the band's label. */
function seedsPerGroup(results: readonly JobResult[], key: (r: JobResult) => string): number {
  const counts = new Map<string, number>();
  for (const r of results) counts.set(key(r), (counts.get(key(r)) ?? 0) + 1);
  return Math.min(...counts.values());
}

/** Curves of one metric, mean over seeds, with a 95 % t band when there are at least two seeds. */
function meanPlot(
  results: readonly JobResult[],
  m: Manifest,
  key: (r: JobResult) => string,
  o: { metric: "greedy" | "avgReturn"; title: string; yLabel: string },
): string {
  const seeds = results.length === 0 ? 0 : seedsPerGroup(results, key);
  const banded = seeds >= 2;
  return linePlot({
    title: `${o.title} (mean over ${seeds} seed${seeds === 1 ? "" : "s"})`,
    xLabel: "episodes",
    yLabel: o.yLabel,
    series: meanCurves(results, o.metric, key).map((c) => ({
      label: c.group,
      x: c.episode,
      y: c.mean,
      ...(banded ? { lo: c.lo, hi: c.hi } : {}),
    })),
    refLines: m.references.flatMap((r) => [
      { y: r.optimal, label: `optimal ${fixed(r.optimal, 3)}${gammaTag(m, r)}`, color: "#000" },
      { y: r.random, label: `uniform random ${fixed(r.random, 3)}${gammaTag(m, r)}`, color: "#999" },
    ]),
    ...(banded ? { bandLabel: "95 % CI over seeds (t)" } : {}),
  });
}

/** The exact-greedy-return curves with the optimal and uniform-random values as references. */
export const curvesSvg = (results: readonly JobResult[], m: Manifest, key = groupKey): string =>
  meanPlot(results, m, key, {
    metric: "greedy",
    title: "Exact return of the greedy policy",
    yLabel: "expected return (exact)",
  });

/** Moving averages of the episode returns the learners saw (behaviour policy, sampled). */
export const averageReturnSvg = (results: readonly JobResult[], m: Manifest, key = groupKey): string =>
  meanPlot(results, m, key, {
    metric: "avgReturn",
    title: `Episode return, moving average of ${m.sweep.window}`,
    yLabel: "episode return (sampled)",
  });

/**
 * Write every output of a run: results.csv (long format), summary.csv/json, curves.svg, returns.svg,
 * report.html and manifest.json (last, so a complete manifest marks a complete folder). All atomic.
 */
export async function writeOutputs(
  dir: string,
  manifest: Manifest,
  results: readonly JobResult[],
  includePartial = false,
): Promise<GroupSummary[]> {
  const summary = summarize(
    results,
    (r) => referenceFor(manifest, r.spec.params).optimal,
    groupKey,
    includePartial,
  );
  await writeCsvAtomic(join(dir, "results.csv"), longRows(results), {
    header: ["algo", "seed", "complete", "episode", "steps", "metric", "value"],
  });
  await writeCsvAtomic(join(dir, "summary.csv"), summaryRows(summary), { header: SUMMARY_HEADER });
  await atomicWrite(
    join(dir, "summary.json"),
    toJson({ references: manifest.references, sweep: manifest.sweep, summary }),
  );
  const plotted = usedRuns(results, includePartial);
  const curves = curvesSvg(plotted, manifest);
  const returns = averageReturnSvg(plotted, manifest);
  await atomicWrite(join(dir, "curves.svg"), curves);
  await atomicWrite(join(dir, "returns.svg"), returns);
  await atomicWrite(join(dir, "report.html"), htmlReport(manifest, summary, [curves, returns]));
  await atomicWrite(join(dir, "manifest.json"), toJson(manifest));
  return summary;
}
