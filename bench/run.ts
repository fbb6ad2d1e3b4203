// npm run bench: every benchmark figure the project reports, as medians of several runs.
// `npm run bench -- --json [suites]` prints one JSON object per line instead (the machine first, then each
// figure), which `npm run docs:performance` turns into the table in docs/performance.md.
import { cpus, platform } from "node:os";
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
  ["cli", async () => (await import("./cli.js")).benchCli],
  ["scale", async () => (await import("./scale.js")).benchScale, true],
];

const args = process.argv.slice(2);
const json = args.includes("--json");
const only = args.filter((a) => !a.startsWith("--"));
if (json) {
  const cpu = cpus();
  const machine = { cpu: cpu[0]?.model.trim() ?? "unknown", cores: cpu.length, node: process.version };
  process.stdout.write(`${JSON.stringify({ kind: "machine", ...machine, platform: platform() })}\n`);
}
for (const [name, load, optIn] of suites) {
  if (only.length > 0 ? !only.includes(name) : optIn === true) continue;
  if (!json) process.stdout.write(`\n== ${name}\n`);
  const figures = await (await load())();
  for (const f of figures) {
    process.stdout.write(
      json ? `${JSON.stringify({ kind: "figure", suite: name, ...f })}\n` : `${formatFigure(f)}\n`,
    );
  }
}
