// I/O figures: loading the ICU-Sepsis tables (streaming reader vs csv-parse), peak memory, and writing them back.
import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { parse } from "csv-parse";
import { readMdpDir, writeMdpDir } from "../src/io/index.js";
import { readStochasticCsr } from "../src/io/matrix-reader.js";
import { throwingSink } from "../src/io/problems.js";
import { openByteStream } from "../src/io/source.js";
import { type BenchFigure, median, timeRuns } from "./harness.js";

const icuDir = resolve(import.meta.dirname, "../../shared/icu-sepsis");
const tFile = join(icuDir, "transitionFunction.csv.gz");

const readTransitions = () =>
  readStochasticCsr(tFile, { file: tFile, width: 716, tolerance: 1e-9, sink: throwingSink() });

/** The same job through csv-parse's stream API (cast off) plus Number() per cell, for the comparison. */
async function viaCsvParse(): Promise<number> {
  let nnz = 0;
  for await (const rec of openByteStream(tFile).pipe(parse({ cast: false }))) {
    for (const cell of rec as string[]) if (Number(cell) !== 0) nnz++;
  }
  return nnz;
}

/** Peak RSS above the starting RSS while `fn` runs, sampled every 2 ms (the reader yields between chunks). */
async function peakRssDelta(fn: () => Promise<unknown>): Promise<number> {
  const start = process.memoryUsage().rss;
  let peak = start;
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 2);
  await fn();
  clearInterval(timer);
  peak = Math.max(peak, process.memoryUsage().rss);
  return (peak - start) / 2 ** 20;
}

export async function benchIo(): Promise<BenchFigure[]> {
  if (!existsSync(tFile)) {
    process.stderr.write("bench: ICU-Sepsis tables not found beside the project; io figures skipped\n");
    return [];
  }
  const figures: BenchFigure[] = [];
  const mem = await peakRssDelta(readTransitions);
  const tRuns = await timeRuns(readTransitions, 7);
  figures.push({
    name: "load transitionFunction.csv.gz (17900 x 716, gunzip + parse)",
    median: median(tRuns),
    unit: "ms",
    runs: tRuns.length,
    target: "<= 500 ms",
  });
  figures.push({
    name: "  peak RSS above start during that load",
    median: mem,
    unit: "MB",
    runs: 1,
    target: "<= 400 MB",
  });
  const dirRuns = await timeRuns(() => readMdpDir(icuDir), 5);
  figures.push({
    name: "readMdpDir(ICU-Sepsis folder, all 8 files)",
    median: median(dirRuns),
    unit: "ms",
    runs: 5,
  });
  const m = await readMdpDir(icuDir);
  const out = await mkdtemp(join(tmpdir(), "tabmdp-bench-io-"));
  try {
    for (const gzip of [false, true]) {
      const w = await timeRuns(() => writeMdpDir(m, out, { gzip }), 3, 0);
      figures.push({ name: `writeMdpDir(ICU-Sepsis, gzip ${gzip})`, median: median(w), unit: "ms", runs: 3 });
    }
  } finally {
    await rm(out, { recursive: true, force: true });
  }
  const cp = await timeRuns(viaCsvParse, 1, 0);
  figures.push({
    name: "  for comparison: csv-parse stream + Number() per cell",
    median: median(cp),
    unit: "ms",
    runs: 1,
  });
  return figures;
}
