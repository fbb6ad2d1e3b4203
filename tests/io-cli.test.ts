import { afterAll, afterEach, describe, expect, it, vi } from "vitest";
import { cleanFixtures, fixture, tempDir } from "./helpers/io-fixture.js";
import { runCli } from "./helpers/run-cli.js";

afterAll(cleanFixtures);
afterEach(() => vi.restoreAllMocks());

const run = runCli;

describe("tabmdp validate", () => {
  it("prints an OK summary and exits 0", async () => {
    const r = await run("validate", await fixture());
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^OK /);
    expect(r.out).toMatch(/states +3 \(terminal: 2\)/);
  });
  it("lists every problem as file:line:col: reason and exits 2", async () => {
    const dir = await fixture({
      "transitionFunction.csv": "0.5,x,0\n0,1,0\n0,0,1\n0.25,0,0.7\n0,0,1\n0,0,1\n",
    });
    const r = await run("validate", dir);
    expect(r.code).toBe(2);
    expect(r.out).toMatch(/transitionFunction\.csv:1:2: non-numeric cell "x"/);
    expect(r.out).toMatch(/transitionFunction\.csv:4:1: row \(s=1, a=1\) sums to 0\.95/);
    expect(r.out).toMatch(/2 problem\(s\)/);
    const j = await run("validate", dir, "--json", "--max-problems", "1");
    expect(j.code).toBe(2);
    const parsed = JSON.parse(j.out) as { ok: boolean; problems: { line: number; column: number }[] };
    expect([parsed.ok, parsed.problems.length, parsed.problems[0]?.line, parsed.problems[0]?.column]).toEqual(
      [false, 1, 1, 2],
    );
  });
  it("a bad --tolerance is a usage error (exit 2)", async () => {
    expect((await run("validate", await fixture(), "--tolerance", "-1")).code).toBe(2);
  });
});

describe("tabmdp export", () => {
  it("writes the folder (gzip) and --json lists the files", async () => {
    const out = await tempDir();
    const r = await run("export", await fixture(), out, "--gzip", "--json");
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out) as { files: string[] };
    expect(j.files.some((f) => f.endsWith("transitionFunction.csv.gz"))).toBe(true);
    expect((await run("validate", out)).code).toBe(0);
  });
  it("bad input: message without a stack, exit 2", async () => {
    const r = await run("export", await fixture({ "rewardFunction.csv": null }), await tempDir());
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/^tabmdp: .*rewardFunction\.csv: missing required file/);
    expect(r.err).not.toMatch(/\n\s+at /);
  });
});
