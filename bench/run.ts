// npm run bench: every benchmark figure the project reports, as medians of several runs.
import { benchCore } from "./core.js";
import { type BenchFigure, formatFigure } from "./harness.js";

type Suite = [name: string, load: () => Promise<() => Promise<BenchFigure[]>>];

const suites: Suite[] = [
  ["core", async () => benchCore],
  ["io", async () => (await import("./io.js")).benchIo],
  ["learning", async () => (await import("./learning.js")).benchLearning],
  ["sepsisim", async () => (await import("./sepsisim.js")).benchSepsisim],
  ["oberst", async () => (await import("./oberst.js")).benchOberst],
  ["builder", async () => (await import("./builder.js")).benchBuilder],
  ["native", async () => (await import("./native.js")).benchNative],
];

const only = process.argv.slice(2);
for (const [name, load] of suites) {
  if (only.length > 0 && !only.includes(name)) continue;
  process.stdout.write(`\n== ${name}\n`);
  const figures = await (await load())();
  for (const f of figures) process.stdout.write(`${formatFigure(f)}\n`);
}
