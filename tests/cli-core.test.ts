import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { writeMdpDir } from "../src/io/index.js";
import { runCli } from "./helpers/run-cli.js";
import { repoRoot } from "./helpers/shared.js";
import { twoStateCycle } from "./helpers/tiny-mdps.js";

const demo = resolve(repoRoot, "data/demo");

describe("tabmdp core commands on the shipped demo MDP", () => {
  it("baselines --json has the documented shape and matches the text output", async () => {
    const r = await runCli("baselines", demo, "--json");
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out);
    expect(j.gamma).toBe(1);
    for (const name of ["random", "expert", "optimal"]) {
      expect(typeof j.policies[name].return).toBe("number");
      expect(typeof j.policies[name].length).toBe("number");
    }
    expect(j.policies.optimal.return).toBeGreaterThan(j.policies.random.return);
    const text = await runCli("baselines", demo);
    expect(text.out).toContain(j.policies.optimal.return.toFixed(4));
  });

  it("solve --out writes values.csv and a one-hot policy.csv that evaluate reads back to the same value", async () => {
    const out = mkdtempSync(join(tmpdir(), "tabmdp-solve-"));
    const s = await runCli("solve", demo, "--method", "pi", "--out", out, "--json");
    expect(s.code).toBe(0);
    const solved = JSON.parse(s.out);
    expect(solved.report.converged).toBe(true);
    const policyRows = readFileSync(join(out, "policy.csv"), "utf8").trim().split("\n");
    expect(policyRows.length).toBe(43);
    const e = await runCli("evaluate", demo, "--policy", join(out, "policy.csv"), "--json");
    expect(e.code).toBe(0);
    expect(JSON.parse(e.out).return).toBeCloseTo(solved.startValue, 10);
  });

  it("every method gives the same start value", async () => {
    const values: number[] = [];
    for (const method of ["vi", "gs-vi", "pi", "mpi"]) {
      const r = await runCli("solve", demo, "--method", method, "--json");
      values.push(JSON.parse(r.out).startValue);
    }
    for (const v of values) expect(v).toBeCloseTo(values[0]!, 8);
  });

  it("an iteration cap that is hit warns and exits 3", async () => {
    const r = await runCli("solve", demo, "--max-iterations", "2");
    expect(r.code).toBe(3);
    expect(r.err).toMatch(/did not converge/);
  });

  it("simulate is deterministic in the seed and its interval covers the exact value", async () => {
    const args = ["simulate", demo, "--policy", "random", "--episodes", "20000", "--seed", "5", "--json"];
    const a = await runCli(...args);
    const b = await runCli(...args);
    const ja = JSON.parse(a.out);
    const jb = JSON.parse(b.out);
    expect(ja.return).toEqual(jb.return);
    expect(Math.abs(ja.return.mean - ja.exact.return)).toBeLessThan(3 * ja.return.stderr);
  });

  it("info summarises the folder", async () => {
    const r = await runCli("info", demo, "--json");
    const j = JSON.parse(r.out);
    expect([j.states, j.actions, j.terminalStates]).toEqual([43, 4, [40, 41, 42]]);
  });
});

describe("bad input: a clear message, no stack trace, exit 2", () => {
  it("a missing folder", async () => {
    const r = await runCli("baselines", join(tmpdir(), "no-such-mdp-folder"));
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/not a folder/);
    expect(r.err).not.toMatch(/\n\s+at /);
  });

  it("baselines with an expert policy that may never end at gamma = 1: the defined rows, then exit 2", async () => {
    // States 0 and 1 swap under action 0 (no reward); action 1 ends in terminal state 2 with reward 1. The
    // expert always swaps, so its undiscounted return is undefined; random and optimal end surely.
    const m = twoStateCycle(0, 0, 1, Float64Array.of(1, 0, 1, 0, 1, 0));
    const dir = mkdtempSync(join(tmpdir(), "tabmdp-looping-expert-"));
    await writeMdpDir(m, dir);
    const why =
      "tabmdp: expert policy: the policy does not reach a terminal state with probability 1 from start state 0 " +
      "(it can enter states from which no terminal state is reachable), so its undiscounted value is undefined; " +
      "use --gamma < 1 or change the policy\n";
    const text = await runCli("baselines", dir, "--gamma", "1");
    expect(text.code).toBe(2);
    expect(text.err).toBe(why);
    // Random ends with probability 1/2 per step: return 1, expected length 2.
    expect(text.out).toMatch(/^random +1\.0000 +2\.000$/m);
    expect(text.out).toMatch(/^expert +undefined +unbounded$/m);
    expect(text.out).toMatch(/^optimal +1\.0000 +1\.000$/m);
    const json = await runCli("baselines", dir, "--gamma", "1", "--json");
    expect(json.code).toBe(2);
    expect(json.err).toBe(why);
    const j = JSON.parse(json.out);
    expect(j.policies.expert.return).toBeNull();
    expect(j.policies.optimal.return).toBe(1);
    // evaluate says the same of the same policy.
    const e = await runCli("evaluate", dir, "--policy", "expert", "--gamma", "1");
    expect(e.code).toBe(2);
    expect(e.err).toBe(why.replace("expert policy: ", ""));
  });

  it("a bad option value", async () => {
    const r = await runCli("baselines", demo, "--gamma", "1.5");
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/discount in \(0, 1\]/);
  });

  it("a policy file of the wrong shape names the file", async () => {
    const dir = mkdtempSync(join(tmpdir(), "tabmdp-policy-"));
    const file = join(dir, "policy.csv");
    writeFileSync(file, "0.5,0.5\n");
    const r = await runCli("evaluate", demo, "--policy", file);
    expect(r.code).toBe(2);
    expect(r.err).toContain("policy.csv");
  });
});
