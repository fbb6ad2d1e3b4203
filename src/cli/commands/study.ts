import { type Command, InvalidArgumentError } from "@commander-js/extra-typings";
import { atomicWrite, checkOutputPath, readMdpDir } from "../../io/index.js";
import { linePlot } from "../../report/svg.js";
import { perturbStudy, thresholdStudy, unperturbed } from "../../study/builder-studies.js";
import { fmt, printJson, printLines, table } from "../output.js";
import { parsePositiveInt, parseSeed } from "../parse.js";

function parseList(text: string): number[] {
  const xs = text.split(",").map(Number);
  if (xs.some((x) => !Number.isFinite(x) || x < 0))
    throw new InvalidArgumentError(`expected numbers, got "${text}"`);
  return xs;
}

export function registerStudy(root: Command): void {
  const study = root.command("study").description("Studies of the MDP builder's choices");
  study
    .command("threshold")
    .description(
      "Build at several admissibility thresholds; predicted vs simulated survival of three policies",
    )
    .argument("<sim>", "simulator id")
    .option("--tier <t>", "difficulty tier")
    .requiredOption("--patients <n>", "stays in the cohort", parsePositiveInt)
    .requiredOption("--seed <s>", "seed", parseSeed)
    .option("--thresholds <list>", "comma-separated thresholds", parseList, [5, 20])
    .option("--k <k>", "k-means states", parsePositiveInt)
    .option("--check-patients <n>", "stays simulated per policy", parsePositiveInt, 2000)
    .option("--json", "print JSON")
    .action(async (sim, o) => {
      const rows = thresholdStudy(
        {
          simulator: sim,
          ...(o.tier === undefined ? {} : { tier: o.tier }),
          patients: o.patients,
          seed: o.seed,
          ...(o.k === undefined ? {} : { k: o.k }),
        },
        o.thresholds,
        { patients: o.checkPatients, seed: o.seed + 1 },
      );
      if (o.json) return printJson(rows);
      printLines(
        table(
          ["threshold", "states", "pairs", "policy", "predicted", "simulated", "95 % interval", "gap"],
          rows.map((r) => [
            String(r.threshold),
            String(r.states),
            String(r.admissiblePairs),
            r.policy,
            fmt(r.predicted),
            fmt(r.simulated.estimate),
            `[${fmt(r.simulated.low)}, ${fmt(r.simulated.high)}]`,
            fmt(r.gap),
          ]),
        ),
      );
    });
  study
    .command("perturb")
    .description("Drop each admissible action with probability p, re-apply the mean rule, evaluate exactly")
    .argument("<dir>", "MDP folder")
    .option("--p <list>", "comma-separated probabilities", parseList, [0.1, 0.2, 0.3, 0.5, 0.7])
    .option("--repeats <n>", "perturbed MDPs per p", parsePositiveInt, 32)
    .requiredOption("--seed <s>", "seed", parseSeed)
    .option("--svg <file>", "write a plot of mean ± sd against p")
    .option("--json", "print JSON")
    .action(async (dir, o) => {
      if (o.svg) await checkOutputPath(o.svg, "file");
      const m = await readMdpDir(dir);
      const rows = [...unperturbed(m), ...perturbStudy(m, o.p, o.repeats, o.seed)];
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
