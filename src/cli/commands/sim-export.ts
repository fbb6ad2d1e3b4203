import { type Command, Option } from "@commander-js/extra-typings";
import { UsageError } from "../../core/errors.js";
import { checkOutputPath, writeMdpDir } from "../../io/index.js";
import { buildOberstSontagMdp, OBERST_VARIANTS, type OberstVariant } from "../../sim/oberst-sontag/index.js";
import { getSimulator } from "../../sim/registry.js";

interface ExportOptions {
  variant: string;
  gzip?: boolean;
  json?: boolean;
}

/** Only simulators with an exact tabular MDP can be exported; the others are continuous. */
const EXPORTABLE = ["oberst-sontag"];

async function exportCommand(id: string, out: string, o: ExportOptions): Promise<void> {
  getSimulator(id); // unknown ids: the registry's error lists the valid ones
  if (!EXPORTABLE.includes(id)) {
    throw new UsageError(
      `simulator "${id}" has no exact tabular MDP to export; exportable: ${EXPORTABLE.join(", ")} ` +
        "(continuous simulators need a learned MDP instead)",
    );
  }
  await checkOutputPath(out, "folder");
  const variant = o.variant as OberstVariant;
  const m = buildOberstSontagMdp(variant);
  await writeMdpDir(m, out, { gzip: o.gzip === true });
  const summary = {
    id,
    variant,
    out,
    gzip: o.gzip === true,
    states: m.nS,
    actions: m.nA,
    nonZeros: m.next.length,
    terminalStates: m.terminalS.reduce((a, b) => a + b, 0),
    gamma: m.metadata.gamma ?? null,
  };
  process.stdout.write(
    o.json
      ? `${JSON.stringify(summary, null, 2)}\n`
      : `wrote ${id} (${variant}) to ${out}: ${summary.states} states, ${summary.actions} actions, ` +
          `${summary.nonZeros} non-zeros, ${summary.terminalStates} terminal states\n`,
  );
}

/** `tabmdp sim export <id> <out>`: write a simulator's exact MDP in the ICU-Sepsis CSV layout. */
export function addSimExportCommand(sim: Command): void {
  sim
    .command("export")
    .description("write a simulator's exact tabular MDP as ICU-Sepsis-style CSV tables (oberst-sontag only)")
    .argument("<id>", "simulator id (oberst-sontag)")
    .argument("<out>", "output folder")
    .addOption(
      new Option("--variant <variant>", "simulator variant: master (published) or sim-v2")
        .choices([...OBERST_VARIANTS])
        .default("master"),
    )
    .option("--gzip", "gzip the CSV tables")
    .option("--json", "print a JSON summary")
    .action(exportCommand);
}
