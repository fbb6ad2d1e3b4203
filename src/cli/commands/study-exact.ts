import { type Command, InvalidArgumentError } from "@commander-js/extra-typings";
import { TIE_BREAKS } from "../../builder/tie-breaks.js";
import { rowLabel } from "../../study/builder-studies.js";
import { builderVsExact } from "../../study/builder-vs-exact.js";
import { fmt, printJson, printLines, table } from "../output.js";
import { parseNonNegativeInt, parsePositiveInt, parseSeed } from "../parse.js";
import { progressBar } from "../progress.js";
import { parseUnitInterval } from "../recipe-options.js";

function parseSizes(text: string): number[] {
  const xs = text.split(",").map(Number);
  if (xs.length === 0 || xs.some((x) => !Number.isInteger(x) || x < 1))
    throw new InvalidArgumentError(`expected comma-separated positive integers, got "${text}"`);
  return xs;
}

export function registerBuilderVsExact(study: Command): void {
  study
    .command("builder-vs-exact")
    .description(
      "Build the Oberst & Sontag simulator from cohorts of several sizes and compare with its exact MDP",
    )
    .option("--sizes <list>", "comma-separated cohort sizes (stays)", parseSizes, [1000, 5000, 20000])
    .requiredOption("--seed <s>", "seed of the first cohort and its k-means", parseSeed)
    .option("--cohort-seeds <K>", "cohorts per size (seeds seed..seed+K-1)", parsePositiveInt, 1)
    .option("--threshold <t>", "admissible iff count > t", parseNonNegativeInt, 20)
    .option("--k <k>", "k-means states, the same for every size", parsePositiveInt, 100)
    .option("--epsilon <e>", "behaviour: probability of a uniformly random action", parseUnitInterval, 0.25)
    .option(
      "--bootstrap <B>",
      "bootstrap replicates per size for the predictions' intervals",
      parseNonNegativeInt,
      0,
    )
    .option(
      "--json",
      'print JSON: {"rows": [{patients, policy, tieBreak?, predicted: {horizon, infinite}, exact, gap}], "sizes": [...]}',
    )
    .addHelpText(
      "after",
      "\nOne MDP step per simulator step. exact = the policy's survival in the simulator (not dead after its 20\n" +
        "steps), computed on the exact 1,440-state MDP with each exact state mapped to the built state its\n" +
        "observation falls in; predicted = the built MDP's survival on the same 20 steps (horizon) and with no\n" +
        "horizon (infinite); gap = exact - predicted. behaviour = the heuristic with probability 1 - epsilon, else a\n" +
        "uniform action; optimal = the built MDP's optimal actions under each tie-break (tie-rule, most-frequent,\n" +
        "least-frequent behaviour action). agreement = start-distribution weight of states where that policy's\n" +
        "action is exactly optimal at step 0.\n\n" +
        "Example:\n  tabmdp study builder-vs-exact --sizes 1000,5000,20000 --seed 1 --bootstrap 50",
    )
    .action(async (o) => {
      const bar = progressBar(o.sizes.length * o.cohortSeeds, "study builder-vs-exact", {
        unit: "cohorts",
        json: o.json,
      });
      const out = builderVsExact({
        sizes: o.sizes,
        seeds: Array.from({ length: o.cohortSeeds }, (_, i) => o.seed + i),
        threshold: o.threshold,
        k: o.k,
        epsilon: o.epsilon,
        bootstrap: o.bootstrap,
        onSize: (d) => bar.update(d),
      });
      bar.stop();
      if (o.json) return printJson(out);
      const ci = (c: readonly [number, number] | undefined): string =>
        c === undefined ? "" : `[${fmt(c[0])}, ${fmt(c[1])}]`;
      const mr = (x: { mean: number; min: number; max: number }): string =>
        `${fmt(x.mean)} [${fmt(x.min)}, ${fmt(x.max)}]`;
      printLines([
        ...table(
          [
            "seed",
            "patients",
            "policy",
            "predicted (horizon)",
            "95 % (bootstrap)",
            "predicted (infinite)",
            "95 % (bootstrap)",
            "exact",
            "gap (horizon)",
            "gap (infinite)",
          ],
          out.rows.map((r) => [
            String(r.cohortSeed),
            String(r.patients),
            rowLabel(r),
            fmt(r.predicted.horizon.survival),
            ci(r.predicted.horizon.ci95),
            fmt(r.predicted.infinite.survival),
            ci(r.predicted.infinite.ci95),
            fmt(r.exact),
            fmt(r.gap.horizon.value),
            fmt(r.gap.infinite.value),
          ]),
        ),
        "predicted (horizon) = survival within the simulator's 20 steps (alive then = survivor, as exact counts it);" +
          " predicted (infinite) = the built MDP's own value; gap = exact - predicted",
        "",
        ...table(
          // Wall times stay out of the printed tables (same seed, same bytes); --json has them per size.
          [
            "seed",
            "patients",
            "states",
            "optimal-action agreement (tie-rule, most-frequent, least-frequent)",
            "exact optimum",
          ],
          out.sizes.map((s) => [
            String(s.cohortSeed),
            String(s.patients),
            String(s.states),
            TIE_BREAKS.map((t) => fmt(s.tieBreakAgreement[t])).join(", "),
            fmt(s.exactOptimum),
          ]),
        ),
        ...(o.cohortSeeds > 1
          ? [
              "",
              `Across ${o.cohortSeeds} cohorts: mean [min, max]`,
              ...table(
                [
                  "patients",
                  "policy",
                  "predicted (horizon)",
                  "predicted (infinite)",
                  "exact",
                  "gap (horizon)",
                  "gap (infinite)",
                ],
                out.acrossCohorts.map((a) => [
                  String(a.patients),
                  a.policy,
                  ...[a.predicted.horizon, a.predicted.infinite, a.exact, a.gap.horizon, a.gap.infinite].map(
                    mr,
                  ),
                ]),
              ),
            ]
          : []),
      ]);
    });
}
