import type { Command } from "@commander-js/extra-typings";
import type { Baselines } from "../../../solvers/baselines.js";
import type { CohortTruth } from "../../builder/cohort-truth.js";
import { readMdpDir } from "../../io/read-dir.js";
import { resolveGamma } from "../../model/mdp.js";
import { accuracyLines, fmt, lengthLine, printError, printJson, printLines, table } from "../output.js";
import { parseGamma, parsePositive } from "../parse.js";
import { readOptions, rowSumToleranceOption } from "../vocabulary.js";

export function registerBaselines(root: Command): void {
  root
    .command("baselines")
    .description(
      "Exact expected return and episode length of the random (uniform over all actions), expert and optimal policies",
    )
    .argument("<dir>", "MDP folder")
    .option("--gamma <g>", "discount in (0, 1] (default: metadata's, else 1)", parseGamma)
    .option(
      "--tolerance <t>",
      "value-iteration stopping tolerance for the optimal policy",
      parsePositive,
      1e-10,
    )
    .addOption(rowSumToleranceOption())
    .option("--json", "print JSON: {gamma, policies: {random, expert?, optimal: {return, length}}}")
    .addHelpText(
      "after",
      "\nReturns and lengths come from solving linear systems, not from sampling. Length = number of steps until a\n" +
        "terminal state is entered. The optimal policy maximises over admissible actions when they are known.\n\n" +
        "Example:\n  tabmdp baselines ../icu-sepsis --json",
    )
    .action(async (dir, o) => {
      // The solvers load while the tables are read: reading mostly waits for gunzip on another thread.
      const solvers = Promise.all([
        import("../../../solvers/baselines.js"),
        import("../../builder/cohort-truth.js"),
      ]);
      solvers.catch(() => {}); // a failed read is the error to report; a failed load rejects again below
      const m = await readMdpDir(dir, readOptions(o));
      const [{ baselines }, { cohortTruth }] = await solvers;
      const b = baselines(m, {
        gamma: resolveGamma(m, o.gamma),
        tolerance: o.tolerance,
      });
      const truth = cohortTruth(m);
      if (o.json) printJson(truth === null ? b : { ...b, builder: truth });
      else printText(b, truth);
      // The defined rows are printed; an undefined return is an undefined figure: say why, exit 2.
      for (const [name, f] of Object.entries(b.policies)) {
        if (f.return !== null) continue;
        printError(`${name} policy: ${f.note ?? "its expected return is undefined"}`);
        process.exitCode = 2;
      }
    });
}

function printText(b: Baselines, truth: CohortTruth | null): void {
  const rows = Object.entries(b.policies).map(([name, f]) => [
    name,
    f.return === null ? "undefined" : fmt(f.return),
    fmt(f.length, 3),
  ]);
  // An undefined return's reason goes to stderr instead (see the action).
  const notes = Object.entries(b.policies).flatMap(([name, f]) =>
    f.note === undefined || f.return === null ? [] : [`note (${name}): ${f.note}`],
  );
  const opt = b.policies.optimal;
  const [shortest, longest] = opt.lengthRange ?? [opt.length, opt.length];
  printLines([
    `gamma = ${b.gamma}; optimal policy by ${b.optimal.method} over ${b.optimal.admissibleOnly ? "admissible" : "all"} actions (${b.optimal.iterations} sweeps)`,
    ...table(["policy", "expected return", "expected length"], rows),
    ...accuracyLines(b.optimal.lessAccurateThan1e10, b.optimal.errorBound),
    `optimal: ${opt.tiedStates ?? 0} states with tied optimal actions; policy = shortest expected episode, then lowest index`,
    lengthLine(shortest, longest),
    ...(opt.lengthRangeNote === undefined ? [] : [opt.lengthRangeNote]),
    ...notes,
    ...(truth === null ? [] : truthLines(truth)),
  ]);
}

const orUndefined = (x: number | null, digits = 4): string => (x === null ? "undefined" : x.toFixed(digits));

/** The built MDP's cohort and its behaviour policy before and after the threshold (survival, stay in blocks). */
function truthLines(t: CohortTruth): string[] {
  return [
    "",
    `built MDP: the cohort (${t.cohort.patients} stays) and its behaviour policy (per-state action frequencies)`,
    ...table(
      ["", "survival", "length (blocks)"],
      [
        ["cohort, observed", fmt(t.cohort.survival), fmt(t.cohort.mean_stay_blocks, 3)],
        [
          "behaviour, all counts",
          orUndefined(t.behaviourBeforeThreshold.survival),
          orUndefined(t.behaviourBeforeThreshold.length, 3),
        ],
        [
          "behaviour, this MDP",
          orUndefined(t.behaviourAfterThreshold.survival),
          orUndefined(t.behaviourAfterThreshold.length, 3),
        ],
        ["bias (this MDP - all counts)", orUndefined(t.bias.survival), orUndefined(t.bias.length, 3)],
      ],
    ),
    "all counts = every (state, action) seen admissible; this MDP = threshold and mean rule applied.",
  ];
}
