import { join } from "node:path";
import { type Command, Option } from "@commander-js/extra-typings";
import { ALGOS, PARAMS } from "../../../solvers/learning/params.js";
import { atomicWrite, writeCsvAtomic } from "../../io/atomic.js";
import { checkOutputPath, readMdpDir } from "../../io/index.js";
import { toJson } from "../../study/outputs.js";
import { buildJobs, runSweep } from "../../study/sweep.js";
import { rankTrials, sampleTrial } from "../../study/tune.js";
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
    .option("--search-seed <s>", "seed of the hyperparameter draws", "0");
  addParamOptions(cmd);
  addRunOptions(cmd, { seeds: true });
  cmd.action(async (dir: string, raw) => {
    const o = raw as unknown as RawOptions;
    const algo = parseAlgo(o.algo);
    const base = paramsFor(algo, await paramsFile(o.params), paramsFromOptions(o));
    const trials = intOption(o, "trials", 1);
    const searchSeed = String(o.searchSeed);
    const seeds = parseSeeds(o.seeds);
    const s = sweepSettings(o);
    const out = String(o.out);
    await checkOutputPath(out, "folder");
    const m = await readMdpDir(dir);
    const sets = Array.from({ length: trials }, (_, t) => ({
      params: sampleTrial(algo, base, searchSeed, t),
      trial: t,
    }));
    const ctl = runControls("tune");
    try {
      const { results, manifest } = await runSweep(
        m,
        buildJobs(sets, { ...s, seeds }),
        {
          ...s,
          seeds,
          source: dir,
          command: `tabmdp ${process.argv.slice(2).join(" ")}`,
          shard: shardOption(o),
          workers: intOption(o, "workers", 0),
          out,
        },
        ctl,
      );
      ctl.close();
      const ranked = rankTrials(results);
      const keys = PARAMS.map((p) => p.key);
      await writeCsvAtomic(
        join(out, "trials.csv"),
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
      const best = ranked[0];
      if (best !== undefined) await atomicWrite(join(out, "best.json"), toJson({ [algo]: best.params }));
      process.stdout.write("rank trial score  greedy  params\n");
      for (const [i, t] of ranked.slice(0, 10).entries()) {
        const p = t.params;
        process.stdout.write(
          `${String(i + 1).padStart(4)} ${String(t.trial).padStart(5)} ${t.score.toFixed(4)} ${t.finalGreedy.toFixed(4)}  ` +
            `alpha ${p.alpha.toPrecision(3)} ${p.alphaSchedule} omega ${p.omega.toFixed(2)} eps ${p.epsilon.toFixed(3)} ` +
            `${p.exploreSchedule}->${p.exploreEnd.toPrecision(2)} lambda ${p.lambda.toFixed(2)}\n`,
        );
      }
      process.stdout.write(
        `${manifest.finishedJobs} runs in ${manifest.wallSeconds.toFixed(1)} s; best written to ${join(out, "best.json")} ` +
          `(use it with tabmdp bench --params)\n`,
      );
      if (manifest.interrupted) process.exitCode = 130;
    } finally {
      ctl.close();
    }
  });
}
