import { type Command, Option } from "@commander-js/extra-typings";
import { evaluatePolicy } from "../../../solvers/index.js";
import { UsageError } from "../../core/errors.js";
import { fixed } from "../../core/format.js";
import { monteCarlo } from "../../env/monte-carlo.js";
import type { InadmissibleStrategy } from "../../env/tabular-env.js";
import { readMdpDir } from "../../io/index.js";
import { resolveGamma, type TabularMdp } from "../../model/mdp.js";
import { fmt, printJson, printLines } from "../output.js";
import { parseGamma, parsePositiveInt } from "../parse.js";
import { resolvePolicy } from "../policy-arg.js";
import { progressBar } from "../progress.js";
import { deprecatedAlias, readOptions, rowSumToleranceOption, seedOption } from "../vocabulary.js";

export function registerSimulate(root: Command): void {
  const cmd = root
    .command("simulate")
    .description("Monte Carlo episodes through the env, with 95 % intervals, beside the exact values")
    .argument("<dir>", "MDP folder")
    .requiredOption("--policy <p>", "random | expert | optimal | FILE.csv")
    .option("--episodes <n>", "number of episodes", parsePositiveInt, 10_000)
    .addOption(seedOption())
    .option(
      "--gamma <g>",
      "discount of the returns, sampled and exact (default: metadata's, else 1)",
      parseGamma,
    )
    .option("--max-episode-steps <n>", "time limit per episode (truncation)", parsePositiveInt, 500)
    .addOption(rowSumToleranceOption())
    .addOption(
      new Option("--inadmissible <how>", "inadmissible actions: use the stored row, end in death, or fail")
        .choices(["mean", "terminate", "raise"] as const)
        .default("mean" as InadmissibleStrategy),
    )
    .option("--json", "print JSON")
    .addHelpText(
      "after",
      "\nExample:\n  tabmdp simulate ../icu-sepsis --policy expert --episodes 100000 --seed 1",
    )
    .action(async (dir, o) => {
      const m = await readMdpDir(dir, readOptions(o));
      const gamma = resolveGamma(m, o.gamma);
      const pi = await resolvePolicy(m, o.policy, gamma, readOptions(o));
      const bar = progressBar(o.episodes, "simulate", { unit: "episodes", json: o.json });
      const t0 = performance.now();
      const mc = monteCarlo(m, pi, {
        episodes: o.episodes,
        seed: o.seed,
        maxEpisodeSteps: o.maxEpisodeSteps,
        gamma,
        inadmissible: o.inadmissible,
        onProgress: (d) => bar.update(d),
        progressEvery: Math.max(1, Math.floor(o.episodes / 100)),
      });
      bar.stop();
      const seconds = (performance.now() - t0) / 1000;
      // The exact figures hold for the 'mean' strategy and no time limit; say so rather than mislead.
      const exact = o.inadmissible === "mean" ? exactOrNull(m, pi, gamma) : null;
      const result = {
        policy: o.policy,
        seed: o.seed,
        gamma,
        episodes: mc.episodes,
        return: mc.return,
        length: mc.length,
        truncatedEpisodes: mc.truncated,
        steps: mc.steps,
        stepsPerSecond: mc.steps / seconds,
        exact: exact === null ? null : { return: exact.expectedReturn, length: exact.expectedLength },
      };
      if (o.json) return printJson(result);
      const ci = (e: { mean: number; ci95: readonly [number, number] }, d: number): string =>
        `${fixed(e.mean, d)}  (95 % CI ${fixed(e.ci95[0], d)} to ${fixed(e.ci95[1], d)})`;
      printLines([
        `${mc.episodes} episodes of policy ${o.policy}, seed ${o.seed}, gamma ${gamma} (${mc.truncated} truncated at ${o.maxEpisodeSteps} steps)`,
        `mean return  ${ci(mc.return, 4)}${exact ? `   exact ${fmt(exact.expectedReturn)}` : ""}`,
        `mean length  ${ci(mc.length, 3)}${exact ? `   exact ${fmt(exact.expectedLength, 3)}` : ""}`,
      ]);
    });
  deprecatedAlias(cmd, "max-steps", "--max-episode-steps <n>", parsePositiveInt);
}

/** Exact figures when the policy terminates surely; null otherwise (Monte Carlo is then all there is). */
function exactOrNull(
  m: TabularMdp,
  pi: Float64Array,
  gamma: number,
): { expectedReturn: number; expectedLength: number | null } | null {
  try {
    return evaluatePolicy(m, pi, { gamma });
  } catch (err) {
    if (err instanceof UsageError) return null;
    throw err;
  }
}
