import { execFileSync, spawnSync } from "node:child_process";
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, relative } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as api from "../src/index.js";
import { runCli } from "./helpers/run-cli.js";
import { repoRoot } from "./helpers/shared.js";

/**
 * The published package, as a user gets it: compile the library into a staging copy of the package (never the
 * repository's own dist/, which other tests run) and bundle its command line as `build` does, `npm pack` it with the package's own "files" list, unpack the
 * tarball into a fresh project and compile a small program against it under the strictest settings (NodeNext,
 * strict, noUncheckedIndexedAccess, no skipLibCheck), then run it and the installed `tabmdp` command.
 *
 * The fresh project gets tabmdp's declared runtime "dependencies" (and @types/node, which a Node project brings
 * itself) as links to the repository's installed copies instead of a registry install: that keeps the test
 * offline and bounded while still failing when a type or module the package needs is only a dev dependency.
 * Slow but bounded: one tsc build, one pack, one tsc check; no timing assertions.
 */
const pkg = JSON.parse(readFileSync(join(repoRoot, "package.json"), "utf8")) as {
  name: string;
  version: string;
  files: string[];
  dependencies: Record<string, string>;
};
const tmp = mkdtempSync(join(tmpdir(), "tabmdp-pack-"));
const stage = join(tmp, "stage");
const app = join(tmp, "app");
const installed = join(app, "node_modules", "tabmdp");
const tsc = join(repoRoot, "node_modules/.bin/tsc");
const tsxCli = join(repoRoot, "node_modules/tsx/dist/cli.mjs");

afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function link(name: string): void {
  const target = join(repoRoot, "node_modules", name);
  expect(existsSync(target), `${name} is not installed in the repository`).toBe(true);
  const at = join(app, "node_modules", name);
  mkdirSync(dirname(at), { recursive: true });
  symlinkSync(target, at, "dir");
}

const PROGRAM = `import {
  acrossCohorts,
  baselines,
  bootstrapPredictions,
  builderVsExact,
  buildJobs,
  cohortTruth,
  curvesSvg,
  fidelity,
  htmlReport,
  linePlot,
  markdownTable,
  mergeRuns,
  perturbStudy,
  rankTrials,
  readMdpDir,
  resolveParams,
  runSweep,
  sampleTrial,
  SPACES,
  simulatePolicy,
  summarizeRuns,
  TabularEnv,
  thresholdStudy,
  VERSION,
  viewSA,
  wilson,
  writeOutputs,
  type SweepConfig,
} from "tabmdp";

// The CLI's study, tune, fidelity and report entry points are all importable with their types.
const entryPoints: readonly unknown[] = [curvesSvg, fidelity, htmlReport, mergeRuns, rankTrials, sampleTrial];
const more: readonly unknown[] = [simulatePolicy, thresholdStudy, writeOutputs, linePlot, acrossCohorts];
const builderChecks: readonly unknown[] = [bootstrapPredictions, builderVsExact, cohortTruth, ...SPACES];

const dir = new URL("../node_modules/tabmdp/data/demo", import.meta.url).pathname;
const mdp = await readMdpDir(dir);
const b = baselines(mdp);
const optimal: number | null = b.policies.optimal.return;
const expert = viewSA(mdp.expertPolicy ?? new Float64Array(mdp.nS * mdp.nA), mdp.nS, mdp.nA);
const [s0] = new TabularEnv(mdp).reset({ seed: 1 });
const perturbed = perturbStudy(mdp, [0.2], 2, 1);
const interval = wilson(7, 10);

const config: SweepConfig = {
  source: dir, command: "packaging test", out: new URL("../run", import.meta.url).pathname,
  episodes: 200, evalEvery: 100, window: 20, seeds: [1, 2], shard: [1, 1], workers: 1, mode: "new",
  rule: { start: 100, every: 10, recent: 50, final: 100, delta: 1e-4 },
};
const jobs = buildJobs([{ params: resolveParams({ algo: "q-learning" }), trial: null }], config);
const sweep = await runSweep(mdp, jobs, config);
console.log(JSON.stringify({
  version: VERSION, optimal, expertRows: expert.shape[0], s0, perturbedRows: perturbed.length,
  wilsonLow: interval.low, runs: sweep.results.length, table: markdownTable(sweep.summary).split("\\n").length,
  summaries: summarizeRuns(sweep.results, () => sweep.manifest.references[0]!.optimal).length,
  exported: entryPoints.length + more.length + builderChecks.length,
}));
`;

