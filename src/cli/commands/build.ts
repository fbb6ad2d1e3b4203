import { type Command, InvalidArgumentError } from "@commander-js/extra-typings";
import { BUILD_PHASES, buildFromSimulator } from "../../builder/build.js";
import { VERSION } from "../../core/version.js";
import { checkOutputPath, writeMdpDir } from "../../io/index.js";
import { printJson, printLines } from "../output.js";
import { parsePositive, parsePositiveInt, parseSeed } from "../parse.js";
import { progressBar } from "../progress.js";

function parseUnitInterval(text: string): number {
  const x = Number(text);
  if (!(x >= 0 && x <= 1)) throw new InvalidArgumentError(`expected a number in [0, 1], got "${text}"`);
  return x;
}

function parseNonNegative(text: string): number {
  const x = Number(text);
  if (!(x >= 0 && Number.isFinite(x)))
    throw new InvalidArgumentError(`expected a non-negative number, got "${text}"`);
  return x;
}

/** Drop undefined entries (exactOptionalPropertyTypes: absent options take the simulator's defaults). */
function defined<T extends Record<string, number | undefined>>(o: T): { [K in keyof T]?: number } {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as {
    [K in keyof T]?: number;
  };
}

export function registerBuild(root: Command): void {
  root
    .command("build")
    .description("Discretise a simulator into an ICU-Sepsis-style MDP (cohort -> k-means states -> counts)")
    .argument("<sim>", "simulator id (see `tabmdp sim list`)")
    .option("--tier <t>", "difficulty tier (easy | medium | hard) where the simulator has tiers")
    .requiredOption("--patients <n>", "number of simulated stays", parsePositiveInt)
    .requiredOption("--seed <s>", "seed (same arguments, byte-identical output)", parseSeed)
    .requiredOption("--out <dir>", "output folder")
    .option(
      "--k <k>",
      "number of k-means states (default: blocks / 300, between 2 and 750)",
      parsePositiveInt,
    )
    .option(
      "--restarts <n>",
      "k-means restarts, lowest inertia kept (default 3; 1 when blocks x k > 5e7)",
      parsePositiveInt,
    )
    .option("--threshold <t>", "admissible iff taken at least t times in a state", parsePositiveInt, 20)
    // Defaults below depend on the simulator (recipeDefaults); the values used go into metadata.json.
    .option(
      "--block-hours <h>",
      "simulator hours per MDP step (default 4; SepsisPilot severe MODS 1)",
      parsePositiveInt,
    )
    .option(
      "--epsilon <e>",
      "behaviour: probability of a uniformly random action (default 0.25; septic shock 0.8, severe MODS 0.4)",
      parseUnitInterval,
    )
    .option(
      "--jitter <sigma>",
      "behaviour: log-normal dose jitter (default 0.3; SepsiSim Management 0.5)",
      parseNonNegative,
    )
    .option(
      "--abx-delay <hours>",
      "behaviour: mean of the geometric antibiotic start delay (default 0; SepsiSim Management 3)",
      parseNonNegative,
    )
    .option(
      "--abx-miss <p>",
      "behaviour: probability that antibiotics are never started (default 0; SepsiSim Management 0.1)",
      parseUnitInterval,
    )
    .option("--max-iter <n>", "Lloyd iterations per restart", parsePositiveInt, 100)
    .option("--tol <t>", "Lloyd stops when no centroid moves more than this", parsePositive, 1e-4)
    .option("--gzip", "write .csv.gz tables")
    .option("--json", "print the build summary as JSON")
    .addHelpText(
      "after",
      "\nExample:\n  tabmdp build sepsisim/sepsis-management --tier medium --patients 5000 --seed 1 --out mdp-sm\n",
    )
    .action(async (sim, o) => {
      await checkOutputPath(o.out, "folder");
      const bar = progressBar(BUILD_PHASES.length * 100, "build");
      const t0 = performance.now();
      const built = buildFromSimulator({
        simulator: sim,
        ...(o.tier === undefined ? {} : { tier: o.tier }),
        patients: o.patients,
        seed: o.seed,
        ...(o.k === undefined ? {} : { k: o.k }),
        ...defined({
          restarts: o.restarts,
          blockHours: o.blockHours,
          epsilon: o.epsilon,
          jitter: o.jitter,
          abxDelay: o.abxDelay,
          abxMiss: o.abxMiss,
        }),
        threshold: o.threshold,
        maxIter: o.maxIter,
        tol: o.tol,
        toolVersion: VERSION,
        onProgress: (phase, f) => bar.update(BUILD_PHASES.indexOf(phase) * 100 + Math.round(f * 100)),
      });
      const written = await writeMdpDir(built.mdp, o.out, { gzip: o.gzip ?? false });
      bar.stop();
      const m = built.mdp;
      const b = m.metadata.builder as { counts: Record<string, number>; kmeans: Record<string, unknown> };
      const summary = {
        out: o.out,
        states: m.nS,
        actions: m.nA,
        ...b.counts,
        kmeans: b.kmeans,
        seconds: (performance.now() - t0) / 1000,
        files: written.length,
      };
      if (o.json) return printJson(summary);
      printLines([
        `${o.out}: ${m.nS} states (${m.nS - 3} + death, survival, sink), ${m.nA} actions, ` +
          `${b.counts.admissible_pairs} admissible pairs`,
        `cohort: ${o.patients} stays, ${b.counts.blocks} blocks, ${b.counts.deaths} deaths; ` +
          `${b.counts.dropped_states} states pruned in ${b.counts.prune_rounds} rounds`,
        `k-means: inertia ${Number(b.kmeans.inertia).toFixed(1)}, ${b.kmeans.iterations} iterations (${b.kmeans.stop})`,
        `${summary.seconds.toFixed(1)} s`,
      ]);
    });
}
