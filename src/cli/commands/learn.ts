import { type Command, Option } from "@commander-js/extra-typings";
import { ALGOS } from "../../../solvers/learning/params.js";
import { checkOutputPath, readMdpDir } from "../../io/index.js";
import { markdownTable } from "../../study/report.js";
import { buildJobs, runSweep } from "../../study/sweep.js";
import {
  addParamOptions,
  addRunOptions,
  intOption,
  paramsFile,
  paramsFromOptions,
  type RawOptions,
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
    .addOption(new Option("--algo <name>", "learning rule").choices(ALGOS).default("q-learning"));
  addParamOptions(cmd);
  addRunOptions(cmd, { seeds: false });
  cmd.action(async (dir: string, raw) => {
    const o = raw as unknown as RawOptions;
    const algo = parseAlgo(o.algo);
    const params = paramsFor(algo, await paramsFile(o.params), paramsFromOptions(o));
    const seed = intOption(o, "seed", 0);
    const s = sweepSettings(o);
    await checkOutputPath(String(o.out), "folder");
    const m = await readMdpDir(dir);
    const jobs = buildJobs([{ params, trial: null }], { ...s, seeds: [seed] });
    const ctl = runControls("learn");
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
          out: String(o.out),
        },
        ctl,
      );
      const r = results[0];
      process.stdout.write(markdownTable(summary));
      if (r !== undefined) {
        process.stdout.write(
          `${r.steps.toLocaleString("en-US")} steps in ${(r.learnMs / 1000).toFixed(2)} s learning ` +
            `(${(r.steps / r.learnMs / 1000).toFixed(2)} M steps/s), ${(r.evalMs / 1000).toFixed(2)} s exact evaluation; ` +
            `optimal ${manifest.reference.optimal.toFixed(4)}; outputs in ${String(o.out)}\n`,
        );
      }
      if (manifest.interrupted) process.exitCode = 130;
    } finally {
      ctl.close();
    }
  });
}
