// npx tsx bench/cli-phases.ts [DIR]: where the time of `tabmdp baselines DIR --json` goes after start-up, in one
// fresh process as the command runs it (every step cold, then warm): gunzip alone, the transition table, the
// whole folder, then baselines three times (docs/performance.md, "Command start-up"). DIR defaults to the
// ICU-Sepsis tables beside the project. Node's start and the module imports are what `tabmdp --help` takes.
import { createReadStream } from "node:fs";
import { join, resolve } from "node:path";
import { createGunzip } from "node:zlib";
import { baselines } from "../solvers/baselines.js";
import { readStochasticCsr } from "../src/io/matrix-reader.js";
import { throwingSink } from "../src/io/problems.js";
import { readMdpDir } from "../src/io/read-dir.js";

const dir = resolve(process.argv[2] ?? join(import.meta.dirname, "../../shared/icu-sepsis"));
const table = join(dir, "transitionFunction.csv.gz");

async function timed(label: string, f: () => unknown): Promise<void> {
  const t0 = performance.now();
  await f();
  process.stdout.write(`${label.padEnd(58)} ${(performance.now() - t0).toFixed(1).padStart(7)} ms\n`);
}

await timed("gunzip of the transition table alone (bytes discarded)", async () => {
  const gz = createReadStream(table, { highWaterMark: 1 << 20 }).pipe(createGunzip({ chunkSize: 1 << 20 }));
  for await (const _ of gz);
});
await timed("transition table: gunzip + parse into CSR", () =>
  readStochasticCsr(table, { file: table, width: null, tolerance: 1e-9, sink: throwingSink() }),
);
let m: Awaited<ReturnType<typeof readMdpDir>> | null = null;
await timed("readMdpDir (the whole folder, the table again)", async () => {
  m = await readMdpDir(dir);
});
for (const call of ["first", "second", "third"]) await timed(`baselines, ${call} call`, () => baselines(m!));
