import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import type { Command } from "@commander-js/extra-typings";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { evaluatePolicy, uniformTable } from "../solvers/index.js";
import { PARAMS, resolveParams } from "../solvers/learning/params.js";
import { camel } from "../src/cli/commands/learning-options.js";
import { program } from "../src/cli/main.js";
import { idRanges } from "../src/cli/output.js";
import { fixed } from "../src/core/format.js";
import { writeMdpDir } from "../src/io/index.js";
import { referenceFor } from "../src/study/manifest.js";
import { cleanFixtures, fixture } from "./helpers/io-fixture.js";
import { randomMdp } from "./helpers/learning-mdps.js";
import { runCli } from "./helpers/run-cli.js";
import { repoRoot } from "./helpers/shared.js";

const demo = resolve(repoRoot, "data/demo");
let root = "";
let discounted = "";
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), "tabmdp-vocab-"));
  discounted = join(root, "discounted");
  const m = randomMdp(6, 3, 5);
  await writeMdpDir({ ...m, metadata: { ...m.metadata, gamma: 0.9 } }, discounted);
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
  await cleanFixtures();
});

/** Every runnable command of the tree with its full name (a group such as `sim` has no options of its own). */
function runnable(cmd: Command, prefix = ""): { name: string; cmd: Command }[] {
  const subs = cmd.commands as Command[];
  const self = prefix !== "" && (subs.length === 0 || cmd.options.length > 0) ? [{ name: prefix, cmd }] : [];
  return [...self, ...subs.flatMap((c) => runnable(c, `${prefix} ${c.name()}`.trim()))];
}
const flags = (c: Command): string[] => c.options.map((o) => o.long ?? "");

/** Commands that read an MDP folder (their first argument is one). */
const LOADING = [
  "info",
  "validate",
  "baselines",
  "solve",
  "evaluate",
  "simulate",
  "export",
  "learn",
  "bench",
  "tune",
  "fidelity",
  "study perturb",
];

const all = runnable((await program("all")) as unknown as Command);

describe("one option vocabulary", () => {
  it("every command has --json; every loading command has --row-sum-tolerance", () => {
    expect(all.length).toBeGreaterThan(15);
    for (const { name, cmd } of all) expect(flags(cmd), name).toContain("--json");
    for (const name of LOADING) {
      const c = all.find((x) => x.name === name);
      expect(c, name).toBeDefined();
      expect(flags(c!.cmd), name).toContain("--row-sum-tolerance");
    }
  });

  it("one spelling per concept: no command shows an old spelling", () => {
    const old = ["--tol", "--max-iter", "--max-steps"];
    for (const { name, cmd } of all) {
      const shown = cmd.options.filter((o) => !o.hidden).map((o) => o.long);
      for (const f of old) expect(shown, name).not.toContain(f);
    }
  });

  it("old spellings still work, with a deprecation warning, and give the same output", async () => {
    const args = ["simulate", demo, "--policy", "random", "--episodes", "300", "--json"];
    const now = await runCli(...args, "--max-episode-steps", "3");
    const old = await runCli(...args, "--max-steps", "3");
    expect(now.err).toBe("");
    expect(old.err).toContain("--max-steps is deprecated; use --max-episode-steps");
    const strip = (t: string): string => t.replace(/"stepsPerSecond": [^\n]+/, "");
    expect(strip(old.out)).toBe(strip(now.out));
    expect(JSON.parse(now.out).truncatedEpisodes).toBeGreaterThan(0);
    const v = await runCli("validate", demo, "--tolerance", "1e-6");
    expect(v.code).toBe(0);
    expect(v.err).toContain("--tolerance is deprecated; use --row-sum-tolerance");
    expect(v.out).toContain("(tolerance 0.000001)");
    const bad = await runCli("validate", demo, "--tolerance", "-1");
    expect(bad.code).toBe(2);
    expect(bad.err).toContain("expected a positive number");
  });

  it("--row-sum-tolerance lets every loading command read rows that are off by 1e-7", async () => {
    const dir = await fixture({
      "transitionFunction.csv": "0.5,0.5000001,0\n0,1,0\n0,0,1\n0.25,0,0.75\n0,0,1\n0,0,1\n",
    });
    const out = join(root, "exported");
    const runs: string[][] = [
      ["info", dir],
      ["validate", dir],
      ["baselines", dir],
      ["solve", dir],
      ["evaluate", dir, "--policy", "random"],
      ["simulate", dir, "--policy", "random", "--episodes", "10"],
      ["export", dir, out],
      ["study", "perturb", dir, "--repeats", "2", "--p", "0.5"],
    ];
    for (const args of runs) {
      const strict = await runCli(...args);
      expect(strict.code, args.join(" ")).toBe(2);
      const loose = await runCli(...args, "--row-sum-tolerance", "1e-6");
      expect(loose.code, `${args.join(" ")}: ${loose.err}`).toBe(0);
    }
  });

  it("--seed defaults to 1 on every seeded command (same output as --seed 1)", async () => {
    const args = ["simulate", demo, "--policy", "random", "--episodes", "200"];
    const strip = (t: string): string => t.replace(/"stepsPerSecond": [^\n]+/, "");
    const a = await runCli(...args, "--json");
    const b = await runCli(...args, "--json", "--seed", "1");
    expect(JSON.parse(a.out).seed).toBe(1);
    expect(strip(a.out)).toBe(strip(b.out));
    const c = await runCli("sim", "run", "sepsispilot/mild-sepsis", "--episodes", "3", "--json");
    expect(JSON.parse(c.out).seed).toBe(1);
  });
});

