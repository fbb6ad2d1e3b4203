// npm run bench: every benchmark figure the project reports, as medians of several runs.
import { benchCore } from "./core.js";
import { type BenchFigure, formatFigure } from "./harness.js";

/** A suite flagged opt-in runs only when named (`npm run bench -- scale`): it takes minutes. */
type Suite = [name: string, load: () => Promise<() => Promise<BenchFigure[]>>, optIn?: boolean];

const suites: Suite[] = [
  ["core", async () => benchCore],
  ["io", async () => (await import("./io.js")).benchIo],
  ["learning", async () => (await import("./learning.js")).benchLearning],
  ["sepsisim", async () => (await import("./sepsisim.js")).benchSepsisim],
  ["oberst", async () => (await import("./oberst.js")).benchOberst],
  ["builder", async () => (await import("./builder.js")).benchBuilder],
  ["native", async () => (await import("./native.js")).benchNative],
  ["scale", async () => (await import("./scale.js")).benchScale, true],
];

const only = process.argv.slice(2).filter((a) => !a.startsWith("--"));
for (const [name, load, optIn] of suites) {
  if (only.length > 0 ? !only.includes(name) : optIn === true) continue;
  process.stdout.write(`\n== ${name}\n`);
  const figures = await (await load())();
  for (const f of figures) process.stdout.write(`${formatFigure(f)}\n`);
}
