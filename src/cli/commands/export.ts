import { type Command, Option } from "@commander-js/extra-typings";
import {
  checkOutputPath,
  DENSE_LIMIT_BYTES,
  defaultLayout,
  denseTransitionBytes,
  readMdpDir,
  writeMdpDir,
} from "../../io/index.js";
import { printJson, printLines, warn } from "../output.js";
import { progressBar } from "../progress.js";
import { readOptions, rowSumToleranceOption } from "../vocabulary.js";

export function registerExport(root: Command): void {
  root
    .command("export")
    .description("Read an MDP folder (validating it) and write it back in the ICU-Sepsis layout, flat")
    .argument("<dir>", "folder in the ICU-Sepsis layout (dense or sparse, plain or gzipped, flat or extras/)")
    .argument("<out>", "output folder (created or replaced as a whole, atomically)")
    .option("--gzip", "write .csv.gz files")
    .addOption(
      new Option(
        "--layout <layout>",
        "transition table: dense transitionFunction.csv or sparse transitions.csv " +
          "(default: dense when under ~200 MB, else sparse)",
      ).choices(["dense", "sparse"] as const),
    )
    .addOption(rowSumToleranceOption())
    .option("--json", "print JSON")
    .addHelpText(
      "after",
      "\nExample:\n  tabmdp export ../icu-sepsis runs/icu-plain\n  tabmdp export runs/icu-plain runs/icu-gz --gzip\n" +
        "  tabmdp export runs/big runs/big-sparse --layout sparse",
    )
    .action(async (dir, out, o) => {
      await checkOutputPath(out, "folder");
      // Two phases, read then write: the reader and writer stream, so a finer count would be a guess.
      const bar = progressBar(2, "export", { unit: "phases (read, write)", json: o.json });
      bar.update(0);
      const m = await readMdpDir(dir, readOptions(o));
      bar.update(1);
      const layout = o.layout ?? defaultLayout(m);
      if (o.layout === undefined && layout === "sparse")
        warn(
          `the dense transition table would take ~${(denseTransitionBytes(m) / 1e6).toFixed(0)} MB ` +
            `(over ${DENSE_LIMIT_BYTES / 1e6} MB): writing the sparse transitions.csv (--layout dense to override)`,
        );
      const t0 = performance.now();
      const files = await writeMdpDir(m, out, { gzip: o.gzip === true, layout });
      const ms = performance.now() - t0;
      bar.update(2);
      bar.stop();
      if (o.json) return printJson({ out, gzip: o.gzip === true, layout, files, ms });
      printLines([...files.map((f) => `wrote ${f}`), `${files.length} files in ${ms.toFixed(0)} ms`]);
    });
}
