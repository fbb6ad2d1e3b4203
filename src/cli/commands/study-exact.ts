import { type Command, InvalidArgumentError } from "@commander-js/extra-typings";
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
      'print JSON: {"rows": [{patients, policy, predicted, exact, gap, ci95?}], "sizes": [...]}',
    )
    .addHelpText(
      "after",
      "\nOne MDP step per simulator step. exact = the policy's survival in the simulator (not dead after its 20\n" +
        "steps), computed on the exact 1,440-state MDP with each exact state mapped to the built state its\n" +
        "observation falls in; predicted = the built MDP's value; gap = exact - predicted. behaviour = the\n" +
        "heuristic with probability 1 - epsilon, else a uniform action; optimal = the built MDP's optimal policy.\n" +
        "agreement = start-distribution weight of states where that policy's action is exactly optimal at step 0.\n\n" +
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
      printLines([
        ...table(
          ["seed", "patients", "policy", "predicted", "95 % (bootstrap)", "exact", "gap"],
          out.rows.map((r) => [
            String(r.cohortSeed),
            String(r.patients),
            r.policy,
            fmt(r.predicted),
            r.ci95 === undefined ? "" : `[${fmt(r.ci95[0])}, ${fmt(r.ci95[1])}]`,
            fmt(r.exact),
            fmt(r.gap),
          ]),
        ),
        "",
        ...table(
          ["seed", "patients", "states", "optimal-action agreement", "exact optimum", "seconds"],
          out.sizes.map((s) => [
            String(s.cohortSeed),
            String(s.patients),
            String(s.states),
            fmt(s.optimalAgreement),
            fmt(s.exactOptimum),
            s.seconds.toFixed(1),
          ]),
        ),
        ...(o.cohortSeeds > 1
          ? [
              "",
              `Across ${o.cohortSeeds} cohorts: mean [min, max]`,
              ...table(
                ["patients", "policy", "predicted", "exact", "gap"],
                out.acrossCohorts.map((a) => [
                  String(a.patients),
                  a.policy,
                  ...[a.predicted, a.exact, a.gap].map(
                    (x) => `${fmt(x.mean)} [${fmt(x.min)}, ${fmt(x.max)}]`,
                  ),
                ]),
              ),
            ]
          : []),
      ]);
    });
}
