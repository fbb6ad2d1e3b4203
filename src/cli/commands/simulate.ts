import { type Command, Option } from "@commander-js/extra-typings";
import { evaluatePolicy } from "../../../solvers/index.js";
import { UsageError } from "../../core/errors.js";
import { monteCarlo } from "../../env/monte-carlo.js";
import type { InadmissibleStrategy } from "../../env/tabular-env.js";
import { readMdpDir } from "../../io/index.js";
import { defaultGamma, type TabularMdp } from "../../model/mdp.js";
import { fmt, printJson, printLines } from "../output.js";
import { parsePositiveInt, parseSeed } from "../parse.js";
import { resolvePolicy } from "../policy-arg.js";
import { progressBar } from "../progress.js";

export function registerSimulate(root: Command): void {
  root
    .command("simulate")
    .description("Monte Carlo episodes through the env, with 95 % intervals, beside the exact values")
    .argument("<dir>", "MDP folder")
    .requiredOption("--policy <p>", "random | expert | optimal | FILE.csv")
    .option("--episodes <n>", "number of episodes", parsePositiveInt, 10_000)
    .requiredOption("--seed <s>", "seed (same seed, same output)", parseSeed)
    .option("--max-steps <n>", "time limit per episode (truncation)", parsePositiveInt, 500)
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
      const m = await readMdpDir(dir);
      const gamma = defaultGamma(m);
      const pi = await resolvePolicy(m, o.policy, gamma);
      const bar = progressBar(o.episodes, "episodes");
      const t0 = performance.now();
      const mc = monteCarlo(m, pi, {
        episodes: o.episodes,
        seed: o.seed,
        maxEpisodeSteps: o.maxSteps,
        inadmissible: o.inadmissible,
        onProgress: (d) => bar.update(d),
        progressEvery: Math.max(1, Math.floor(o.episodes / 100)),
      });
      bar.stop();
      const seconds = (performance.now() - t0) / 1000;
      // The exact figures hold for the 'mean' strategy and no time limit; say so rather than mislead.
      const exact = o.inadmissible === "mean" ? exactOrNull(m, pi) : null;
      const result = {
        policy: o.policy,
        seed: o.seed,
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
        `${e.mean.toFixed(d)}  (95 % CI ${e.ci95[0].toFixed(d)} to ${e.ci95[1].toFixed(d)})`;
      printLines([
        `${mc.episodes} episodes of policy ${o.policy}, seed ${o.seed} (${mc.truncated} truncated at ${o.maxSteps} steps)`,
        `mean return  ${ci(mc.return, 4)}${exact ? `   exact ${fmt(exact.expectedReturn)}` : ""}`,
        `mean length  ${ci(mc.length, 3)}${exact ? `   exact ${fmt(exact.expectedLength, 3)}` : ""}`,
      ]);
    });
}

/** Exact figures when the policy terminates surely; null otherwise (Monte Carlo is then all there is). */
function exactOrNull(
  m: TabularMdp,
  pi: Float64Array,
): { expectedReturn: number; expectedLength: number | null } | null {
  try {
    return evaluatePolicy(m, pi, { gamma: 1 });
  } catch (err) {
    if (err instanceof UsageError) return null;
    throw err;
  }
}
