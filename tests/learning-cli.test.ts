import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { deterministicTable, expectedReturnOf, valueIteration } from "../solvers/index.js";
import { writeMdpDir } from "../src/io/index.js";
import { randomMdp } from "./helpers/learning-mdps.js";
import { runCli } from "./helpers/run-cli.js";
import { repoRoot } from "./helpers/shared.js";

/** The worker bin/tabmdp.js starts: the bundled command line's (see scripts/bundle-cli.ts). */
const builtWorker = join(repoRoot, "dist/cli/worker.js");

let root = "";
let mdpDir = "";
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), "tabmdp-learn-cli-"));
  mdpDir = join(root, "mdp");
  const m = randomMdp(6, 3, 5);
  await writeMdpDir({ ...m, metadata: { ...m.metadata, gamma: 0.9 } }, mdpDir);
});
afterAll(() => rm(root, { recursive: true, force: true }));

const run = runCli;

describe("tabmdp learn / bench / tune", () => {
  it("learn writes the run folder and prints the table", async () => {
    const out = join(root, "learn");
    const r = await run(
      "learn",
      mdpDir,
      "--algo",
      "expected-sarsa",
      "--episodes",
      "2000",
      "--alpha",
      "0.2",
      "--out",
      out,
    );
    expect(r.err).toBe("");
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/\| expected-sarsa \| 1 \| (not converged|[\d,]+) \|/);
    const manifest = JSON.parse(await readFile(join(out, "manifest.json"), "utf8"));
    expect(manifest.jobs[0].params).toMatchObject({ algo: "expected-sarsa", alpha: 0.2, gamma: null });
    expect(manifest.references.map((x: { gamma: number }) => x.gamma)).toEqual([0.9]);
  });

  it("a sweep with per-algorithm discounts measures each algorithm against the optimum under its own", async () => {
    const params = join(root, "params-gamma.json");
    await writeFile(params, JSON.stringify({ sarsa: { gamma: 0.5 } }));
    const out = join(root, "mixed-gamma");
    const r = await run(
      "bench",
      mdpDir,
      ...["--algos", "q-learning,sarsa", "--seeds", "1", "--episodes", "300", "--workers", "0"],
      ...["--params", params, "--out", out],
    );
    expect(r.code).toBe(0);
    const manifest = JSON.parse(await readFile(join(out, "manifest.json"), "utf8"));
    const m = randomMdp(6, 3, 5);
    // Independent optima: Gauss-Seidel VI then exact evaluation of its greedy policy, per discount.
    const optimum = (gamma: number): number =>
      expectedReturnOf(m, deterministicTable(m, valueIteration(m, { gamma }).policyS), { gamma });
    expect(manifest.references.map((x: { gamma: number }) => x.gamma)).toEqual([0.9, 0.5]);
    for (const ref of manifest.references) expect(ref.optimal).toBeCloseTo(optimum(ref.gamma), 9);
    expect(optimum(0.9)).not.toBeCloseTo(optimum(0.5), 3);
    expect(r.out).toContain(`(gamma 0.9)`);
    expect(r.out).toContain(`(gamma 0.5)`);
    // The curves plot draws one optimal line per discount.
    const svg = await readFile(join(out, "curves.svg"), "utf8");
    expect(svg).toContain("(gamma 0.5)");
  });

  it("bench in two shards, merged, equals the unsharded bench; --params per algorithm applies", async () => {
    const params = join(root, "params.json");
    await writeFile(params, JSON.stringify({ epsilon: 0.2, alpha: 0.1, sarsa: { alpha: 0.3 } }));
    const common = ["--algos", "q-learning,sarsa", "--seeds", "2", "--episodes", "1500", "--window", "100"];
    const all = join(root, "all");
    const r = await run("bench", mdpDir, ...common, "--params", params, "--workers", "0", "--out", all);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/\| sarsa \| 2 \| (not converged|[\d,]+) \|/);
    for (const i of [1, 2]) {
      const s = await run(
        "bench",
        mdpDir,
        ...common,
        "--params",
        params,
        "--shard",
        `${i}/2`,
        "--out",
        join(root, `s${i}`),
      );
      expect(s.code).toBe(0);
    }
    const merged = join(root, "merged");
    expect((await run("bench", "merge", join(root, "s1"), join(root, "s2"), "--out", merged)).code).toBe(0);
    const a = await readFile(join(all, "results.csv"), "utf8");
    expect(await readFile(join(merged, "results.csv"), "utf8")).toBe(a);
    const manifest = JSON.parse(await readFile(join(all, "manifest.json"), "utf8"));
    expect(manifest.jobs.map((j: { params: { alpha: number } }) => j.params.alpha)).toEqual([
      0.1, 0.1, 0.3, 0.3,
    ]);
  });

  it("tune ranks trials and writes best.json usable as --params", async () => {
    const out = join(root, "tune");
    const r = await run(
      "tune",
      mdpDir,
      "--algo",
      "q-learning",
      "--trials",
      "3",
      "--seeds",
      "2",
      "--episodes",
      "800",
      "--workers",
      "0",
      "--out",
      out,
    );
    expect(r.code).toBe(0);
    const trials = (await readFile(join(out, "trials.csv"), "utf8")).trim().split("\n");
    expect(trials).toHaveLength(4);
    const best = JSON.parse(await readFile(join(out, "best.json"), "utf8"));
    expect(best["q-learning"].algo).toBe("q-learning");
    const again = await run(
      "learn",
      mdpDir,
      "--params",
      join(out, "best.json"),
      "--episodes",
      "500",
      "--out",
      join(root, "again"),
    );
    expect(again.code).toBe(0);
  });

  it("bad input is a usage error (exit 2) with the flag named", async () => {
    const r = await run("bench", mdpDir, "--algos", "q-learning,nope", "--out", join(root, "x"));
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/unknown algorithm "nope"/);
    const s = await run("learn", mdpDir, "--epsilon", "1.5", "--out", join(root, "y"));
    expect(s.code).toBe(2);
    expect(s.err).toMatch(/--epsilon must be in \[0, 1\]/);
    const both = await run("bench", mdpDir, "--resume", "--force", "--out", join(root, "z"));
    expect(both.code).toBe(2);
    expect(both.err).toMatch(/--resume and --force exclude each other/);
    const odd = await run("learn", mdpDir, "--convergence-recent", "150", "--out", join(root, "w"));
    expect(odd.code).toBe(2);
    expect(odd.err).toMatch(
      /--convergence-recent must be a multiple of --convergence-every \(100\), got 150/,
    );
  });
});

describe.skipIf(!existsSync(builtWorker))("the compiled CLI (npm run build first)", () => {
  it("bin/tabmdp.js runs bench on worker threads from dist/ like the source run", async () => {
    const args = ["--algos", "q-learning", "--seeds", "2", "--episodes", "1000", "--window", "100"];
    const src = join(root, "src-run");
    expect((await run("bench", mdpDir, ...args, "--workers", "0", "--out", src)).code).toBe(0);
    const built = join(root, "built-run");
    await new Promise<void>((resolve, reject) => {
      execFile(
        process.execPath,
        [join(repoRoot, "bin/tabmdp.js"), "bench", mdpDir, ...args, "--workers", "2", "--out", built],
        (err) => (err ? reject(err) : resolve()),
      );
    });
    // Same shape, not bytes: dist/ may be older than the sources (random streams can differ between builds).
    const a = (await readFile(join(src, "results.csv"), "utf8")).split("\n");
    const b = (await readFile(join(built, "results.csv"), "utf8")).split("\n");
    expect(b[0]).toBe(a[0]);
    expect(b).toHaveLength(a.length);
    expect(JSON.parse(await readFile(join(built, "manifest.json"), "utf8")).finishedJobs).toBe(2);
  });
});
