import type { Command } from "@commander-js/extra-typings";
import { UsageError } from "../../core/errors.js";
import { checkOutputPath, readMdpDir } from "../../io/index.js";
import { describeOptimum } from "../../study/manifest.js";
import { markdownTable } from "../../study/report.js";
import { buildJobs, mergeRuns, runSweep } from "../../study/sweep.js";
import { printJson } from "../output.js";
import { readOptions, rowSumToleranceOption } from "../vocabulary.js";
import {
  addParamOptions,
  addRunOptions,
  intText,
  type LearningOptions,
  paramsFile,
  paramsFromOptions,
  parseSeeds,
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
      "comma-separated algorithms (spaces after the commas are fine)",
      "q-learning,sarsa,expected-sarsa,double-q,sarsa-lambda",
    )
    .addOption(rowSumToleranceOption());
  addParamOptions(bench);
  addRunOptions(bench, { seeds: true });
  bench.action(async (dir, raw) => {
    const o: LearningOptions = raw;
    const algos = raw.algos.split(",").map(parseAlgo);
    const file = await paramsFile(o.params);
    const flags = paramsFromOptions(o);
    const seeds = parseSeeds(o.seeds);
    const s = sweepSettings(o);
    await checkOutputPath(s.out, "folder");
    const m = await readMdpDir(dir, readOptions(raw));
    const jobs = buildJobs(
      algos.map((a) => ({ params: paramsFor(a, file, flags), trial: null })),
      { ...s, seeds },
    );
    const ctl = runControls("bench", { json: o.json });
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
          workers: intText(o.workers, "workers", 0),
        },
        ctl,
      );
      ctl.close();
      if (o.json) {
        printJson({
          out: s.out,
          references: manifest.references,
          summary,
          finishedJobs: manifest.finishedJobs,
          jobs: manifest.jobs.length,
          interrupted: manifest.interrupted,
          wallSeconds: manifest.wallSeconds,
        });
      } else {
        process.stdout.write(markdownTable(summary));
        process.stdout.write(
          `${manifest.finishedJobs}/${manifest.jobs.length} runs in ${manifest.wallSeconds.toFixed(1)} s; ` +
            `${describeOptimum(manifest.references)}; outputs in ${s.out}\n`,
        );
      }
      if (manifest.interrupted || ctl.signal.aborted) process.exitCode = 130;
    } finally {
      ctl.close();
    }
  });
  bench
    .command("merge")
    .description("Combine the run folders of a sharded sweep")
    .argument("<rundirs...>", "run folders written with --shard")
    .option("--out <dir>", "merged run folder (required)")
    .option("--json", "print JSON (the summary table's figures and where the outputs are)")
    .option("--force", "replace the run files in --out")
    .option("--include-partial", "average runs stopped early with the complete ones")
    .action(async (dirs, o) => {
      // The root parses options anywhere, so options after the folders may land on `bench` itself.
      const parent: LearningOptions = bench.opts();
      const out = o.out ?? parent.out;
      const json = o.json ?? parent.json ?? false;
      if (typeof out !== "string") throw new UsageError("bench merge: --out <dir> is required");
      await checkOutputPath(out, "folder");
      const { summary, manifest } = await mergeRuns(dirs, out, {
        mode: o.force === true || parent.force === true ? "force" : "new",
        includePartial: o.includePartial === true || parent.includePartial === true,
        command: `tabmdp ${process.argv.slice(2).join(" ")}`,
      });
      if (json) {
        return printJson({
          out,
          mergedFrom: dirs,
          references: manifest.references,
          summary,
          finishedJobs: manifest.finishedJobs,
          jobs: manifest.jobs.length,
          interrupted: manifest.interrupted,
        });
      }
      process.stdout.write(markdownTable(summary));
      process.stdout.write(
        `${manifest.finishedJobs}/${manifest.jobs.length} runs complete, merged from ${dirs.length} folders into ${out}\n`,
      );
    });
}
