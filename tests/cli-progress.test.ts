// Progress bars on every command that can run longer than a second: drawn on stderr for a terminal, silent in
// a pipe and with --json. The terminal is a pseudo-terminal from util-linux `script` (skipped without it).
import { execFile, spawnSync } from "node:child_process";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cleanFixtures, tempDir } from "./helpers/io-fixture.js";
import { runCli } from "./helpers/run-cli.js";
import { repoRoot } from "./helpers/spawn-cli.js";

const hasScript = spawnSync("script", ["--version"], { encoding: "utf8" }).status === 0;
const demo = join(repoRoot, "data/demo");

let out = "";
let built = "";
beforeAll(async () => {
  out = await tempDir();
  built = join(out, "built");
  const build = ["sepsispilot/mild-sepsis", "--patients", "60", "--k", "3", "--seed", "1", "--out", built];
  expect((await runCli("build", ...build)).code).toBe(0);
}, 120_000);
afterAll(cleanFixtures);

let n = 0;
const fresh = (): string => join(out, `o${++n}`);

/** Each long-running command with small sizes, and the label its bar starts with. */
const LONG: readonly (readonly [string, () => string[]])[] = [
  ["export", () => ["export", demo, fresh()]],
  ["build", () => ["build", "sepsispilot/mild-sepsis", "--patients", "40", "--k", "3", "--out", fresh()]],
  ["learn", () => ["learn", demo, "--episodes", "200", "--out", fresh()]],
  ["bench", () => ["bench", demo, "--seeds", "1", "--episodes", "200", "--workers", "0", "--out", fresh()]],
  ["tune", () => ["tune", demo, "--trials", "2", "--seeds", "1", "--episodes", "200", "--out", fresh()]],
  ["simulate", () => ["simulate", demo, "--policy", "random", "--episodes", "50"]],
  ["sim run", () => ["sim", "run", "sepsispilot/mild-sepsis", "--episodes", "5"]],
  ["fidelity", () => ["fidelity", built, "--patients", "20"]],
  ["study perturb", () => ["study", "perturb", demo, "--repeats", "2", "--p", "0.5"]],
  [
    "study threshold",
    () => [
      "study",
      "threshold",
      "sepsispilot/mild-sepsis",
      "--patients",
      "40",
      "--k",
      "3",
      "--check-patients",
      "5",
    ],
  ],
  [
    "study builder-vs-exact",
    () => ["study", "builder-vs-exact", "--sizes", "100", "--k", "5", "--threshold", "2", "--seed", "1"],
  ],
];

/** Run the CLI with stdout and stderr on a pseudo-terminal; resolves to everything the terminal showed. */
async function onTerminal(args: readonly string[]): Promise<string> {
  const quoted = [process.execPath, "--import", "tsx", join(repoRoot, "src/cli/run.ts"), ...args]
    .map((a) => `'${a.replace(/'/g, "'\\''")}'`)
    .join(" ");
  const { stdout } = await promisify(execFile)("script", ["-qfec", quoted, "/dev/null"], {
    cwd: repoRoot,
    maxBuffer: 64 * 1024 * 1024,
  });
  return stdout;
}

const bar = (label: string): RegExp => new RegExp(`${label} \\[[^\\]]*\\] \\d+%`);

describe.skipIf(!hasScript)("progress bars (skipped: no `script` command to make a terminal)", () => {
  it.each(LONG)(
    "%s draws a bar on a terminal, none with --json",
    async (label, args) => {
      expect(await onTerminal(args())).toMatch(bar(label));
      expect(await onTerminal([...args(), "--json"])).not.toMatch(bar(label));
    },
    120_000,
  );
  it("no bar in a pipe", async () => {
    const r = await runCli("export", demo, fresh());
    expect(r.code).toBe(0);
    expect(r.err).toBe("");
  });
});
