import type { MeanCi, ReleasedRuleResult } from "../../solvers/learning/convergence.js";
import { fixed } from "../core/format.js";
import type { Manifest } from "./manifest.js";
import { hyperparameterTables, rankedTrials } from "./report-params.js";
import type { GroupSummary } from "./summary.js";

const esc = (s: string): string => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

/** "m ± h" with a sensible number of digits; "n/a" when undefined. */
export function pm(c: MeanCi, digits: number): string {
  if (!Number.isFinite(c.mean)) return "n/a";
  const m = digits === 0 ? (Math.round(c.mean) + 0).toLocaleString("en-US") : fixed(c.mean, digits);
  if (!Number.isFinite(c.ci95)) return m;
  const h = digits === 0 ? (Math.round(c.ci95) + 0).toLocaleString("en-US") : fixed(c.ci95, digits);
  return `${m} ± ${h}`;
}

const thousands = (x: number): string => Math.round(x).toLocaleString("en-US");

/** The released rule's three figures: episodes K, steps M and the recent mean, or why there are none. */
function releasedCells(r: ReleasedRuleResult | null): [string, string, string] {
  if (r === null) return ["no complete run", "", ""];
  if (r.episode === null) return ["not converged", "", ""];
  return [thousands(r.episode), thousands(r.steps ?? Number.NaN), (r.recentMean ?? Number.NaN).toFixed(3)];
}

/** Runs counted, and any stopped early: left out of the statistics unless --include-partial. */
function runsCell(g: GroupSummary): string {
  if (g.partial === 0) return String(g.runs);
  return g.partialIncluded
    ? `${g.runs} (${g.partial} partial, included)`
    : `${g.runs} (+${g.partial} partial, left out)`;
}

/** The summary as rows of text, shared by the HTML report, the CLI and the docs. */
export function tableCells(s: readonly GroupSummary[]): string[][] {
  return s.map((g) => [
    g.group,
    runsCell(g),
    ...releasedCells(g.released),
    pm(g.finalGreedyReturn, 3),
    g.nearOptimal === 0 ? `0/${g.runs}` : `${pm(g.episodesToNearOptimal, 0)} (${g.nearOptimal}/${g.runs})`,
  ]);
}

export const TABLE_HEAD = [
  "algorithm",
  "runs",
  "episodes to convergence (released rule)",
  "steps to convergence (released rule)",
  "recent mean return (released rule)",
  "exact greedy return",
  "episodes to 99 % of optimal (exact)",
];

/** A Markdown table of the summary. */
export function markdownTable(s: readonly GroupSummary[]): string {
  const rows = [TABLE_HEAD, TABLE_HEAD.map(() => "---"), ...tableCells(s)];
  return `${rows.map((r) => `| ${r.join(" | ")} |`).join("\n")}\n`;
}

/** A self-contained HTML page: the table, the plots (inline SVG) and the run's settings. */
export function htmlReport(m: Manifest, s: readonly GroupSummary[], svgs: readonly string[]): string {
  const head = TABLE_HEAD.map((h) => `<th>${esc(h)}</th>`).join("");
  const body = tableCells(s)
    .map((r) => `<tr>${r.map((c) => `<td>${esc(c)}</td>`).join("")}</tr>`)
    .join("\n");
  const tune = m.jobs.some((j) => j.trial !== null);
  const title = tune
    ? `Hyperparameter search: ${m.jobs[0]?.params.algo ?? ""}`
    : m.jobs.length === 1
      ? "Learning run"
      : "Learning study";
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>tabmdp: ${esc(title)}</title>
<style>body{font-family:sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem}
table{border-collapse:collapse;margin:.5rem 0}td,th{border:1px solid #ccc;padding:.3rem .6rem;text-align:right}
td:first-child,th:first-child{text-align:left}code{font-size:.8rem;overflow-wrap:anywhere}
.wide{overflow-x:auto}svg{max-width:100%;height:auto}.params td:last-child{text-align:left}</style></head>
<body>
<h1>${esc(title)}</h1>
<p>MDP ${esc(m.mdp.source)} (${m.mdp.nS} states, ${m.mdp.nA} actions, sha256 <code>${m.mdp.sha256.slice(0, 16)}</code>);
${m.sweep.episodes.toLocaleString("en-US")} episodes per run, seeds ${esc(m.sweep.seeds.join(", "))};
exact evaluation every ${m.sweep.evalEvery} episodes; released convergence rule: start ${m.sweep.rule.start}, every ${m.sweep.rule.every}, recent ${m.sweep.rule.recent}, final ${m.sweep.rule.final}, &delta; = ${m.sweep.rule.delta}.
${m.references.map((r) => `Optimal return ${fixed(r.optimal, 4)}, uniform random ${fixed(r.random, 4)} (&gamma; = ${r.gamma}).`).join("\n")}
${m.interrupted ? "<strong>Interrupted: some runs are missing or were stopped early (see the runs column); resume with --resume.</strong>" : ""}</p>
${tune ? rankedTrials(s) : ""}
<div class="wide"><table><thead><tr>${head}</tr></thead><tbody>
${body}
</tbody></table></div>
<p>Means over seeds with 95 % t intervals. The convergence columns apply the ICU-Sepsis release's rule to the
seed-averaged return curve of the complete runs: the first episode i &ge; start, in steps of "every", at which the
mean return of the "recent" episodes before i is within a relative &delta; of the mean of the final episodes; steps
are the seed-averaged episode lengths summed up to i, and the recent mean is that window's mean return (one figure
per algorithm, as released, so no interval). The exact greedy return is the expected return of the
final greedy policy, computed by linear algebra (no sampling noise); the last column is the first checkpoint
from which that exact return stays within 1 % of the optimum to the end of the run (a noise-free convergence
measure; over the runs that got there).</p>
${svgs.join("\n")}
${hyperparameterTables(m)}
<p>tabmdp ${esc(m.versions.tabmdp)}, Node ${esc(m.versions.node)}; wall time ${m.wallSeconds.toFixed(1)} s; command <code>${esc(m.command)}</code></p>
</body></html>
`;
}
