import type { Command } from "@commander-js/extra-typings";
import { BUILD_PHASES, buildFromSimulator } from "../../builder/build.js";
import { VERSION } from "../../core/version.js";
import { checkOutputPath, writeMdpDir } from "../../io/index.js";
import { printJson, printLines } from "../output.js";
import { parsePositiveInt } from "../parse.js";
import { progressBar } from "../progress.js";
import { addRecipeOptions, parseThreshold, recipeFromFlags, THRESHOLD_HELP } from "../recipe-options.js";
import { seedOption } from "../vocabulary.js";

export function registerBuild(root: Command): void {
  addRecipeOptions(
    root
      .command("build")
      .description("Discretise a simulator into an ICU-Sepsis-style MDP (cohort -> k-means states -> counts)")
      .argument("<sim>", "simulator id (see `tabmdp sims`)"),
  )
    .requiredOption("--patients <n>", "number of simulated stays", parsePositiveInt)
    .addOption(seedOption("seed (same arguments, byte-identical output)"))
    .requiredOption("--out <dir>", "output folder")
    .option("--threshold <t>", THRESHOLD_HELP, parseThreshold, 20)
    .option("--gzip", "write .csv.gz tables")
    .option("--json", "print the build summary as JSON")
    .addHelpText(
      "after",
      "\nExample:\n  tabmdp build sepsisim/sepsis-management --tier medium --patients 5000 --seed 1 --out mdp-sm\n",
    )
    .action(async (sim, o) => {
      await checkOutputPath(o.out, "folder");
      const bar = progressBar(BUILD_PHASES.length * 100, "build", { json: o.json });
      const t0 = performance.now();
      const built = buildFromSimulator({
        ...recipeFromFlags(sim, o),
        patients: o.patients,
        seed: o.seed,
        threshold: o.threshold,
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
