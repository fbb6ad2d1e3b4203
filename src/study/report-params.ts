import { type LearnParams, PARAMS } from "../../solvers/learning/params.js";
import type { Manifest } from "./manifest.js";
import type { GroupSummary } from "./summary.js";

const esc = (s: string): string => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

const show = (v: LearnParams[keyof LearnParams]): string =>
  v === null ? "from the MDP" : typeof v === "number" ? String(Number(v.toPrecision(4))) : v;

/** One row per parameter set of the run (an algorithm, or a tune trial), in sweep order. */
function parameterSets(m: Manifest): { name: string; params: LearnParams }[] {
  const seen = new Set<string>();
  const out: { name: string; params: LearnParams }[] = [];
  for (const j of m.jobs) {
    const name = j.trial === null ? j.params.algo : `${j.params.algo}/trial-${j.trial}`;
    if (seen.has(name)) continue;
    seen.add(name);
    out.push({ name, params: j.params });
  }
  return out;
}

const table = (head: readonly string[], rows: readonly (readonly string[])[]): string =>
  `<table class="params"><thead><tr>${head.map((h) => `<th>${esc(h)}</th>`).join("")}</tr></thead><tbody>\n${rows
    .map((r) => `<tr>${r.map((c) => `<td>${esc(c)}</td>`).join("")}</tr>`)
    .join("\n")}\n</tbody></table>`;

/**
 * The hyperparameters as tables a reader can scan: the settings every run shares, then one column per
 * setting that differs between the parameter sets (flag names as on the command line).
 */
export function hyperparameterTables(m: Manifest): string {
  const sets = parameterSets(m);
  const specs = PARAMS.filter((p) => p.key !== "algo");
  const varies = specs.filter((p) => new Set(sets.map((s) => show(s.params[p.key]))).size > 1);
  const shared = specs.filter((p) => !varies.includes(p));
  const first = sets[0]?.params;
  const sharedRows = first === undefined ? [] : shared.map((p) => [`--${p.flag}`, show(first[p.key]), p.doc]);
  const perSet = sets.map((s) => [s.name, ...varies.map((p) => show(s.params[p.key]))]);
  return [
    "<h2>Hyperparameters</h2>",
    `<h3>Shared by every run</h3>\n${table(["setting", "value", "meaning"], sharedRows)}`,
    varies.length === 0
      ? ""
      : `<h3>Per ${m.jobs.some((j) => j.trial !== null) ? "trial" : "algorithm"}</h3>\n<div class="wide">${table(
          ["", ...varies.map((p) => `--${p.flag}`)],
          perSet,
        )}</div>`,
  ].join("\n");
}

/**
 * Tune's trials ranked by the score tune uses (mean over seeds of the mean episode return over the last
 * 10 % of episodes; ties: lower trial first), with the exact return of the final greedy policies beside it.
 */
export function rankedTrials(s: readonly GroupSummary[]): string {
  const ranked = [...s].sort(
    (a, b) =>
      b.lastTenthReturn.mean - a.lastTenthReturn.mean ||
      a.group.localeCompare(b.group, "en", { numeric: true }),
  );
  const pm = (mean: number, ci: number): string =>
    Number.isFinite(ci) ? `${mean.toFixed(4)} ± ${ci.toFixed(4)}` : mean.toFixed(4);
  return [
    "<h2>Trials, best first</h2>",
    "<p>Score: mean over seeds of the mean episode return over the last 10 % of episodes (the ranking tune uses; 95 % t interval).</p>",
    table(
      ["rank", "trial", "runs", "score", "exact greedy return"],
      ranked.map((g, i) => [
        String(i + 1),
        g.group,
        String(g.runs),
        pm(g.lastTenthReturn.mean, g.lastTenthReturn.ci95),
        pm(g.finalGreedyReturn.mean, g.finalGreedyReturn.ci95),
      ]),
    ),
  ].join("\n");
}
