import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { createSimulator, getSimulator, listSimulators } from "../src/sim/registry.js";
import { rollout } from "../src/sim/rollout.js";
import { wilson } from "../src/sim/summary.js";
import { runCli } from "./helpers/run-cli.js";

let out = "";
let err = "";
/** Run the CLI in-process; keeps its stdout and stderr in `out` and `err` for the assertions. */
const cli = async (...args: string[]): Promise<number> => {
  const r = await runCli(...args);
  out = r.out;
  err = r.err;
  return r.code;
};
const tmp = (): string => mkdtempSync(join(tmpdir(), "tabmdp-sim-"));
/** A trace path under a regular file: no folder can be created there. */
const notADir = (() => {
  const f = join(tmp(), "file");
  writeFileSync(f, "x");
  return join(f, "t.csv");
})();

describe("registry", () => {
  it("lists the SepsisPilot tasks and rejects unknown ids with the valid list", () => {
    const ids = listSimulators().map((d) => d.id);
    expect(ids).toEqual(expect.arrayContaining(["sepsispilot/mild-sepsis", "sepsispilot/severe-mods"]));
    expect(new Set(ids).size).toBe(ids.length);
    expect(() => getSimulator("nope")).toThrow(/valid ids: .*sepsispilot\/septic-shock/);
  });
  it("validates tiers", () => {
    expect(() => createSimulator("sepsispilot/mild-sepsis", { tier: "easy" })).toThrow(/has no tiers/);
    const withTiers = listSimulators().find((d) => d.tiers.length > 0);
    if (withTiers !== undefined) {
      expect(() => createSimulator(withTiers.id, { tier: "extreme" })).toThrow(/valid tiers/);
      expect(createSimulator(withTiers.id, { tier: withTiers.tiers[0]! }).options.tier).toBe(
        withTiers.tiers[0],
      );
    }
  });
  it("rollout derives per-episode seeds: episode i is the same alone or in a batch", () => {
    const { definition, options, simulator } = createSimulator("sepsispilot/septic-shock");
    const policy = definition.heuristics(options).heuristic!;
    const batch = rollout(simulator, policy, { episodes: 3, seed: 9 });
    const again = rollout(simulator, policy, { episodes: 3, seed: 9 });
    expect(again).toEqual(batch);
    expect(batch[0]!.return).not.toBe(batch[1]!.return);
  });
  it("Wilson interval matches a textbook value", () => {
    const w = wilson(8, 10);
    expect(w.low).toBeCloseTo(0.4902, 4);
    expect(w.high).toBeCloseTo(0.9433, 4);
  });
});

describe("tabmdp sims / sim run", () => {
  it("sims prints one line per simulator", async () => {
    expect(await cli("sims")).toBe(0);
    expect(out.trim().split("\n")).toHaveLength(listSimulators().length);
    expect(out).toMatch(/^sepsispilot\/severe-mods\s+SepsisPilot/m);
  });

  it("prints survival with a Wilson interval, return CI, length and grade", async () => {
    expect(await cli("sim", "run", "sepsispilot/mild-sepsis", "--episodes", "5", "--seed", "3")).toBe(0);
    expect(out).toMatch(/survival\s+1\.000\s+95% Wilson \[0\.\d+, 1\.000\]/);
    expect(out).toMatch(/return\s+-?\d+\.\d{3}\s+95% CI/);
    expect(out).toMatch(/length\s+\d+\.\d\d steps/);
    expect(out).toMatch(/grade\s+0\.\d{4}/);
  });

  it("--json reproduces the noise-free reference run for a constant action", async () => {
    const code = await cli(
      "sim",
      "run",
      "sepsispilot/mild-sepsis",
      "--policy",
      "constant:5",
      "--episodes",
      "2",
      "--noise",
      "off",
      "--json",
    );
    expect(code).toBe(0);
    const doc = JSON.parse(out);
    expect(doc).toMatchObject({ id: "sepsispilot/mild-sepsis", episodes: 2, noise: false });
    expect(doc.perEpisode[0]).toMatchObject({ outcome: "stable", length: 6, grade: 0.9268 });
    expect(doc.perEpisode[0].return).toBeCloseTo(8.79, 10);
    expect(doc.summary.survival.estimate).toBe(1);
    expect(doc.summary.grade.estimate).toBeCloseTo(0.9268, 10);
  });

  it("writes the trace CSV atomically with t = 0 as the reset observation", async () => {
    const dir = tmp();
    const file = join(dir, "trace.csv");
    expect(
      await cli(
        "sim",
        "run",
        "sepsispilot/severe-mods",
        "--policy",
        "random",
        "--episodes",
        "3",
        "--trace",
        file,
      ),
    ).toBe(0);
    const lines = readFileSync(file, "utf8").trim().split("\n");
    expect(lines[0]).toBe(
      "episode,t,action,map,lactate,wbc,temp,hr,creatinine,sofa,resistance,step_fraction,reward,terminated,truncated",
    );
    expect(lines[1]).toBe("0,0,,42,7,22,39.6,128,2.2,10,0.1,0,,0,0");
    const rows = lines.slice(1).map((l) => l.split(","));
    expect(rows.filter((r) => r[1] === "0")).toHaveLength(3);
    for (const r of rows) expect(r).toHaveLength(15);
    // Each episode ends on a terminated or truncated row.
    const ends = rows.filter((_r, i) => rows[i + 1] === undefined || rows[i + 1]![1] === "0");
    for (const r of ends) expect(r[13] === "1" || r[14] === "1").toBe(true);
    expect(readdirSync(dir)).toEqual(["trace.csv"]);
  });

  it("names box action components in the trace header", async () => {
    const boxSim = listSimulators().find((d) => d.create({}).actions.kind === "box");
    expect(boxSim).toBeDefined(); // SepsiSim has box actions
    if (boxSim === undefined) return;
    const file = join(tmp(), "box.csv");
    expect(await cli("sim", "run", boxSim.id, "--policy", "random", "--episodes", "1", "--trace", file)).toBe(
      0,
    );
    const space = boxSim.create({}).actions;
    const header = readFileSync(file, "utf8").split("\n")[0]!;
    expect(space.kind).toBe("box");
    if (space.kind === "box") for (const name of space.names) expect(header).toContain(name);
  });

  it.each([
    [["sim", "run", "nope"], /unknown simulator "nope"; valid ids/],
    [["sim", "run", "sepsispilot/mild-sepsis", "--policy", "constant:9"], /integer in 0\.\.8/],
    [["sim", "run", "sepsispilot/mild-sepsis", "--policy", "constant:x"], /bad number "x"/],
    [["sim", "run", "sepsispilot/mild-sepsis", "--policy", "constant:1,2"], /needs one action index/],
    [["sim", "run", "sepsispilot/mild-sepsis", "--policy", "toString"], /unknown policy "toString"/],
    [["sim", "run", "sepsispilot/mild-sepsis", "--tier", "hard"], /has no tiers/],
    [["sim", "run", "sepsispilot/mild-sepsis", "--episodes", "0"], /positive integer/],
    [["sim", "run", "sepsispilot/mild-sepsis", "--noise", "maybe"], /invalid/],
    [
      ["sim", "run", "sepsispilot/mild-sepsis", "--trace", notADir],
      /file\/t\.csv: .*file is a file, so nothing can be created under it/,
    ],
    // `sim export` is wired under `sim`; unknown ids go through the registry's error.
    [["sim", "export", "nope", "out"], /unknown simulator "nope"/],
  ])("exits 2 on %j", async (args, message) => {
    expect(await cli(...args)).toBe(2);
    expect(err).toMatch(message);
  });
});
