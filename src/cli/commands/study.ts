import { type Command, InvalidArgumentError } from "@commander-js/extra-typings";
import { atomicWrite, checkOutputPath, readMdpDir } from "../../io/index.js";
import { linePlot } from "../../report/svg.js";
import {
  acrossCohorts,
  perturbStudy,
  thresholdStudy,
  tieSpreads,
  unperturbed,
} from "../../study/builder-studies.js";
import { fmt, printJson, printLines, table } from "../output.js";
import { parseNonNegativeInt as parseCount, parsePositiveInt, parseSeed } from "../parse.js";
import { progressBar } from "../progress.js";
import { addRecipeOptions, recipeFromFlags } from "../recipe-options.js";
import { readOptions, rowSumToleranceOption, seedOption } from "../vocabulary.js";
import { FIDELITY_HEADER, fidelityCells, horizonNote, NON_TERMINATING_NOTE } from "./fidelity.js";
import { registerBuilderVsExact } from "./study-exact.js";

function parseList(text: string): number[] {
  const xs = text.split(",").map((t) => (t.trim() === "" ? Number.NaN : Number(t)));
  if (xs.some((x) => !Number.isFinite(x) || x < 0))
    throw new InvalidArgumentError(`expected comma-separated non-negative numbers, got "${text}"`);
  return xs;
}

function parseProbabilities(text: string): number[] {
  const xs = parseList(text);
  if (xs.some((x) => x > 1))
    throw new InvalidArgumentError(`expected probabilities in [0, 1], got "${text}"`);
  return xs;
}

