import type { Command } from "@commander-js/extra-typings";
import { checkOutputPath, readMdpDir, writeMdpDir } from "../../io/index.js";

const printJson = (v: unknown): void => void process.stdout.write(`${JSON.stringify(v, null, 2)}\n`);
const printLines = (lines: readonly string[]): void => void process.stdout.write(`${lines.join("\n")}\n`);

export function registerExport(root: Command): void {
  root
    .command("export")
    .description("Read an MDP folder (validating it) and write it back in the ICU-Sepsis layout, flat")
    .argument("<dir>", "folder in the ICU-Sepsis layout (plain or gzipped CSVs, flat or under extras/)")
    .argument("<out>", "output folder (created or replaced as a whole, atomically)")
    .option("--gzip", "write .csv.gz files")
    .option("--json", "print JSON")
    .addHelpText(
      "after",
      "\nExample:\n  tabmdp export ../icu-sepsis runs/icu-plain\n  tabmdp export runs/icu-plain runs/icu-gz --gzip",
    )
    .action(async (dir, out, o) => {
      await checkOutputPath(out, "folder");
      const m = await readMdpDir(dir);
      const t0 = performance.now();
      const files = await writeMdpDir(m, out, { gzip: o.gzip === true });
      const ms = performance.now() - t0;
      if (o.json) return printJson({ out, gzip: o.gzip === true, files, ms });
      printLines([...files.map((f) => `wrote ${f}`), `${files.length} files in ${ms.toFixed(0)} ms`]);
    });
}
