import type { Command } from "@commander-js/extra-typings";
import { bootstrapPredictions } from "../../builder/bootstrap.js";
import { type FidelityRow, fidelity, isNamedPolicy, policyTable } from "../../builder/fidelity-row.js";
import { prepareFromMetadata, recipeOf } from "../../builder/recipe.js";
import { readMdpDir } from "../../io/index.js";
import { fmt, printJson, printLines, table } from "../output.js";
import { parseNonNegativeInt, parsePositiveInt } from "../parse.js";
import { resolvePolicy } from "../policy-arg.js";
import { progressBar } from "../progress.js";
import { readOptions, rowSumToleranceOption, seedOption } from "../vocabulary.js";

const interval = (ci: readonly [number, number] | undefined): string =>
  ci === undefined ? "" : `[${fmt(ci[0])}, ${fmt(ci[1])}]`;

/** One table row per fidelity result (shared with the studies' printing). */
export function fidelityCells(r: FidelityRow): string[] {
  const p = r.predicted.infinite;
  return [
    r.policy,
    `${fmt(p.survival)}${p.exact ? "" : "*"}`,
    interval(p.ci95),
    fmt(r.simulated.survival),
    interval(r.simulated.ci95),
    fmt(r.gap.infinite.value),
    interval(r.gap.infinite.ci95),
  ];
}

export const FIDELITY_HEADER = [
  "policy",
  "predicted",
  "95 % (bootstrap)",
  "simulated",
  "95 % (Wilson)",
  "gap",
  "95 % (gap)",
] as const;

export const NON_TERMINATING_NOTE =
  "* the policy can run forever in the MDP; predicted = survival of the episodes that end";

export function registerFidelity(root: Command): void {
  root
    .command("fidelity")
    .description("Run an MDP's policy in the simulator it was built from; simulated vs predicted survival")
    .argument("<dir>", "MDP folder written by `tabmdp build`")
    .option("--policy <p>", "optimal | expert | random | behaviour | FILE.csv", "optimal")
    .option("--patients <n>", "simulated stays", parsePositiveInt, 2000)
    .addOption(seedOption())
    .addOption(rowSumToleranceOption())
    .option(
      "--bootstrap <B>",
      "prediction intervals from B resampled cohorts (re-runs the recorded recipe first)",
      parseNonNegativeInt,
      0,
    )
    .option("--json", "print JSON: {policy, simulated: {survival, ci95}, predicted: {infinite}, gap}")
    .addHelpText(
      "after",
      "\nEach block: observation -> saved normalisation -> nearest centroid -> state -> action -> the bins'\n" +
        "median doses. Predicted = the policy's exact value in the MDP (survival probability).\n" +
        "behaviour = the policy that generated the cohort, run as the simulator applied it (heuristic with the\n" +
        "recipe's variability, metadata.json builder.behaviour); its prediction uses the cohort's per-state action\n" +
        "frequencies (builder.pair_counts), inadmissible actions included (they follow the mean rule).\n" +
        "--bootstrap B: the recipe in metadata.json is re-run (same cohort, same clusters), its stays resampled B\n" +
        "times with replacement and counted on the same clusters; behaviour and expert are re-estimated per\n" +
        "replicate, optimal and FILE policies are carried over cluster by cluster; 2.5-97.5 % percentiles.\n\n" +
        "Example:\n  tabmdp fidelity data/sepsispilot-septic-shock --policy behaviour --patients 5000 --seed 1",
    )
    .action(async (dir, o) => {
      const m = await readMdpDir(dir, readOptions(o));
      const p = o.policy;
      const pi = isNamedPolicy(p) ? policyTable(m, p) : await resolvePolicy(m, p, 1, readOptions(o));
      let bootstrap: Float64Array | undefined;
      if (o.bootstrap > 0) {
        const bar = progressBar(o.bootstrap + 1, "bootstrap", { unit: "cohorts", json: o.json });
        const prep = prepareFromMetadata(m);
        bar.update(1);
        const threshold = recipeOf(m).threshold;
        bootstrap = bootstrapPredictions(prep, threshold, [{ policy: p, table: pi }], {
          replicates: o.bootstrap,
          seed: o.seed,
          onReplicate: (d) => bar.update(d + 1),
        }).get(p);
        bar.stop();
      }
      const bar = progressBar(o.patients, "fidelity", { unit: "stays", json: o.json });
      const row = fidelity(m, p, pi, {
        patients: o.patients,
        seed: o.seed,
        ...(bootstrap === undefined ? {} : { bootstrap }),
        onPatient: (d) => bar.update(d),
      });
      bar.stop();
      if (o.json) return printJson(row);
      printLines([
        ...table(FIDELITY_HEADER, [fidelityCells(row)]),
        ...(row.predicted.infinite.exact ? [] : [NON_TERMINATING_NOTE]),
      ]);
    });
}
