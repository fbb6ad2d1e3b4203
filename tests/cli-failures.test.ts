// Every command driven into every failure it can meet: a missing or corrupt input, an unknown simulator, an
// unknown option, a reader that goes away (EPIPE). Each must end with one plain line (or nothing, for EPIPE),
// never a stack trace or an "internal error". Output-side failures (a path under a file, a read-only folder, a
// full disk, a device) are in cli-outputs.test.ts; kills during a write in io-atomic-dir and run-folder-swap.
import { spawn } from "node:child_process";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cleanFixtures, fixture, tempDir, VALID } from "./helpers/io-fixture.js";
import { runCli } from "./helpers/run-cli.js";
import { repoRoot } from "./helpers/spawn-cli.js";

afterAll(cleanFixtures);

let good = "";
let corrupt = "";
let runDir = "";
let built = "";
let out = "";
beforeAll(async () => {
  good = await fixture();
  const rows = VALID["transitionFunction.csv"]!.split("\n");
  corrupt = await fixture({ "transitionFunction.csv": ["0.5,zero,0", ...rows.slice(1)].join("\n") });
  out = await tempDir();
  runDir = join(out, "run");
  built = join(out, "built");
  const quiet = ["--workers", "0", "--out", runDir];
  expect((await runCli("bench", good, "--seeds", "1", "--episodes", "30", ...quiet)).code).toBe(0);
  const build = ["sepsispilot/mild-sepsis", "--patients", "60", "--k", "3", "--seed", "1", "--out", built];
  expect((await runCli("build", ...build)).code).toBe(0);
}, 120_000);

type Args = (input: string, o: string) => string[];
/** Commands reading an MDP folder (or, for bench merge, a run folder), with small work sizes. */
const FOLDER_COMMANDS: readonly (readonly [string, Args])[] = [
  ["info", (d) => ["info", d]],
  ["validate", (d) => ["validate", d]],
  ["baselines", (d) => ["baselines", d]],
  ["solve", (d, o) => ["solve", d, "--out", o]],
  ["evaluate", (d) => ["evaluate", d, "--policy", "random"]],
  ["evaluate --horizon", (d) => ["evaluate", d, "--policy", "random", "--horizon", "5"]],
  ["simulate", (d) => ["simulate", d, "--policy", "random", "--episodes", "20"]],
  ["export", (d, o) => ["export", d, o]],
  ["learn", (d, o) => ["learn", d, "--episodes", "30", "--out", o]],
  ["bench", (d, o) => ["bench", d, "--seeds", "1", "--episodes", "30", "--workers", "0", "--out", o]],
  [
    "tune",
    (d, o) => ["tune", d, "--trials", "1", "--seeds", "1", "--episodes", "30", "--workers", "0", "--out", o],
  ],
  ["study perturb", (d) => ["study", "perturb", d, "--repeats", "1", "--p", "0.5"]],
  ["fidelity", (d) => ["fidelity", d, "--patients", "10"]],
  ["bench merge", (d, o) => ["bench", "merge", d, "--out", o]],
];
/** Commands naming a simulator. */
const SIM_COMMANDS: readonly (readonly [string, Args])[] = [
  ["sim run", (s) => ["sim", "run", s, "--episodes", "2"]],
  ["sim export", (s, o) => ["sim", "export", s, o]],
  ["build", (s, o) => ["build", s, "--patients", "40", "--k", "3", "--out", o]],
  [
    "study threshold",
    (s) => ["study", "threshold", s, "--patients", "40", "--k", "3", "--check-patients", "5"],
  ],
];
const OTHER_COMMANDS: readonly (readonly [string, string[]])[] = [
  ["sims", ["sims"]],
  [
    "study builder-vs-exact",
    ["study", "builder-vs-exact", "--sizes", "100", "--k", "5", "--threshold", "2", "--seed", "1"],
  ],
];

/**
 * Exit 2 and one line naming `path` when given, no stack trace. The line is on stderr; validate lists its
 * problems on stdout (that list is its report). Option errors may add commander's "--help" hint.
 */
function expectOneLine(r: { code: number; out: string; err: string }, path?: string): void {
  expect(r.code, r.err).toBe(2);
  const text = r.err === "" ? r.out : r.err;
  const lines = text.trimEnd().split("\n");
  expect(
    lines.filter((l) => l !== "(run with --help for usage)" && !/^\d+ problem\(s\)$/.test(l)),
    text,
  ).toHaveLength(1);
  if (path !== undefined) expect(text).toContain(path);
  expect(r.out + r.err).not.toMatch(/\n\s+at |internal error/);
}

let n = 0;
const fresh = (): string => join(out, `o${++n}`);

describe("bad input: one line, exit 2, for every command", () => {
  it.each(FOLDER_COMMANDS)("%s: a missing folder", async (_name, args) => {
    const missing = join(out, "no-such-folder");
    expectOneLine(await runCli(...args(missing, fresh())), missing);
  });
  it.each(FOLDER_COMMANDS.filter(([name]) => name !== "bench merge"))(
    "%s: a corrupt table is located (file:line:col)",
    async (_name, args) => {
      const r = await runCli(...args(corrupt, fresh()));
      expectOneLine(r, "transitionFunction.csv:1:2");
    },
  );
  it("bench merge: an MDP folder is not a run folder", async () => {
    expectOneLine(await runCli("bench", "merge", good, "--out", fresh()), good);
  });
  it.each(SIM_COMMANDS)("%s: an unknown simulator", async (_name, args) => {
    expectOneLine(await runCli(...args("no-such-sim", fresh())), "no-such-sim");
  });
  it.each([
    ...FOLDER_COMMANDS.map(([name, args]) => [name, args(good, "OUT")] as const),
    ...SIM_COMMANDS.map(([name, args]) => [name, args("oberst-sontag", "OUT")] as const),
    ...OTHER_COMMANDS,
  ])("%s: an unknown option", async (_name, args) => {
    const r = await runCli(...args.map((a) => (a === "OUT" ? fresh() : a)), "--no-such-option");
    expectOneLine(r);
    expect(r.err).toContain("--no-such-option");
  });
});

/** Run the CLI with its stdout closed before it writes anything (`tabmdp ... | true`). */
function withReaderGone(args: readonly string[]): Promise<{ code: number | null; err: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", join(repoRoot, "src/cli/run.ts"), ...args], {
      cwd: repoRoot,
    });
    child.stdout.destroy();
    let err = "";
    child.stderr.on("data", (c: Buffer) => {
      err += c.toString();
    });
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, err }));
  });
}

describe("a reader that goes away (EPIPE): a quiet exit for every command", () => {
  const cases = [
    ...FOLDER_COMMANDS.filter(([name]) => !["fidelity", "bench merge"].includes(name)).map(
      ([name, args]) => [name, () => args(good, fresh())] as const,
    ),
    ["fidelity", () => ["fidelity", built, "--patients", "10"]] as const,
    ["bench merge", () => ["bench", "merge", runDir, "--out", fresh()]] as const,
    ...SIM_COMMANDS.map(
      ([name, args]) =>
        [
          name,
          () => args(name === "sim export" ? "oberst-sontag" : "sepsispilot/mild-sepsis", fresh()),
        ] as const,
    ),
    ...OTHER_COMMANDS.map(([name, args]) => [name, () => args] as const),
  ];
  it.each(cases)(
    "%s",
    async (_name, args) => {
      const r = await withReaderGone(args());
      expect(r.err).not.toMatch(/\n\s+at |internal error|EPIPE/);
      expect(r.code, r.err).toBe(0);
    },
    60_000,
  );
});
