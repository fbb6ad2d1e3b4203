import type { Command } from "@commander-js/extra-typings";
import { accuracyOf, evaluatePolicy } from "../../../solvers/index.js";
import { readMdpDir } from "../../io/index.js";
import { resolveGamma } from "../../model/mdp.js";
import { fmt, printJson, printLines } from "../output.js";
import { parseGamma, parsePositiveInt } from "../parse.js";
import { resolvePolicy } from "../policy-arg.js";
import { readOptions, rowSumToleranceOption } from "../vocabulary.js";
import { evaluateFiniteHorizon } from "./horizon.js";

export function registerEvaluate(root: Command): void {
  root
    .command("evaluate")
    .description(
      "Exact evaluation of a policy: expected return, expected episode length, terminal-state probabilities",
    )
    .argument("<dir>", "MDP folder")
    .requiredOption(
      "--policy <p>",
      "random | expert | optimal | FILE.csv (S x A table like expertPolicy.csv)",
    )
    .option("--gamma <g>", "discount in (0, 1] (default: metadata's, else 1)", parseGamma)
    .option(
      "--horizon <H>",
      "finite horizon: expected return within H steps, outcome probabilities by step H, mass still running",
      parsePositiveInt,
    )
    .option("--values", "include per-state values in the JSON output")
    .option("--all", "print every terminal state's probability, zeros included (JSON always has all)")
    .addOption(rowSumToleranceOption())
    .option("--json", "print JSON")
    .addHelpText(
      "after",
      "\nSolves the linear systems over the non-terminal states. With gamma = 1 a policy that can avoid every\n" +
        "terminal state forever is an error; with gamma < 1 its length is reported as unbounded.\n\n" +
        "Example:\n  tabmdp evaluate ../icu-sepsis --policy runs/icu-optimal/policy.csv",
    )
    .action(async (dir, o) => {
      const m = await readMdpDir(dir, readOptions(o));
      const gamma = resolveGamma(m, o.gamma);
      if (o.horizon !== undefined) {
        return evaluateFiniteHorizon(m, { ...o, gamma, horizon: o.horizon });
      }
      const pi = await resolvePolicy(m, o.policy, gamma, readOptions(o));
      const e = evaluatePolicy(m, pi, { gamma });
      const accuracy = accuracyOf(e);
      if (o.json) {
        return printJson({
          policy: o.policy,
          gamma,
          return: e.expectedReturn,
          length: e.expectedLength,
          ...(e.lengthReason === null ? {} : { lengthReason: e.lengthReason }),
          terminalProbabilities: e.terminalProbabilities,
          accuracy: { errorBound: finiteOrNull(accuracy.errorBound), lessAccurateThan1e10: accuracy.flagged },
          ...(o.values ? { values: Array.from(e.vS, (v) => (Number.isNaN(v) ? null : v)) } : {}),
        });
      }
      const shown = e.terminalProbabilities.filter((t) => o.all === true || t.probability !== 0);
      const hidden = e.terminalProbabilities.length - shown.length;
      printLines([
        `policy ${o.policy}, gamma ${gamma}`,
        `expected return  ${fmt(e.expectedReturn, 6)}`,
        `expected length  ${fmt(e.expectedLength, 4)}${e.lengthReason === null ? "" : ` (${e.lengthReason})`}`,
        ...shown.map((t) => `P(end in ${t.state})  ${probability(t.probability)}`),
        ...(hidden > 0 ? [`(${hidden} terminal states with probability 0 not shown; --all lists them)`] : []),
        ...(accuracy.flagged ? [accuracyWarning(accuracy.errorBound)] : []),
      ]);
    });
}

/** Six decimals, or three significant digits below 5e-7, so a small positive probability does not read as 0. */
const probability = (p: number): string => (p > 0 && p < 5e-7 ? p.toExponential(2) : fmt(p, 6));
const finiteOrNull = (x: number): number | null => (Number.isFinite(x) ? x : null);

function accuracyWarning(bound: number): string {
  const what = Number.isFinite(bound)
    ? `error up to ${bound.toExponential(2)}`
    : "no error bound could be established";
  return `accuracy  less accurate than 1e-10: ${what} (the policy ends episodes extremely slowly)`;
}