describe("the npm package", () => {
  let tarball = "";

  beforeAll(() => {
    mkdirSync(stage);
    for (const f of ["package.json", "README.md", "LICENSE", "CITATION.cff", "CHANGELOG.md", "bin", "data"]) {
      cpSync(join(repoRoot, f), join(stage, f), { recursive: true });
    }
    execFileSync(tsc, ["-p", "tsconfig.build.json", "--outDir", join(stage, "dist")], { cwd: repoRoot });
    execFileSync(process.execPath, [tsxCli, "scripts/bundle-cli.ts", join(stage, "dist")], { cwd: repoRoot });
    const out = execFileSync("npm", ["pack", "--ignore-scripts", "--json", "--pack-destination", tmp], {
      cwd: stage,
      encoding: "utf8",
    });
    tarball = join(tmp, (JSON.parse(out) as { filename: string }[])[0]!.filename);
    mkdirSync(installed, { recursive: true });
    execFileSync("tar", ["-xzf", tarball, "-C", installed, "--strip-components=1"]);
    for (const dep of [...Object.keys(pkg.dependencies), "@types/node"]) link(dep);
    writeFileSync(join(app, "package.json"), JSON.stringify({ name: "app", private: true, type: "module" }));
    writeFileSync(
      join(app, "tsconfig.json"),
      JSON.stringify({
        compilerOptions: {
          target: "ES2022",
          module: "NodeNext",
          moduleResolution: "NodeNext",
          strict: true,
          noUncheckedIndexedAccess: true,
          skipLibCheck: false,
          types: ["node"],
          outDir: "build",
        },
        files: ["main.ts"],
      }),
    );
    writeFileSync(join(app, "main.ts"), PROGRAM);
  }, 300_000);

  it("holds the compiled library, its declarations, the command, the shipped data and the legal files", () => {
    for (const f of [
      "dist/src/index.js",
      "dist/src/index.d.ts",
      "dist/src/study/worker.js",
      "dist/cli/main.js",
      "dist/cli/worker.js",
      "bin/tabmdp.js",
    ]) {
      expect(existsSync(join(installed, f)), f).toBe(true);
    }
    for (const f of [
      "data/demo/transitionFunction.csv",
      "LICENSE",
      "CITATION.cff",
      "CHANGELOG.md",
      "README.md",
    ]) {
      expect(existsSync(join(installed, f)), f).toBe(true);
    }
    expect(existsSync(join(installed, "tests")), "tests are not shipped").toBe(false);
    expect(existsSync(join(installed, "src")), "sources are not shipped").toBe(false);
  });

  it("compiles a strict NodeNext program against it without skipLibCheck", () => {
    const r = spawnSync(tsc, ["-p", join(app, "tsconfig.json")], { encoding: "utf8" });
    expect(r.stdout + r.stderr).toBe("");
    expect(r.status).toBe(0);
  }, 300_000);

  it("runs that program: the same baselines as the repository, a sweep on a worker thread", async () => {
    const r = spawnSync("node", [join(app, "build/main.js")], { cwd: app, encoding: "utf8" });
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    const got = JSON.parse(r.stdout) as Record<string, number | string>;
    const fromRepo = JSON.parse((await runCli("baselines", join(repoRoot, "data/demo"), "--json")).out) as {
      policies: { optimal: { return: number } };
    };
    expect(got.version).toBe(pkg.version);
    expect(got.optimal).toBe(fromRepo.policies.optimal.return);
    expect(got.runs).toBe(2);
    expect(got.perturbedRows).toBe(3);
    expect(existsSync(join(app, "run", "manifest.json"))).toBe(true);
  }, 300_000);

  it("installs a working tabmdp command", async () => {
    const demo = join(installed, "data/demo");
    const r = spawnSync("node", [join(installed, "bin/tabmdp.js"), "baselines", demo], { encoding: "utf8" });
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    expect(r.stdout).toBe((await runCli("baselines", demo)).out);
  }, 300_000);
});

/** Every value the CLI imports from the library layers below it, by file. */
function cliImports(dir = join(repoRoot, "src/cli")): { name: string; from: string }[] {
  const out: { name: string; from: string }[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const file = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...cliImports(file));
    if (!entry.name.endsWith(".ts")) continue;
    const text = readFileSync(file, "utf8");
    for (const m of text.matchAll(/import\s+(type\s+)?\{([^}]*)\}\s+from\s+"(\.[^"]+)"/g)) {
      const target = relative(repoRoot, join(dirname(file), m[3]!));
      if (m[1] !== undefined || target.startsWith("src/cli/")) continue;
      for (const spec of m[2]!.split(",").map((x) => x.trim())) {
        if (spec !== "" && !spec.startsWith("type "))
          out.push({ name: spec.split(/\s+as\s+/)[0]!, from: target });
      }
    }
  }
  return out;
}

describe("the package entry point", () => {
  // Argument and JSON plumbing of the command line; the rollout summary is exported under a clearer name.
  const plumbing = new Set([
    "parseShard",
    "toJson",
    "fixed",
    "describeFsError",
    "errorCode",
    "describeOptimum",
  ]);
  // Labels of study rows, used only to print them.
  for (const name of ["tieBreakKey", "rowLabel"]) plumbing.add(name);
  const renamed: Record<string, string> = { "src/sim/summary.js:summarize": "summarizeRollouts" };

  it("exports every function and constant the CLI uses from the library", () => {
    const imports = cliImports();
    expect(imports.length).toBeGreaterThan(20);
    const missing = imports
      .filter(({ name }) => !plumbing.has(name))
      .map(({ name, from }) => renamed[`${from}:${name}`] ?? name)
      .filter((name) => !(name in api));
    expect([...new Set(missing)]).toEqual([]);
  });
});
