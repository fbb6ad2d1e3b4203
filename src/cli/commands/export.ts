import type { Command } from "@commander-js/extra-typings";
import { checkOutputPath, readMdpDir, writeMdpDir } from "../../io/index.js";
import { printJson, printLines } from "../output.js";
import { progressBar } from "../progress.js";
import { readOptions, rowSumToleranceOption } from "../vocabulary.js";

export function registerExport(root: Command): void {
  root
    .command("export")
    .description("Read an MDP folder (validating it) and write it back in the ICU-Sepsis layout, flat")
    .argument("<dir>", "folder in the ICU-Sepsis layout (plain or gzipped CSVs, flat or under extras/)")
    .argument("<out>", "output folder (created or replaced as a whole, atomically)")
    .option("--gzip", "write .csv.gz files")
    .addOption(rowSumToleranceOption())
    .option("--json", "print JSON")
    .addHelpText(
      "after",
      "\nExample:\n  tabmdp export ../icu-sepsis runs/icu-plain\n  tabmdp export runs/icu-plain runs/icu-gz --gzip",
    )
    .action(async (dir, out, o) => {
      await checkOutputPath(out, "folder");
      // Two phases, read then write: the reader and writer stream, so a finer count would be a guess.
      const bar = progressBar(2, "export", { unit: "phases (read, write)", json: o.json });
      bar.update(0);
      const m = await readMdpDir(dir, readOptions(o));
      bar.update(1);
      const t0 = performance.now();
      const files = await writeMdpDir(m, out, { gzip: o.gzip === true });
      const ms = performance.now() - t0;
      bar.update(2);
      bar.stop();
      if (o.json) return printJson({ out, gzip: o.gzip === true, files, ms });
      printLines([...files.map((f) => `wrote ${f}`), `${files.length} files in ${ms.toFixed(0)} ms`]);
    });
}
