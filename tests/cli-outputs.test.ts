import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync } from "node:fs";
import { readdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { linePlot } from "../src/report/svg.js";
import { cleanFixtures, fixture, tempDir } from "./helpers/io-fixture.js";
import { runCli } from "./helpers/run-cli.js";
import { spawnCli } from "./helpers/spawn-cli.js";

afterAll(cleanFixtures);

let mdp = "";
let root = "";
beforeAll(async () => {
  mdp = await fixture();
  root = await tempDir();
  await writeFile(join(root, "file"), "a regular file\n");
});

/** Every command that writes, with OUT where its output goes (a folder, or a file for --trace / --svg). */
const WRITERS: readonly (readonly [string, (out: string) => string[]])[] = [
  ["export", (out) => ["export", mdp, out]],
  ["export --gzip", (out) => ["export", mdp, out, "--gzip"]],
  ["build", (out) => ["build", "sepsispilot/mild-sepsis", "--patients", "50", "--seed", "1", "--out", out]],
  ["sim export", (out) => ["sim", "export", "oberst-sontag", out]],
  ["solve --out", (out) => ["solve", mdp, "--out", out]],
  ["learn --out", (out) => ["learn", mdp, "--episodes", "20", "--out", out]],
  [
    "bench --out",
    (out) => ["bench", mdp, "--seeds", "1", "--episodes", "20", "--workers", "0", "--out", out],
  ],
  ["tune --out", (out) => ["tune", mdp, "--trials", "1", "--seeds", "1", "--episodes", "20", "--out", out]],
  ["bench merge --out", (out) => ["bench", "merge", mdp, "--out", out]],
  [
    "study perturb --svg",
    (out) => ["study", "perturb", mdp, "--repeats", "1", "--p", "0.5", "--seed", "1", "--svg", out],
  ],
  ["sim run --trace", (out) => ["sim", "run", "sepsispilot/mild-sepsis", "--episodes", "2", "--trace", out]],
];

/** One line on stderr, naming the path, no stack trace, exit 2. */
function expectCleanFailure(r: { code: number; err: string }, path: string, why: RegExp): void {
  expect(r.code, r.err).toBe(2);
  const lines = r.err.trimEnd().split("\n");
  expect(lines, r.err).toHaveLength(1);
  expect(lines[0]).toContain(path);
  expect(lines[0]).toMatch(why);
  expect(r.err).not.toMatch(/\n\s+at /);
}

describe("every writing command fails cleanly before any work on an unwritable output", () => {
  it.each(WRITERS)("%s: a path under a regular file", async (_name, args) => {
    const out = join(root, "file", "out");
    const r = await runCli(...args(out));
    expectCleanFailure(r, out, /file is a file, so nothing can be created under it/);
  });
  // /sys refuses writes to root as well (chmod does not stop root; sysfs answers EACCES to everyone).
  it.each(WRITERS)("%s: a folder nobody may write in (/sys)", async (_name, args) => {
    const r = await runCli(...args("/sys/tabmdp-out"));
    expectCleanFailure(r, "/sys/tabmdp-out", /cannot write in \/sys: permission denied \(EACCES\)/);
  });
  it.each([
    ["sim run --trace", ["sim", "run", "sepsispilot/mild-sepsis", "--episodes", "2", "--trace", "/dev/full"]],
    [
      "study perturb --svg",
      ["study", "perturb", "MDP", "--repeats", "1", "--p", "0.5", "--seed", "1", "--svg", "/dev/full"],
    ],
  ])("%s: a device is never replaced by a file", async (_name, args) => {
    const r = await runCli(...args.map((a) => (a === "MDP" ? mdp : a)));
    expectCleanFailure(r, "/dev/full", /not a regular file/);
  });
  it("an output folder that is a file", async () => {
    const r = await runCli("export", mdp, join(root, "file"));
    expectCleanFailure(r, join(root, "file"), /exists and is a file, expected a folder/);
  });
  it("a folder holding someone else's files is refused and left as it was", async () => {
    const out = join(root, "notes");
    mkdirSync(out);
    await writeFile(join(out, "notes.txt"), "mine\n");
    const r = await runCli("export", mdp, out);
    expectCleanFailure(r, out, /holds notes\.txt, which tabmdp does not write there/);
    expect(await readdir(out)).toEqual(["notes.txt"]);
  });
});

/** A tiny tmpfs to fill, where this process may mount one (root in a container); null otherwise. */
function smallFs(): string | null {
  const dir = join(root, "full");
  try {
    mkdirSync(dir, { recursive: true });
    execFileSync("mount", ["-t", "tmpfs", "-o", "size=48k", "tmpfs", dir], { stdio: "ignore" });
    return dir;
  } catch {
    return null;
  }
}

describe("a full file system", () => {
  let full: string | null = null;
  beforeAll(() => {
    full = smallFs();
  });
  afterAll(() => {
    if (full !== null) execFileSync("umount", [full]);
  });
  it("export, sim export, solve --out and learn --out fail with ENOSPC in one line; a previous export survives", async (ctx) => {
    if (full === null) return ctx.skip("cannot mount a small tmpfs here (needs root); no full disk to test");
    const out = join(full, "mdp");
    expect((await runCli("export", mdp, out)).code).toBe(0);
    const before = await readdir(out);
    const big = join(import.meta.dirname, "..", "data", "sepsisim-management-easy");
    expectCleanFailure(await runCli("export", big, out), out, /no space left on the device \(ENOSPC\)/);
    expect(await readdir(out)).toEqual(before);
    expect((await runCli("validate", out)).code).toBe(0);
    expect((await readdir(full)).sort()).toEqual(["mdp"]); // no temporary folder left behind
    const sim = join(full, "os");
    expectCleanFailure(await runCli("sim", "export", "oberst-sontag", sim), sim, /ENOSPC/);
    const solved = join(full, "solved");
    expectCleanFailure(await runCli("solve", big, "--out", solved), solved, /ENOSPC/);
    await writeFile(join(full, "filler"), Buffer.alloc(40_000)).catch(() => {});
    const run = join(full, "run");
    const r = await runCli("learn", mdp, "--episodes", "20", "--out", run);
    expect(r.code, r.err).toBe(2);
    expect(r.err).toMatch(/ENOSPC/);
    expect(r.err).not.toMatch(/\n\s+at /);
    // Not even the empty private lock file a failed pid write creates.
    expect((await readdir(full)).filter((n) => n.startsWith("."))).toEqual([]);
  });
  it("every other writer fails with ENOSPC in one line and leaves nothing behind", async (ctx) => {
    if (full === null) return ctx.skip("cannot mount a small tmpfs here (needs root); no full disk to test");
    const runDir = join(root, "merge-input");
    expect((await runCli(...WRITERS.find(([n]) => n === "bench --out")![1](runDir))).code).toBe(0);
    await writeFile(join(full, "filler"), Buffer.alloc(48 * 1024)).catch(() => {});
    const before = (await readdir(full)).sort();
    for (const [name, args] of WRITERS) {
      if (["export", "sim export", "solve --out", "learn --out"].includes(name)) continue;
      const out = join(full, name.replace(/\W+/g, "-"));
      const argv = name === "bench merge --out" ? ["bench", "merge", runDir, "--out", out] : args(out);
      const r = await runCli(...argv);
      expect(r.code, `${name}: ${r.err}`).toBe(2);
      expect(r.err.trimEnd().split("\n"), `${name}: ${r.err}`).toHaveLength(1);
      expect(r.err, name).toMatch(/ENOSPC/);
      expect(r.err).not.toMatch(/\n\s+at /);
      expect((await readdir(full)).sort(), name).toEqual(before);
    }
  });
});

describe("limits and pipes", () => {
  it("--episodes beyond this machine's memory is refused before the run, with the numbers", async () => {
    for (const n of ["1e9", "1e300"]) {
      const r = await runCli("learn", mdp, "--episodes", n, "--out", join(root, "never"));
      expect(r.code).toBe(2);
      expect(r.err).toMatch(/needs about .* GB \(20 bytes per episode and 512 per checkpoint\), more than/);
    }
    expect(existsSync(join(root, "never"))).toBe(false);
  });
  it("a plot of 300,000 points renders (no argument spreading of long arrays)", () => {
    const x = Array.from({ length: 300_000 }, (_, i) => i);
    const svg = linePlot({ title: "t", xLabel: "x", yLabel: "y", series: [{ label: "s", x, y: x }] });
    expect(svg).toMatch(/<svg[\s\S]*<\/svg>/);
  });
  it("`validate DIR --max-problems 10000 | head -1` ends quietly (EPIPE)", async () => {
    const rows = Array.from({ length: 6000 }, () => "x,x,x\n").join("");
    const bad = await fixture({ "transitionFunction.csv": rows });
    let first = "";
    const r = await spawnCli(["validate", bad, "--max-problems", "10000"], {
      onStdout: (chunk, close) => {
        if (first === "") {
          first = chunk;
          close();
        }
      },
    });
    expect(first).toMatch(/transitionFunction\.csv:1:1/);
    expect([r.code, r.signal, r.err]).toEqual([2, null, ""]);
  });
});
