import type { Command } from "@commander-js/extra-typings";
import { evaluatePolicy } from "../../../solvers/index.js";
import { readMdpDir } from "../../io/index.js";
import { resolveGamma } from "../../model/mdp.js";
import { fmt, printJson, printLines } from "../output.js";
import { parseGamma } from "../parse.js";
import { resolvePolicy } from "../policy-arg.js";
import { readOptions, rowSumToleranceOption } from "../vocabulary.js";

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
      const pi = await resolvePolicy(m, o.policy, gamma, readOptions(o));
      const e = evaluatePolicy(m, pi, { gamma });
      if (o.json) {
        return printJson({
          policy: o.policy,
          gamma,
          return: e.expectedReturn,
          length: e.expectedLength,
          ...(e.lengthReason === null ? {} : { lengthReason: e.lengthReason }),
          terminalProbabilities: e.terminalProbabilities,
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
      ]);
    });
}

/** Six decimals, or three significant digits below 5e-7, so a small positive probability does not read as 0. */
const probability = (p: number): string => (p > 0 && p < 5e-7 ? p.toExponential(2) : fmt(p, 6));
