import type { Command } from "@commander-js/extra-typings";
import { fidelity, namedPolicy } from "../../builder/fidelity.js";
import { readMdpDir } from "../../io/index.js";
import { fmt, printJson, printLines, table } from "../output.js";
import { parsePositiveInt } from "../parse.js";
import { resolvePolicy } from "../policy-arg.js";
import { progressBar } from "../progress.js";
import { readOptions, rowSumToleranceOption, seedOption } from "../vocabulary.js";

export function registerFidelity(root: Command): void {
  root
    .command("fidelity")
    .description("Run an MDP's policy in the simulator it was built from; simulated vs predicted survival")
    .argument("<dir>", "MDP folder written by `tabmdp build`")
    .option("--policy <p>", "optimal | expert | random | FILE.csv", "optimal")
    .option("--patients <n>", "simulated stays", parsePositiveInt, 2000)
    .addOption(seedOption())
    .addOption(rowSumToleranceOption())
    .option("--json", "print JSON")
    .addHelpText(
      "after",
      "\nEach block: observation -> saved normalisation -> nearest centroid -> state -> action -> the bins'\n" +
        "median doses. Predicted = the policy's exact value in the MDP (survival probability).\n\n" +
        "Example:\n  tabmdp fidelity data/sepsispilot-septic-shock --policy optimal --patients 5000 --seed 1",
    )
    .action(async (dir, o) => {
      const m = await readMdpDir(dir, readOptions(o));
      const p = o.policy;
      const pi =
        p === "optimal" || p === "expert" || p === "random"
          ? namedPolicy(m, p)
          : await resolvePolicy(m, p, 1, readOptions(o));
      const bar = progressBar(o.patients, "fidelity", { unit: "stays", json: o.json });
      const row = fidelity(m, o.policy, pi, {
        patients: o.patients,
        seed: o.seed,
        onPatient: (d) => bar.update(d),
      });
      bar.stop();
      if (o.json) return printJson(row);
      const s = row.simulated;
      printLines(
        table(
          ["policy", "predicted", "simulated", "95 % interval", "gap"],
          [
            [
              row.policy,
              fmt(row.predicted),
              fmt(s.estimate),
              `[${fmt(s.low)}, ${fmt(s.high)}]`,
              fmt(row.gap),
            ],
          ],
        ),
      );
    });
}
