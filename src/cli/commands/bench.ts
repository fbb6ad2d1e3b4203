import type { Command } from "@commander-js/extra-typings";
import { UsageError } from "../../core/errors.js";
import { checkOutputPath, readMdpDir } from "../../io/index.js";
import { markdownTable } from "../../study/report.js";
import { buildJobs, mergeRuns, runSweep } from "../../study/sweep.js";
import {
  addParamOptions,
  addRunOptions,
  intOption,
  paramsFile,
  paramsFromOptions,
  parseSeeds,
  type RawOptions,
  runControls,
  shardOption,
  sweepSettings,
} from "./learning-options.js";
import { paramsFor, parseAlgo } from "./learning-params.js";

/** `tabmdp bench DIR --algos ...` (a learning study over seeds) and `tabmdp bench merge RUNDIRS... --out DIR`. */
export function registerBenchCommand(root: Command): void {
  const bench = root
    .command("bench")
    .description(
      "Learning study: several learners x seeds, in parallel, with a Table-3-like summary and plots",
    )
    .argument("<dir>", "MDP folder")
    .option(
      "--algos <list>",
      "comma-separated algorithms",
      "q-learning,sarsa,expected-sarsa,double-q,sarsa-lambda",
    );
  addParamOptions(bench);
  addRunOptions(bench, { seeds: true });
  bench.action(async (dir: string, raw) => {
    const o = raw as unknown as RawOptions;
    const algos = String(o.algos).split(",").map(parseAlgo);
    const file = await paramsFile(o.params);
    const flags = paramsFromOptions(o);
    const seeds = parseSeeds(o.seeds);
    const s = sweepSettings(o);
    await checkOutputPath(String(o.out), "folder");
    const m = await readMdpDir(dir);
    const jobs = buildJobs(
      algos.map((a) => ({ params: paramsFor(a, file, flags), trial: null })),
      { ...s, seeds },
    );
    const ctl = runControls("bench");
    try {
      const { summary, manifest } = await runSweep(
        m,
        jobs,
        {
          ...s,
          seeds,
          source: dir,
          command: `tabmdp ${process.argv.slice(2).join(" ")}`,
          shard: shardOption(o),
          workers: intOption(o, "workers", 0),
          out: String(o.out),
        },
        ctl,
      );
      ctl.close();
      process.stdout.write(markdownTable(summary));
      process.stdout.write(
        `${manifest.finishedJobs}/${manifest.jobs.length} runs in ${manifest.wallSeconds.toFixed(1)} s; ` +
          `optimal ${manifest.reference.optimal.toFixed(4)}; outputs in ${String(o.out)}\n`,
      );
      if (manifest.interrupted) process.exitCode = 130;
    } finally {
      ctl.close();
    }
  });
  bench
    .command("merge")
    .description("Combine the run folders of a sharded sweep")
    .argument("<rundirs...>", "run folders written with --shard")
    .option("--out <dir>", "merged run folder (required)")
    .action(async (dirs: string[], o: { out?: string }) => {
      // The root parses options anywhere, so `--out` after the folders may land on `bench` itself.
      const out = o.out ?? (bench.opts() as RawOptions).out;
      if (typeof out !== "string") throw new UsageError("bench merge: --out <dir> is required");
      await checkOutputPath(out, "folder");
      const { summary, manifest } = await mergeRuns(dirs, out);
      process.stdout.write(markdownTable(summary));
      process.stdout.write(`${manifest.finishedJobs} runs merged from ${dirs.length} folders into ${out}\n`);
    });
}