describe("options checked at the boundary", () => {
  it("a mistyped policy name is not read as a file", async () => {
    const r = await runCli("evaluate", demo, "--policy", "randm");
    expect(r.code).toBe(2);
    expect(r.err).toBe("tabmdp: unknown policy 'randm' (random|expert|optimal or a CSV file path)\n");
  });

  it("study perturb rejects a drop probability above 1", async () => {
    const r = await runCli("study", "perturb", demo, "--p", "0.2,1.5");
    expect(r.code).toBe(2);
    expect(r.err).toContain("expected probabilities in [0, 1]");
  });

  it("build --help points to a command that exists", async () => {
    const help = await runCli("build", "--help");
    expect(help.out).toContain("`tabmdp sims`");
    expect((await runCli("sims")).code).toBe(0);
  });

  it("simulate and evaluate use the same discount (the metadata's, or --gamma)", async () => {
    for (const g of [[], ["--gamma", "0.5"]]) {
      const ev = JSON.parse((await runCli("evaluate", discounted, "--policy", "random", "--json", ...g)).out);
      const sim = await runCli(
        "simulate",
        discounted,
        "--policy",
        "random",
        "--episodes",
        "4000",
        "--json",
        ...g,
      );
      const s = JSON.parse(sim.out);
      expect(s.gamma).toBe(ev.gamma);
      expect(s.exact.return).toBe(ev.return);
      // The sampled discounted return's 99.9 % interval (3.29 standard errors) covers the exact value.
      expect(Math.abs(s.return.mean - ev.return)).toBeLessThan(3.29 * s.return.stderr);
    }
    const m = randomMdp(6, 3, 5);
    const exact = evaluatePolicy(m, uniformTable(m), { gamma: 0.9 }).expectedReturn;
    const ev = JSON.parse((await runCli("evaluate", discounted, "--policy", "random", "--json")).out);
    expect(ev.gamma).toBe(0.9);
    expect(ev.return).toBeCloseTo(exact!, 12);
  });
});

