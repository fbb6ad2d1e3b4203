import { join } from "node:path";
import { type Command, Option } from "@commander-js/extra-typings";
import { ALGOS, PARAMS } from "../../../solvers/learning/params.js";
import { fixed } from "../../core/format.js";
import { atomicWrite, writeCsvAtomic } from "../../io/atomic.js";
import { checkOutputPath, readMdpDir } from "../../io/index.js";
import type { JobResult } from "../../study/job.js";
import { toJson } from "../../study/outputs.js";
import { buildJobs, runSweep } from "../../study/sweep.js";
import { rankTrials, SPACES, sampleTrial } from "../../study/tune.js";
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
import { givenParams, parseAlgo } from "./learning-params.js";

/** `tabmdp tune DIR --algo NAME --trials T --seeds K`: random hyperparameter search, best by late return. */
export function registerTuneCommand(root: Command): void {
  const cmd = root
    .command("tune")
    .description(
      "Random hyperparameter search for one learner; ranks trials by the mean return of the last 10 % of episodes",
    )
    .argument("<dir>", "MDP folder")
    .addOption(new Option("--algo <name>", "learning rule").choices(ALGOS).default("q-learning"))
    .option("--trials <t>", "number of random trials", "20")
    .option("--search-seed <s>", "seed of the hyperparameter draws", "0")
    .addOption(
      new Option(
        "--space <name>",
        "search family: tabmdp (step-size and epsilon schedules, omega, lambda) or paper (constant step size, " +
          "epsilon linear from 1 to an end value over a fraction of the run, as the ICU-Sepsis experiments)",
      )
        .choices(SPACES)
        .default("tabmdp" as const),
    )
    .addOption(rowSumToleranceOption())
    .addHelpText(
      "after",
      "\nHyperparameters given as flags or in --params are held fixed; the others in the search space are drawn.",
    );
  addParamOptions(cmd);
  addRunOptions(cmd, { seeds: true });
  cmd.action(async (dir, raw) => {
    const o: LearningOptions = raw;
    const algo = parseAlgo(raw.algo);
    const given = givenParams(algo, await paramsFile(o.params), paramsFromOptions(o));
    const trials = intText(raw.trials, "trials", 1);
    const searchSeed = raw.searchSeed;
    const seeds = parseSeeds(o.seeds);
    const s = sweepSettings(o);
    const out = s.out;
    await checkOutputPath(out, "folder");
    const m = await readMdpDir(dir, readOptions(raw));
    const sets = Array.from({ length: trials }, (_, t) => ({
      params: sampleTrial(algo, given, searchSeed, t, { name: raw.space, episodes: s.episodes }),
      trial: t,
    }));
    const ctl = runControls("tune", { json: o.json });
    try {
      const keys = PARAMS.map((p) => p.key);
      // trials.csv and best.json go into the run folder before it is swapped in, so they always match it.
      const writeTrials = async (dir: string, results: readonly JobResult[]): Promise<void> => {
        const ranked = rankTrials(results);
        await writeCsvAtomic(
          join(dir, "trials.csv"),
          ranked.map((t, i) => [
            i + 1,
            t.trial,
            t.seeds,
            t.score,
            t.finalGreedy,
            ...keys.map((k) => t.params[k]),
          ]),
          { header: ["rank", "trial", "seeds", "last10pct_return", "exact_greedy_return", ...keys] },
        );
        const top = ranked[0];
        if (top !== undefined) await atomicWrite(join(dir, "best.json"), toJson({ [algo]: top.params }));
      };
      const { results, manifest } = await runSweep(
        m,
        buildJobs(sets, { ...s, seeds }),
        {
          ...s,
          seeds,
          source: dir,
          command: `tabmdp ${process.argv.slice(2).join(" ")}`,
          shard: shardOption(o),
          workers: intText(o.workers, "workers", 0),
        },
        { ...ctl, writeMore: writeTrials },
      );
      ctl.close();
      const ranked = rankTrials(results);
      const best = ranked[0];
      if (o.json) {
        printJson({
          out,
          best: best === undefined ? null : join(out, "best.json"),
          trials: ranked.map((t, i) => ({ rank: i + 1, ...t })),
          finishedJobs: manifest.finishedJobs,
          interrupted: manifest.interrupted,
          wallSeconds: manifest.wallSeconds,
        });
      } else {
        process.stdout.write("rank trial score  greedy  params\n");
        for (const [i, t] of ranked.slice(0, 10).entries()) {
          const p = t.params;
          process.stdout.write(
            `${String(i + 1).padStart(4)} ${String(t.trial).padStart(5)} ${fixed(t.score, 4)} ${fixed(t.finalGreedy, 4)}  ` +
              `alpha ${p.alpha.toPrecision(3)} ${p.alphaSchedule} omega ${p.omega.toFixed(2)} eps ${p.epsilon.toFixed(3)} ` +
              `${p.exploreSchedule}->${p.exploreEnd.toPrecision(2)}` +
              `${p.exploreSchedule === "constant" ? "" : ` over ${p.exploreEpisodes}`} lambda ${p.lambda.toFixed(2)}\n`,
          );
        }
        process.stdout.write(
          `${manifest.finishedJobs} runs in ${manifest.wallSeconds.toFixed(1)} s; best written to ${join(out, "best.json")} ` +
            `(use it with tabmdp bench --params)\n`,
        );
      }
      if (manifest.interrupted || ctl.signal.aborted) process.exitCode = 130;
    } finally {
      ctl.close();
    }
  });
}
