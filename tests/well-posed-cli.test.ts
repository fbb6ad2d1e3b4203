import { spawnSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { certifiedPlan } from "../solvers/index.js";
import { PLAN_METHODS } from "../solvers/plan.js";
import { readMdpDir, writeMdpDir } from "../src/io/index.js";
import { runCli } from "./helpers/run-cli.js";
import { hasIcuSepsis, icuSepsisDir, repoRoot } from "./helpers/shared.js";
import { geometricChain } from "./helpers/tiny-mdps.js";

/** Every MDP folder in data/, listed at run time so a new one is covered without editing this file. */
const DATA = readdirSync(join(repoRoot, "data"), { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .map((d) => d.name)
  .sort();

const dirs: string[] = [];
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});
async function scratch(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "tabmdp-wellposed-cli-"));
  dirs.push(dir);
  return dir;
}

type Range = [number | null, number | null];
interface BaselinesJson {
  policies: { optimal: { length: number | null; lengthRange: Range; tiedStates: number } };
}
interface SolveJson {
  startValue: number;
  tiedStates: number;
  lengthRange: Range;
  policy: number[];
  optimalActions: number[][];
  certified: { lessAccurateThan1e10: boolean; errorBound: number | null };
}

describe("optimal action sets, policy, length and length range do not move with the stopping tolerance", () => {
  it("finds the MDPs", () => {
    expect(DATA.length).toBeGreaterThanOrEqual(8);
  });
  const cases = [
    ...DATA.map((name) => ({ name, gamma: [] as string[] })),
    { name: "oberst-sontag-exact", gamma: ["--gamma", "1"] },
  ];
  for (const { name, gamma } of cases) {
    it(`${name} ${gamma.join(" ")}`, async () => {
      const dir = join(repoRoot, "data", name);
      const answers: { b: BaselinesJson; s: SolveJson }[] = [];
      for (const tolerance of ["1e-8", "1e-10", "1e-12"]) {
        const b = await runCli("baselines", dir, ...gamma, "--tolerance", tolerance, "--json");
        const s = await runCli("solve", dir, ...gamma, "--tolerance", tolerance, "--json");
        expect([b.code, s.code], `${b.err}${s.err}`).toEqual([0, 0]);
        answers.push({ b: JSON.parse(b.out) as BaselinesJson, s: JSON.parse(s.out) as SolveJson });
      }
      const [first] = answers;
      const opt = first!.b.policies.optimal;
      const [shortest, longest] = opt.lengthRange;
      // The length printed for the chosen policy is its exact evaluation; the tie rule makes it the shortest.
      if (shortest === null) expect(opt.length).toBeNull();
      else expect(Math.abs(opt.length! - shortest)).toBeLessThanOrEqual(1e-9 * shortest);
      if (shortest !== null && longest !== null) expect(longest).toBeGreaterThanOrEqual(shortest);
      for (const { b, s } of answers) {
        // Same optimal action sets, hence bit-identical lengths: exact solves on the same policies.
        // A certified bound at gamma = 1 too (the planner's own stopping rule gives none there).
        expect(s.certified.errorBound).toBeLessThanOrEqual(1e-10);
        expect(s.certified.lessAccurateThan1e10).toBe(false);
        expect(s.optimalActions).toEqual(first!.s.optimalActions);
        expect(s.policy).toEqual(first!.s.policy);
        expect(b.policies.optimal.length).toBe(opt.length);
        expect(b.policies.optimal.lengthRange).toEqual(opt.lengthRange);
        expect(b.policies.optimal.tiedStates).toBe(opt.tiedStates);
        expect(s.lengthRange).toEqual(opt.lengthRange);
        expect(s.tiedStates).toBe(opt.tiedStates);
        expect(Math.abs(s.startValue - first!.s.startValue)).toBeLessThan(1e-12);
      }
    }, 120_000);
  }
});

describe("every MDP in data/: PI, VI, GS-VI and MPI give one certified answer", () => {
  const cases = [
    ...DATA.map((name) => ({ name, gamma: {} })),
    { name: "oberst-sontag-exact", gamma: { gamma: 1 } },
  ];
  for (const { name, gamma } of cases) {
    it(`${name} ${JSON.stringify(gamma)}`, async () => {
      const m = await readMdpDir(join(repoRoot, "data", name));
      const runs = PLAN_METHODS.map((method) => certifiedPlan(m, method, gamma).certified);
      const [first] = runs;
      for (const c of runs) {
        for (let s = 0; s < m.nS; s++) expect(Math.abs(c.vS[s]! - first!.vS[s]!)).toBeLessThan(1e-12);
        expect(Array.from(c.optimalActions.actions)).toEqual(Array.from(first!.optimalActions.actions));
        expect(Array.from(c.policyS)).toEqual(Array.from(first!.policyS));
        expect(c.lengthRange).toEqual(first!.lengthRange);
      }
    }, 120_000);
  }
});

