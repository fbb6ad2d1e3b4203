import { spawnSync } from "node:child_process";
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import {
  formatMedian,
  parseBenchRun,
  performanceBlock,
  spliceBetweenMarkers,
  TABLE_END,
  TABLE_START,
} from "../scripts/performance-table.js";
import { InputError } from "../src/core/errors.js";
import { repoRoot } from "./helpers/shared.js";

const samplePath = join(repoRoot, "tests/fixtures/bench-sample.jsonl");
const sample = readFileSync(samplePath, "utf8");

describe("the performance table of docs/performance.md", () => {
  it("reads the machine and every figure of a saved bench run, in order", () => {
    const run = parseBenchRun(sample, "sample.jsonl");
    expect(run.machine).toEqual({
      cpu: "Example CPU @ 2.50GHz",
      cores: 2,
      node: "v20.19.0",
      platform: "linux",
    });
    expect(run.figures.map((f) => f.suite)).toEqual(["core", "core", "builder", "learning"]);
    expect(run.figures[0]!.target).toBe("<= 25 ms");
    expect(run.figures[1]!.target).toBeUndefined();
  });

  it("rounds as the bench prints: whole numbers from 100 up, three significant digits below", () => {
    expect(formatMedian(123.6)).toBe("124");
    expect(formatMedian(20.4567)).toBe("20.5");
    expect(formatMedian(0.000123456)).toBe("0.000123");
  });

  it("writes one table row per figure, with pipes in names escaped", () => {
    const block = performanceBlock(parseBenchRun(sample, "s"), "npm run docs:performance");
    const rows = block.split("\n").filter((l) => l.startsWith("| ") && !l.startsWith("| ---"));
    expect(rows.slice(1)).toEqual([
      "| core | optimal solve, value iteration (Jacobi), tol 1e-10 | 20.5 ms | 9 | <= 25 ms |",
      "| core | env steps/s \\| one episode at a time | 17.3 M/s | 7 |  |",
      "| builder | tabmdp build, 20 k stays | 124 s | 3 |  |",
      "| learning | q-learning | 0.000123 M steps/s | 7 |  |",
    ]);
    expect(block).toContain("on Example CPU @ 2.50GHz (2 cores),\nNode v20.19.0, linux.");
  });

  it("replaces only what lies between the markers, and twice gives the same text", () => {
    const doc = `# P\n\nbefore\n\n${TABLE_START}\nold table\n${TABLE_END}\n\nafter\n`;
    const once = spliceBetweenMarkers(doc, "NEW", "doc.md");
    expect(once).toBe(`# P\n\nbefore\n\n${TABLE_START}\nNEW\n${TABLE_END}\n\nafter\n`);
    expect(spliceBetweenMarkers(once, "NEW", "doc.md")).toBe(once);
  });

  it("rejects a document without exactly one pair of markers", () => {
    expect(() => spliceBetweenMarkers("no markers", "x", "doc.md")).toThrow(InputError);
    expect(() => spliceBetweenMarkers(`${TABLE_END}\n${TABLE_START}`, "x", "doc.md")).toThrow(/expected one/);
    const twice = `${TABLE_START}\n${TABLE_END}\n${TABLE_START}\n${TABLE_END}`;
    expect(() => spliceBetweenMarkers(twice, "x", "doc.md")).toThrow(InputError);
  });

  it("names the line of a malformed bench output", () => {
    const broken = sample.replace('"runs":7}', '"runs":"seven"}');
    expect(() => parseBenchRun(broken, "b.jsonl")).toThrow(/^b\.jsonl:3: a figure line needs/);
    expect(() => parseBenchRun("== core\n", "t.txt")).toThrow(/^t\.txt:1: not a JSON object/);
    expect(() => parseBenchRun(sample.split("\n")[0]!, "m.jsonl")).toThrow(/no figures/);
  });

  it("keeps a table between the markers of docs/performance.md", () => {
    const doc = readFileSync(join(repoRoot, "docs/performance.md"), "utf8");
    expect(() => spliceBetweenMarkers(doc, "x", "docs/performance.md")).not.toThrow();
  });
});

describe("npm run docs:performance -- --from FILE --doc FILE", () => {
  const tmp = mkdtempSync(join(tmpdir(), "tabmdp-perf-"));
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));
  const script = (...args: string[]) =>
    spawnSync(join(repoRoot, "node_modules/.bin/tsx"), ["scripts/docs-performance.ts", ...args], {
      cwd: repoRoot,
      encoding: "utf8",
    });

  it("writes the saved run's table into the document", () => {
    const doc = join(tmp, "performance.md");
    copyFileSync(join(repoRoot, "docs/performance.md"), doc);
    const r = script("--from", samplePath, "--doc", doc);
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    const text = readFileSync(doc, "utf8");
    expect(text).toContain(performanceBlock(parseBenchRun(sample, samplePath), "npm run docs:performance"));
    expect(text.slice(0, text.indexOf(TABLE_START))).toBe(
      readFileSync(join(repoRoot, "docs/performance.md"), "utf8").split(TABLE_START)[0],
    );
  });

  it("exits 2 naming a malformed saved run's line, and leaves the document as it was", () => {
    const doc = join(tmp, "keep.md");
    copyFileSync(join(repoRoot, "docs/performance.md"), doc);
    const bad = join(tmp, "bad.jsonl");
    writeFileSync(bad, sample.replace('"runs":9', '"runs":null'));
    const r = script("--from", bad, "--doc", doc);
    expect(r.status).toBe(2);
    expect(r.stderr).toBe(
      `${bad}:2: a figure line needs suite, name, unit (strings), median and runs (finite numbers)\n`,
    );
    expect(readFileSync(doc, "utf8")).toBe(readFileSync(join(repoRoot, "docs/performance.md"), "utf8"));
  });

  it("exits 2 with one line when the saved run is missing", () => {
    const r = script("--from", join(tmp, "missing.jsonl"), "--doc", join(tmp, "keep.md"));
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/missing\.jsonl: cannot read the saved bench run \(ENOENT\)\n$/);
  });
});