export function registerStudy(root: Command): void {
  const study = root.command("study").description("Studies of the MDP builder's choices");
  registerBuilderVsExact(study);
  addRecipeOptions(
    study
      .command("threshold")
      .description(
        "Build at several admissibility thresholds; predicted vs simulated survival of the behaviour, optimal, expert and random policies",
      )
      .argument("<sim>", "simulator id"),
  )
    .requiredOption("--patients <n>", "stays in each cohort", parsePositiveInt)
    .addOption(seedOption("first cohort seed (cohorts use seed, seed+1, ...)"))
    .option("--cohort-seeds <K>", "number of cohorts (seeds seed..seed+K-1)", parsePositiveInt, 1)
    .option(
      "--thresholds <list>",
      "comma-separated thresholds (admissible iff count > t)",
      parseList,
      [5, 20],
    )
    .option("--check-patients <n>", "stays simulated per policy", parsePositiveInt, 2000)
    .option("--check-seed <s>", "seed of the simulated stays (default: seed + 1000)", parseSeed)
    .option(
      "--bootstrap <B>",
      "bootstrap replicates per cohort for prediction intervals (0 = none)",
      parseCount,
      0,
    )
    .option("--json", "print JSON: {rows, acrossCohorts, tieSpreads}")
    .addHelpText(
      "after",
      "\nEach cohort is simulated and clustered once; each threshold is applied to its counts. Simulated stays use\n" +
        "--check-seed for every MDP (same patients). With --cohort-seeds K > 1 the summary gives the mean and the\n" +
        "range (min..max) over the K cohorts.\n\n" +
        "Example:\n  tabmdp study threshold sepsispilot/septic-shock --patients 3000 --k 100 --seed 1 --cohort-seeds 3",
    )
    .action(async (sim, o) => {
      const K = o.cohortSeeds;
      const bar = progressBar(K * o.thresholds.length, "study threshold", { unit: "MDPs", json: o.json });
      const rows = thresholdStudy({ ...recipeFromFlags(sim, o), patients: o.patients }, o.thresholds, {
        cohortSeeds: Array.from({ length: K }, (_, i) => o.seed + i),
        check: { patients: o.checkPatients, seed: o.checkSeed ?? o.seed + 1000 },
        bootstrap: o.bootstrap,
        onStep: (d) => bar.update(d),
      });
      bar.stop();
      const summary = acrossCohorts(rows);
      const spreads = tieSpreads(rows);
      if (o.json) return printJson({ rows, acrossCohorts: summary, tieSpreads: spreads });
      const mr = (x: { mean: number; min: number; max: number }): string =>
        `${fmt(x.mean)} [${fmt(x.min)}, ${fmt(x.max)}]`;
      printLines([
        ...table(
          ["cohort seed", "threshold", "states", "pairs", ...FIDELITY_HEADER],
          rows.map((r) => [
            String(r.cohortSeed),
            String(r.threshold),
            String(r.states),
            String(r.admissiblePairs),
            ...fidelityCells(r),
          ]),
        ),
        horizonNote(rows[0]!.predicted.horizon.blocks),
        ...(rows.every((r) => r.predicted.infinite.exact) ? [] : [NON_TERMINATING_NOTE]),
        "",
        "Tie-break spread of the optimal policy (max - min over tie-breaks)",
        ...table(
          ["cohort seed", "threshold", "simulated", "predicted (horizon)", "predicted (infinite)"],
          spreads.map((x) => [
            String(x.cohortSeed),
            String(x.threshold),
            fmt(x.spread.simulated),
            fmt(x.spread.predicted.horizon),
            fmt(x.spread.predicted.infinite),
          ]),
        ),
        ...(K > 1
          ? [
              "",
              `Across ${K} cohorts: mean [min, max]`,
              ...table(
                [
                  "threshold",
                  "policy",
                  "predicted (horizon)",
                  "predicted (infinite)",
                  "simulated",
                  "gap (horizon)",
                  "gap (infinite)",
                ],
                summary.map((a) => [
                  String(a.threshold),
                  a.policy,
                  mr(a.predicted.horizon),
                  mr(a.predicted.infinite),
                  mr(a.simulated),
                  mr(a.gap.horizon),
                  mr(a.gap.infinite),
                ]),
              ),
            ]
          : []),
      ]);
    });
  study
    .command("perturb")
    .description("Drop each admissible action with probability p, re-apply the mean rule, evaluate exactly")
    .argument("<dir>", "MDP folder")
    .option(
      "--p <list>",
      "comma-separated probabilities in [0, 1]",
      parseProbabilities,
      [0.1, 0.2, 0.3, 0.5, 0.7],
    )
    .option("--repeats <n>", "perturbed MDPs per p", parsePositiveInt, 32)
    .addOption(seedOption())
    .addOption(rowSumToleranceOption())
    .option("--svg <file>", "write a plot of mean ± sd against p")
    .option("--json", "print JSON")
    .action(async (dir, o) => {
      if (o.svg) await checkOutputPath(o.svg, "file");
      const m = await readMdpDir(dir, readOptions(o));
      const bar = progressBar(o.p.length * o.repeats, "study perturb", { unit: "MDPs", json: o.json });
      const rows = [...unperturbed(m), ...perturbStudy(m, o.p, o.repeats, o.seed, (d) => bar.update(d))];
      bar.stop();
      if (o.svg) {
        const names = [...new Set(rows.map((r) => r.policy))];
        const series = names.map((label) => {
          const rs = rows.filter((r) => r.policy === label);
          return {
            label,
            x: rs.map((r) => r.p),
            y: rs.map((r) => r.mean),
            lo: rs.map((r) => r.mean - r.sd),
            hi: rs.map((r) => r.mean + r.sd),
          };
        });
        const title = `Perturbed admissibility (${o.repeats} repeats): ${dir}`;
        await atomicWrite(
          o.svg,
          linePlot({ title, xLabel: "p (drop probability)", yLabel: "expected return", series }),
        );
      }
      if (o.json) return printJson(rows);
      printLines(
        table(
          ["p", "policy", "mean", "sd", "min", "max", "non-terminating"],
          rows.map((r) => [
            String(r.p),
            r.policy,
            fmt(r.mean),
            fmt(r.sd),
            fmt(r.min),
            fmt(r.max),
            String(r.nonTerminating),
          ]),
        ),
      );
    });
}
