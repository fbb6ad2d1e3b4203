import type { Command } from "@commander-js/extra-typings";
import { bootstrapPredictions } from "../../builder/bootstrap.js";
import {
  type BootstrapSamples,
  type FidelityRow,
  fidelity,
  isNamedPolicy,
  policyTable,
} from "../../builder/fidelity-row.js";
import { simulatorHorizonBlocks } from "../../builder/horizon.js";
import { prepareFromMetadata, recipeOf } from "../../builder/recipe.js";
import {
  type TieSpread,
  tieBreakFidelity,
  tieBreakKey,
  tieBreakPolicies,
  tieSpread,
} from "../../builder/tie-breaks.js";
import { readMdpDir } from "../../io/index.js";
import { fmt, printJson, printLines, table } from "../output.js";
import { parseNonNegativeInt, parsePositiveInt } from "../parse.js";
import { resolvePolicy } from "../policy-arg.js";
import { progressBar } from "../progress.js";
import { readOptions, rowSumToleranceOption, seedOption } from "../vocabulary.js";

const interval = (ci: readonly [number, number] | undefined): string =>
  ci === undefined ? "" : `[${fmt(ci[0])}, ${fmt(ci[1])}]`;

/** One table row per fidelity result (shared with the studies' printing); tie-breaks name themselves. */
export function fidelityCells(r: FidelityRow & { readonly tieBreak?: string }): string[] {
  const h = r.predicted.horizon;
  const p = r.predicted.infinite;
  return [
    r.tieBreak === undefined ? r.policy : `${r.policy} (${r.tieBreak})`,
    fmt(h.survival),
    interval(h.ci95),
    `${fmt(p.survival)}${p.exact ? "" : "*"}`,
    interval(p.ci95),
    fmt(r.simulated.survival),
    interval(r.simulated.ci95),
    fmt(r.gap.horizon.value),
    interval(r.gap.horizon.ci95),
    fmt(r.gap.infinite.value),
    interval(r.gap.infinite.ci95),
  ];
}

export const FIDELITY_HEADER = [
  "policy",
  "predicted (horizon)",
  "95 % (bootstrap)",
  "predicted (infinite)",
  "95 % (bootstrap)",
  "simulated",
  "95 % (Wilson)",
  "gap (horizon)",
  "95 % (gap)",
  "gap (infinite)",
  "95 % (gap)",
] as const;

export const NON_TERMINATING_NOTE =
  "* the policy can run forever in the MDP; predicted (infinite) = survival of the episodes that end";

/** What the two predictions mean, under every fidelity table. */
export const horizonNote = (blocks: number): string =>
  `predicted (horizon) = survival within the simulator's ${blocks} decisions, stays still in treatment then ` +
  "counted as survivors (as the simulator counts them); predicted (infinite) = the MDP's own value; gap = simulated - predicted";

/** The tie-breaks' spread line (max - min over tie-breaks). */
export const spreadLine = (s: TieSpread): string =>
  `tie-break spread (max - min): simulated ${fmt(s.simulated)}, predicted (horizon) ${fmt(s.predicted.horizon)}, ` +
  `predicted (infinite) ${fmt(s.predicted.infinite)}`;

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
    .option(
      "--json",
      "print JSON: {policy, simulated: {survival, ci95}, predicted: {horizon, infinite}, gap: {horizon, infinite}}" +
        " (optimal: also tieBreaks and spread)",
    )
    .addHelpText(
      "after",
      "\nEach block: observation -> saved normalisation -> nearest centroid -> state -> action -> the bins'\n" +
        "median doses. Predicted = the policy's exact survival in the MDP, counted two ways: on the simulator's\n" +
        "horizon (its max steps in blocks, a partial last block included; alive then = survivor) and with no horizon.\n" +
        "optimal = every tie-break of the MDP's optimal actions (tie-rule, most-frequent, least-frequent behaviour\n" +
        "action among them), each simulated on the same patients, and their spread.\n" +
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
      const blocks = simulatorHorizonBlocks(m);
      const ties = p === "optimal" ? tieBreakPolicies(m) : null;
      const tables =
        ties === null
          ? [
              {
                policy: p,
                table: isNamedPolicy(p) ? policyTable(m, p) : await resolvePolicy(m, p, 1, readOptions(o)),
              },
            ]
          : ties.map((t) => ({ policy: tieBreakKey(t.tieBreak), table: t.table }));
      let bootstrap: Map<string, BootstrapSamples> | undefined;
      if (o.bootstrap > 0) {
        const bar = progressBar(o.bootstrap + 1, "bootstrap", { unit: "cohorts", json: o.json });
        const prep = prepareFromMetadata(m);
        bar.update(1);
        bootstrap = bootstrapPredictions(prep, recipeOf(m).threshold, tables, {
          replicates: o.bootstrap,
          seed: o.seed,
          blocks,
          onReplicate: (d) => bar.update(d + 1),
        });
        bar.stop();
      }
      const runs = ties === null ? 1 : ties.length;
      const bar = progressBar(runs * o.patients, "fidelity", { unit: "stays", json: o.json });
      const common = { patients: o.patients, seed: o.seed, blocks, onPatient: (d: number) => bar.update(d) };
      if (ties === null) {
        const boot = bootstrap?.get(p);
        const row = fidelity(m, p, tables[0]!.table, { ...common, ...(boot ? { bootstrap: boot } : {}) });
        bar.stop();
        if (o.json) return printJson(row);
        return printLines([
          ...table(FIDELITY_HEADER, [fidelityCells(row)]),
          horizonNote(blocks),
          ...(row.predicted.infinite.exact ? [] : [NON_TERMINATING_NOTE]),
        ]);
      }
      const rows = tieBreakFidelity(m, ties, common, bootstrap);
      bar.stop();
      const { tieBreak: _, ...main } = rows[0]!;
      const spread = tieSpread(rows);
      if (o.json) return printJson({ ...main, tieBreaks: rows, spread });
      printLines([
        ...table(FIDELITY_HEADER, rows.map(fidelityCells)),
        spreadLine(spread),
        horizonNote(blocks),
        ...(rows.every((r) => r.predicted.infinite.exact) ? [] : [NON_TERMINATING_NOTE]),
      ]);
    });
}
