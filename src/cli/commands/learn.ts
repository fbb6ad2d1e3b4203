import { type Command, Option } from "@commander-js/extra-typings";
import { ALGOS } from "../../../solvers/learning/params.js";
import { checkOutputPath, readMdpDir } from "../../io/index.js";
import { describeOptimum } from "../../study/manifest.js";
import { markdownTable } from "../../study/report.js";
import { buildJobs, runSweep } from "../../study/sweep.js";
import { printJson } from "../output.js";
import { readOptions, rowSumToleranceOption, seedOption } from "../vocabulary.js";
import {
  addParamOptions,
  addRunOptions,
  type LearningOptions,
  paramsFile,
  paramsFromOptions,
  runControls,
  sweepSettings,
} from "./learning-options.js";
import { paramsFor, parseAlgo } from "./learning-params.js";

/** `tabmdp learn DIR --algo NAME ...`: one learner, one seed, the full set of outputs. */
export function registerLearnCommand(root: Command): void {
  const cmd = root
    .command("learn")
    .description("Run one tabular learner on an MDP folder, with exact evaluation of its greedy policy")
    .argument("<dir>", "MDP folder (ICU-Sepsis CSV layout)")
    .addOption(new Option("--algo <name>", "learning rule").choices(ALGOS).default("q-learning"))
    .addOption(seedOption("seed of the run (bench's seeds count from the same default)"))
    .addOption(rowSumToleranceOption());
  addParamOptions(cmd);
  addRunOptions(cmd, { seeds: false });
  cmd.action(async (dir, raw) => {
    const o: LearningOptions = raw;
    const algo = parseAlgo(raw.algo);
    const params = paramsFor(algo, await paramsFile(o.params), paramsFromOptions(o));
    const seed = raw.seed;
    const s = sweepSettings(o);
    await checkOutputPath(s.out, "folder");
    const m = await readMdpDir(dir, readOptions(raw));
    const jobs = buildJobs([{ params, trial: null }], { ...s, seeds: [seed] });
    const ctl = runControls("learn", { episodes: s.episodes, json: o.json });
    try {
      const { summary, manifest, results } = await runSweep(
        m,
        jobs,
        {
          ...s,
          seeds: [seed],
          source: dir,
          command: `tabmdp ${process.argv.slice(2).join(" ")}`,
          shard: [1, 1],
          workers: 1, // a worker keeps the main thread free to handle Ctrl-C
        },
        ctl,
      );
      ctl.close();
      const r = results[0];
      if (o.json) {
        printJson({
          out: s.out,
          references: manifest.references,
          summary,
          interrupted: manifest.interrupted,
          ...(r === undefined
            ? {}
            : { steps: r.steps, learnSeconds: r.learnMs / 1000, evalSeconds: r.evalMs / 1000 }),
        });
      } else {
        process.stdout.write(markdownTable(summary));
        if (r !== undefined) {
          process.stdout.write(
            `${r.steps.toLocaleString("en-US")} steps in ${(r.learnMs / 1000).toFixed(2)} s learning ` +
              `(${(r.steps / r.learnMs / 1000).toFixed(2)} M steps/s), ${(r.evalMs / 1000).toFixed(2)} s exact evaluation; ` +
              `${describeOptimum(manifest.references)}; outputs in ${s.out}\n`,
          );
        }
      }
      if (manifest.interrupted || ctl.signal.aborted) process.exitCode = 130;
    } finally {
      ctl.close();
    }
  });
}