describe("refused with exit 2 and the exact message", () => {
  it("Oberst & Sontag with a 0.01 reward for every step at gamma = 1: +infinity, for baselines and every method", async () => {
    const dir = join(await scratch(), "os");
    expect((await runCli("sim", "export", "oberst-sontag", dir)).code).toBe(0);
    const m = await readMdpDir(dir);
    if (m.reward.kind !== "next-state") throw new Error("the export's reward is R(s')");
    const rS = Float64Array.from(m.reward.rS, (r, s) => (m.terminalS[s] === 1 ? r : r + 0.01));
    const stepped = join(await scratch(), "os-step");
    await writeMdpDir({ ...m, reward: { kind: "next-state", rS } }, stepped);
    const message =
      "tabmdp: the undiscounted optimal value is +infinity: from states 56, 57, 58, 59, 60, 61, 62, 63, ... " +
      "(606 states) a policy can reach states 125, 133, 139, 143, 219, 223, 285, 287, ... (92 states) and " +
      "repeat a cycle among them forever, collecting positive reward without ever reaching a terminal state; " +
      "use --gamma < 1, or make that cycle lead to a terminal state";
    for (const args of [
      ["baselines", stepped, "--gamma", "1"],
      ...PLAN_METHODS.map((method) => ["solve", stepped, "--gamma", "1", "--method", method]),
    ]) {
      const r = await runCli(...args);
      expect([r.code, r.out, r.err.trim()], args.join(" ")).toEqual([2, "", message]);
    }
  }, 120_000);

  it("a policy that can avoid every terminal state at gamma = 1: evaluate refuses it", async () => {
    const dir = join(await scratch(), "chain");
    await writeMdpDir(geometricChain(0.3, 0.1, { gamma: 1 }), dir);
    const file = join(await scratch(), "stay.csv");
    await writeFile(file, "0,1\n1,0\n1,0\n"); // state 0 always takes the self-loop
    const r = await runCli("evaluate", dir, "--policy", file);
    expect([r.code, r.out, r.err.trim()]).toEqual([
      2,
      "",
      "tabmdp: the policy does not reach a terminal state with probability 1 from start state 0 (it can enter " +
        "states from which no terminal state is reachable), so its undiscounted value is undefined; use " +
        "--gamma < 1 or change the policy",
    ]);
    // With gamma < 1 the same policy has a value (0) and an unbounded length, said in words.
    const discounted = await runCli("evaluate", dir, "--policy", file, "--gamma", "0.9", "--json");
    expect(discounted.code).toBe(0);
    expect((JSON.parse(discounted.out) as { length: unknown }).length).toBeNull();
  });
});

describe("a near-improper optimum is flagged, not passed off as accurate", () => {
  it("exits with probability 1e-12 per step: solve and baselines say the bound misses 1e-10", async () => {
    const dir = join(await scratch(), "slow");
    await writeMdpDir(geometricChain(0.5e-12, 0.5e-12, { gamma: 1 }), dir);
    const line =
      "accuracy: less accurate than 1e-10: error up to 5.00e-1 (an optimal policy ends episodes so slowly that a " +
      "Bellman residual at rounding level allows that error in the values and the optimal action sets)";
    for (const command of ["solve", "baselines"]) {
      const r = await runCli(command, dir);
      expect(r.code, r.err).toBe(0);
      expect(r.out.split("\n"), command).toContain(line);
    }
    const j = JSON.parse((await runCli("solve", dir, "--json")).out) as SolveJson;
    expect(j.certified.lessAccurateThan1e10).toBe(true);
  });
});

describe("docs/planning.md", () => {
  it("the table in docs/planning.md is what scripts/planning-table.ts prints", () => {
    const script = join(repoRoot, "scripts/planning-table.ts");
    const r = spawnSync(
      join(repoRoot, "node_modules/.bin/tsx"),
      [script, ...(hasIcuSepsis ? [icuSepsisDir] : [])],
      {
        cwd: repoRoot,
        encoding: "utf8",
      },
    );
    expect([r.status, r.stderr]).toEqual([0, ""]);
    const printed = r.stdout.trimEnd().split("\n");
    const doc = readFileSync(join(repoRoot, "docs/planning.md"), "utf8").split("\n");
    const start = doc.indexOf(printed[0]!);
    expect(start, "the table's header line").toBeGreaterThanOrEqual(0);
    let end = start;
    while (end < doc.length && doc[end]!.startsWith("|")) end++;
    // Without the ICU-Sepsis tables its row cannot be recomputed; every other row still must match.
    const shown = doc.slice(start, end).filter((line) => hasIcuSepsis || !line.startsWith("| icu-sepsis |"));
    expect(shown).toEqual(printed);
  }, 120_000);
});
