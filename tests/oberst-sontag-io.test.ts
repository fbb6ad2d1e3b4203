import { existsSync, mkdtempSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { readMdpDir, validateMdpDir, writeMdpDir } from "../src/io/index.js";
import { buildOberstSontagMdp } from "../src/sim/oberst-sontag/index.js";
import { localValueIteration, startValue } from "./helpers/oberst-vi.js";
import { runCli } from "./helpers/run-cli.js";

const tmp = (): string => mkdtempSync(join(tmpdir(), "tabmdp-oberst-"));

/** Number of positions where two arrays differ (vitest's deep equality is slow on large typed arrays). */
function mismatches(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) return Math.max(a.length, b.length);
  let n = 0;
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) n++;
  return n;
}

describe("oberst-sontag export round trip", () => {
  it("writes, validates, reads back identical arrays and solves to the same value", async () => {
    const m = buildOberstSontagMdp("master");
    const dir = tmp();
    await writeMdpDir(m, dir);
    const report = await validateMdpDir(dir);
    expect(report.problems.map((p) => p.message)).toEqual([]);
    expect(report.ok).toBe(true);
    expect(report.summary?.terminalStates).toHaveLength(834);
    const back = await readMdpDir(dir);
    expect([back.nS, back.nA, back.reward.kind]).toEqual([1440, 8, "next-state"]);
    const rS = (x: typeof m) => (x.reward.kind === "next-state" ? x.reward.rS : x.reward.rSA);
    for (const [a, b] of [
      [back.rowPtr, m.rowPtr],
      [back.next, m.next],
      [back.prob, m.prob],
      [back.d0, m.d0],
      [back.terminalS, m.terminalS],
      [rS(back), rS(m)],
    ] as const)
      expect(mismatches(a, b)).toBe(0);
    expect(back.metadata.death_states).toEqual(m.metadata.death_states);
    const vi = localValueIteration(back, back.metadata.gamma ?? 1, 1e-10);
    expect(startValue(back, vi.vS)).toBeCloseTo(0.4771, 4);
  });
});

describe("tabmdp sim export", () => {
  let out = "";
  let err = "";
  /** Run the CLI in-process; keeps its stdout and stderr in `out` and `err` for the assertions. */
  const cli = async (...args: string[]): Promise<number> => {
    const r = await runCli(...args);
    out = r.out;
    err = r.err;
    return r.code;
  };

  it("exports sim-v2 with --gzip --json", async () => {
    const dir = join(tmp(), "oberst-v2");
    expect(await cli("sim", "export", "oberst-sontag", "--variant", "sim-v2", "--gzip", "--json", dir)).toBe(
      0,
    );
    const summary = JSON.parse(out) as Record<string, unknown>;
    expect(summary).toMatchObject({ variant: "sim-v2", states: 1440, actions: 8, terminalStates: 834 });
    expect(readdirSync(dir)).toContain("transitionFunction.csv.gz");
    const report = await validateMdpDir(dir);
    expect(report.ok).toBe(true);
    expect(report.summary?.nonZeros).toBe(buildOberstSontagMdp("sim-v2").next.length);
  });

  it("exports master by default with a one-line summary", async () => {
    const dir = join(tmp(), "oberst");
    expect(await cli("sim", "export", "oberst-sontag", dir)).toBe(0);
    expect(out).toMatch(/oberst-sontag \(master\).*1440 states, 8 actions/);
    expect(existsSync(join(dir, "transitionFunction.csv"))).toBe(true);
  });

  it.each([
    [["sim", "export", "sepsispilot/mild-sepsis", "x"], /no exact tabular MDP.*exportable: oberst-sontag/],
    [["sim", "export", "oberst-sontag", "--variant", "v3", "x"], /invalid/],
  ])("exits 2 on %j", async (args, message) => {
    expect(await cli(...args)).toBe(2);
    expect(err).toMatch(message);
  });
});