describe("output sizes and number formats", () => {
  it("terminal ids print as ranges", () => {
    expect(idRanges([])).toBe("none");
    expect(idRanges([4])).toBe("4");
    expect(idRanges([0, 1, 2, 3, 7, 9, 10])).toBe("0-3, 7, 9-10");
  });

  it("info on the demo prints its three terminal states as one range", async () => {
    const r = await runCli("info", demo);
    expect(r.out).toMatch(/states +43 \(terminal: 40-42\)/);
  });

  it("evaluate prints only outcomes with positive probability unless --all, and says how many it hid", async () => {
    // State 1 (never reached from d0) ends in terminal 3; state 0 ends in terminal 2.
    const dir = await fixture({
      "transitionFunction.csv":
        "0.5,0,0.5,0\n0.5,0,0.5,0\n0,0.5,0,0.5\n0,0.5,0,0.5\n0,0,1,0\n0,0,1,0\n0,0,0,1\n0,0,0,1\n",
      "rewardFunction.csv": "0,0,1,0\n",
      "initialStateDistribution.csv": "1,0,0,0\n",
      "expertPolicy.csv": null,
      "admissibleActions.txt": null,
      "stateClusterCenters.csv": null,
      "sofaScores.csv": null,
      "metadata.json": '{"n_states": 4, "n_actions": 2}\n',
    });
    const ev = JSON.parse((await runCli("evaluate", dir, "--policy", "random", "--json")).out);
    expect(ev.terminalProbabilities).toEqual([
      { state: 2, probability: 1 },
      { state: 3, probability: 0 },
    ]);
    const text = (await runCli("evaluate", dir, "--policy", "random")).out;
    expect(text).toContain("P(end in 2)  1.000000");
    expect(text).not.toContain("P(end in 3)");
    expect(text).toContain("(1 terminal states with probability 0 not shown; --all lists them)");
    const all = (await runCli("evaluate", dir, "--policy", "random", "--all")).out;
    expect(all).toContain("P(end in 3)  0.000000");
  });

  it("negative zero prints as zero; other negatives keep their sign", () => {
    expect(fixed(-0, 4)).toBe("0.0000");
    expect(fixed(-1e-12, 4)).toBe("0.0000");
    expect(fixed(-0.00005, 4)).toBe("-0.0001");
    expect(fixed(-0.4, 0)).toBe("0");
    expect(fixed(-2.5, 1)).toBe("-2.5");
    expect(fixed(0, 2)).toBe("0.00");
  });
});

describe("learning options and run manifests", () => {
  it("each hyperparameter flag reaches the options under its LearnParams key", () => {
    for (const p of PARAMS) expect(camel(p.flag)).toBe(p.key);
  });

  it("each job is measured against the reference under its own discount", () => {
    const refs = [
      { gamma: 0.9, optimal: 0.5, random: 0.1 },
      { gamma: 0.5, optimal: 0.2, random: 0.05 },
    ];
    const m = { mdp: { gamma: 0.9 }, references: refs } as unknown as Parameters<typeof referenceFor>[0];
    expect(referenceFor(m, resolveParams({})).optimal).toBe(0.5);
    expect(referenceFor(m, resolveParams({ gamma: 0.5 })).optimal).toBe(0.2);
    expect(() => referenceFor(m, resolveParams({ gamma: 0.7 }))).toThrow(/no reference for gamma 0.7/);
  });
});

describe("learning commands: --json, --algos with spaces, tune holds given values", () => {
  it("bench --json with --algos 'q-learning, sarsa'; bench merge --json", async () => {
    const out = join(root, "bench");
    const r = await runCli(
      ...["bench", discounted, "--algos", "q-learning, sarsa", "--seeds", "1", "--episodes", "200"],
      ...["--workers", "0", "--out", out, "--json"],
    );
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out);
    expect(j.summary.map((g: { group: string }) => g.group)).toEqual(["q-learning", "sarsa"]);
    expect(j.references[0].gamma).toBe(0.9);
    const merged = join(root, "merged");
    const m = await runCli("bench", "merge", out, "--out", merged, "--json");
    expect(m.code).toBe(0);
    expect(JSON.parse(m.out).summary).toEqual(j.summary);
  });

  it("learn --json", async () => {
    const out = join(root, "learn");
    const r = await runCli("learn", discounted, "--episodes", "300", "--out", out, "--json");
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out);
    expect(j.summary[0].runs).toBe(1);
    expect(j.steps).toBeGreaterThan(300);
  });

  it("tune --alpha 0.5 --json: every trial uses alpha 0.5, the other values are still drawn", async () => {
    const out = join(root, "tune");
    const r = await runCli(
      ...["tune", discounted, "--alpha", "0.5", "--trials", "3", "--seeds", "1", "--episodes", "200"],
      ...["--workers", "0", "--out", out, "--json"],
    );
    expect(r.code).toBe(0);
    const trials: { params: { alpha: number; epsilon: number } }[] = JSON.parse(r.out).trials;
    expect(trials.map((t) => t.params.alpha)).toEqual([0.5, 0.5, 0.5]);
    expect(new Set(trials.map((t) => t.params.epsilon)).size).toBe(3);
    expect(await readFile(join(out, "trials.csv"), "utf8")).toContain("0.5");
  });
});
