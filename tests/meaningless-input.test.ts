import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { actionSets } from "../src/model/action-sets.js";
import { csrFromDense, makeMdp } from "../src/model/build.js";
import { cleanFixtures, fixture, tempDir } from "./helpers/io-fixture.js";
import { runCli } from "./helpers/run-cli.js";

afterAll(cleanFixtures);

/** Every command that loads a folder; each must refuse it the same way (exit 2, located message, no stack). */
const LOADERS: readonly (readonly string[])[] = [
  ["validate"],
  ["info"],
  ["solve"],
  ["solve", "--horizon", "3"],
  ["baselines"],
  ["evaluate", "--policy", "random"],
  ["evaluate", "--policy", "random", "--horizon", "3"],
  ["simulate", "--policy", "random", "--episodes", "10", "--seed", "1"],
];

async function expectRefused(dir: string, message: string): Promise<void> {
  for (const args of LOADERS) {
    const [command, ...rest] = args;
    const r = await runCli(command!, dir, ...rest);
    expect(r.code, `${args.join(" ")}: ${r.out}${r.err}`).toBe(2);
    expect(r.out + r.err, args.join(" ")).toContain(message);
    expect(r.err).not.toContain("    at ");
  }
}

describe("rejecting what cannot be meant", () => {
  it("a non-terminal state with no admissible action: every loading command, file:line:col, exit 2", async () => {
    // State 1 (non-terminal: it moves to 0 and 2) lists no action on its line (line 3).
    const dir = await fixture({ "admissibleActions.txt": "2 0 2\n0 1\n\n0 1\n" });
    await expectRefused(
      dir,
      `${join(dir, "admissibleActions.txt")}:3:1: state 1 is not terminal but lists no admissible action: ` +
        'list at least one, or make it terminal (metadata.json "terminal_states")',
    );
  });

  it("an all-zero expertPolicy.csv row in a non-terminal state", async () => {
    const dir = await fixture({ "expertPolicy.csv": "0.5,0.5\n0,0\n0,0\n" });
    await expectRefused(
      dir,
      `${join(dir, "expertPolicy.csv")}:2:1: policy row of state 1 is all zeros, but state 1 is not terminal: ` +
        "give it a probability for each action (rows of zeros are only for terminal states)",
    );
  });

  it("an all-zero row in a policy file given to evaluate, simulate or evaluate --horizon", async () => {
    const dir = await fixture();
    const file = join(await tempDir(), "policy.csv");
    await writeFile(file, "0,0\n1,0\n0,0\n");
    const message =
      `${file}:1:1: policy row of state 0 is all zeros, but state 0 is not terminal: ` +
      "give it a probability for each action (rows of zeros are only for terminal states)";
    for (const args of [
      ["evaluate", dir, "--policy", file],
      ["evaluate", dir, "--policy", file, "--horizon", "2"],
      ["simulate", dir, "--policy", file, "--episodes", "10", "--seed", "1"],
    ]) {
      const r = await runCli(...args);
      expect(r.code, args.join(" ")).toBe(2);
      expect(r.err).toContain(message);
    }
    // The terminal state's all-zero row stays fine.
    const ok = await runCli("evaluate", dir, "--policy", join(dir, "expertPolicy.csv"));
    expect(ok.code).toBe(0);
  });

  it("a time-dependent policy file is checked block by block (row t*S+s is state s)", async () => {
    const dir = await fixture();
    const file = join(await tempDir(), "policy.csv");
    await writeFile(file, "1,0\n0,1\n0,0\n1,0\n0,0\n0,0\n");
    const r = await runCli("evaluate", dir, "--policy", file, "--horizon", "2");
    expect(r.code).toBe(2);
    expect(r.err).toContain(`${file}:5:1: policy row of state 1 is all zeros, but state 1 is not terminal`);
  });

  it("a model built in code: the planners refuse a non-terminal state without actions", () => {
    const dense = Float64Array.of(0, 1, 0, 1, 0, 1);
    const m = makeMdp({
      nS: 2,
      nA: 1,
      ...csrFromDense(dense, 2, 2),
      reward: { kind: "next-state", rS: Float64Array.of(0, 1) },
      d0: Float64Array.of(1, 0),
      admissibleSA: Uint8Array.of(0, 1),
      metadata: { terminal_states: [1] },
    });
    expect(() => actionSets(m, true)).toThrow(
      "state 0 is not terminal but has no admissible action: give it at least one, or make it terminal",
    );
    expect(actionSets(m, false).ptr[1]).toBe(1);
  });
});
