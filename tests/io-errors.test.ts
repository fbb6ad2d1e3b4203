import { afterAll, describe, expect, it } from "vitest";
import { InputError } from "../src/core/errors.js";
import { readMdpDir, readPolicyCsv, validateMdpDir } from "../src/io/index.js";
import { cleanFixtures, fixture } from "./helpers/io-fixture.js";

afterAll(cleanFixtures);

/** The loader's error for a folder with `changes`, and validate's problem list. */
async function problemsOf(changes: Record<string, string | null>, tolerance?: number) {
  const dir = await fixture(changes);
  const opts = tolerance === undefined ? {} : { tolerance };
  const thrown = await readMdpDir(dir, opts).then(
    () => null,
    (e: unknown) => e,
  );
  const report = await validateMdpDir(dir, opts);
  return { thrown, report, messages: report.problems.map((p) => p.message) };
}

/** Both the loader and the validator report `pattern` (file:line:col: reason). */
async function expectProblem(changes: Record<string, string | null>, pattern: RegExp, tolerance?: number) {
  const r = await problemsOf(changes, tolerance);
  expect(r.thrown).toBeInstanceOf(InputError);
  expect(r.report.ok).toBe(false);
  expect(
    r.messages.some((m) => pattern.test(m)),
    `${r.messages.join("\n")}\n!~ ${pattern}`,
  ).toBe(true);
  return r;
}

describe("valid fixture", () => {
  it("loads and validates", async () => {
    const dir = await fixture();
    const m = await readMdpDir(dir);
    expect([m.nS, m.nA, m.prob.length]).toEqual([3, 2, 8]);
    expect(Array.from(m.terminalS)).toEqual([0, 0, 1]);
    const r = await validateMdpDir(dir);
    expect(r.ok).toBe(true);
    expect(r.summary).toMatchObject({ nS: 3, nA: 2, nonZeros: 8, admissiblePairs: 3, terminalStates: [2] });
  });
});

describe("files", () => {
  it.each(["transitionFunction.csv", "rewardFunction.csv", "initialStateDistribution.csv"])(
    "missing required %s",
    async (name) => {
      await expectProblem({ [name]: null }, new RegExp(`${name.replace(".", "\\.")}: missing required file`));
    },
  );
  it("empty transition file", async () => {
    await expectProblem({ "transitionFunction.csv": "" }, /transitionFunction\.csv: empty file/);
  });
  it("empty d0 file", async () => {
    await expectProblem(
      { "initialStateDistribution.csv": "\n" },
      /initialStateDistribution\.csv: empty file/,
    );
  });
  it("empty admissible file", async () => {
    await expectProblem({ "admissibleActions.txt": "" }, /admissibleActions\.txt: empty file/);
  });
});

describe("transition matrix", () => {
  const T = "transitionFunction.csv";
  it("ragged row, too few fields", async () => {
    await expectProblem(
      { [T]: "0.5,0.5,0\n0,1\n0,0,1\n0.25,0,0.75\n0,0,1\n0,0,1\n" },
      /Function\.csv:2:3: ragged row: 2 fields, expected 3/,
    );
  });
  it("ragged row, too many fields", async () => {
    await expectProblem(
      { [T]: "0.5,0.5,0\n0,1,0\n0,0,1,0\n0.25,0,0.75\n0,0,1\n0,0,1\n" },
      /Function\.csv:3:4: ragged row: 4 fields/,
    );
  });
  it("rows not a multiple of S", async () => {
    await expectProblem(
      { [T]: `${"0,0,1\n".repeat(7)}`, "metadata.json": null },
      /Function\.csv:7:1: wrong number of rows: 7 is not a multiple of S/,
    );
  });
  it("rows beyond S x A declared in metadata.json stop the read", async () => {
    await expectProblem(
      { [T]: `${"0,0,1\n".repeat(7)}` },
      /Function\.csv:7:1: more than 6 rows \(S x A = 3 x 2, with A from metadata\.json\)/,
    );
  });
  it.each([
    ["abc", /:2:2: non-numeric cell "abc"/],
    ["NaN", /:2:2: NaN \("NaN"\) is not allowed/],
    ["Infinity", /:2:2: infinite value "Infinity"/],
    ["-inf", /:2:2: infinite value "-inf"/],
    ["1e999", /:2:2: "1e999" overflows to infinity/],
    ["", /:2:2: empty cell/],
    [" 1", /:2:2: non-numeric cell " 1"/],
    ["-0.5", /:2:2: negative probability "-0.5", expected >= 0/],
  ])("bad cell %j", async (cell, pattern) => {
    await expectProblem({ [T]: `0.5,0.5,0\n0,${cell},0\n0,0,1\n0.25,0,0.75\n0,0,1\n0,0,1\n` }, pattern);
  });
  it("a header row is reported as such", async () => {
    await expectProblem(
      { [T]: `s0,s1,s2\n${VALID_T}` },
      /Function\.csv:1:1: non-numeric cell "s0".*no header row/,
    );
  });
  it("row sum off 1 names the (s, a) row", async () => {
    await expectProblem(
      { [T]: "0.5,0.5,0\n0,1,0\n0,0,1\n0.25,0,0.7\n0,0,1\n0,0,1\n" },
      /Function\.csv:4:1: row \(s=1, a=1\) sums to 0\.95 .*expected 1 within tolerance 1e-9/,
    );
  });
  it("tolerance option", async () => {
    const t = "0.5,0.5000001,0\n0,1,0\n0,0,1\n0.25,0,0.75\n0,0,1\n0,0,1\n";
    await expectProblem({ [T]: t }, /Function\.csv:1:1: row \(s=0, a=0\) sums to/);
    const ok = await problemsOf({ [T]: t }, 1e-6);
    expect(ok.report.ok).toBe(true);
  });
  it("blank line inside the data; CRLF and trailing blank lines are fine", async () => {
    await expectProblem(
      { [T]: "0.5,0.5,0\n\n0,1,0\n0,0,1\n0.25,0,0.75\n0,0,1\n0,0,1\n" },
      /Function\.csv:2:1: blank line/,
    );
    const crlf = await problemsOf({ [T]: `${VALID_T.replaceAll("\n", "\r\n")}\n\n` });
    expect(crlf.messages).toEqual([]);
  });
});

const VALID_T = "0.5,0.5,0\n0,1,0\n0,0,1\n0.25,0,0.75\n0,0,1\n0,0,1\n";

describe("small tables", () => {
  const D0 = "initialStateDistribution.csv";
  const R = "rewardFunction.csv";
  const E = "expertPolicy.csv";
  it("d0 not summing to 1", async () => {
    await expectProblem(
      { [D0]: "0.5,0.4,0\n" },
      /initialStateDistribution\.csv:1:1: initial distribution sums to 0\.9/,
    );
  });
  it("d0 with two rows", async () => {
    await expectProblem(
      { [D0]: "0.5,0.5,0\n0.5,0.5,0\n" },
      /initialStateDistribution\.csv:2:1: wrong number of rows: 2, expected 1 rows/,
    );
  });
  it("d0 negative and non-numeric cells", async () => {
    const r = await expectProblem(
      { [D0]: "1.5,-0.5,x\n" },
      /initialStateDistribution\.csv:1:2: negative probability "-0\.5"/,
    );
    expect(r.messages.some((m) => /initialStateDistribution\.csv:1:3: non-numeric cell "x"/.test(m))).toBe(
      true,
    );
  });
  it("reward of the wrong width", async () => {
    await expectProblem(
      { [R]: "0,0,1,0\n" },
      /rewardFunction\.csv:1:1: shape 1 x 4, expected 1 x 3 .* or 3 x 2/,
    );
  });
  it("reward S x A is state-action", async () => {
    const m = await readMdpDir(await fixture({ [R]: "0,1\n0.5,-1\n0,0\n" }));
    expect(m.reward.kind).toBe("state-action");
  });
  it("reward NaN", async () => {
    await expectProblem({ [R]: "0,NaN,1\n" }, /rewardFunction\.csv:1:2: NaN/);
  });
  it("expert policy row summing to neither 1 nor 0", async () => {
    await expectProblem(
      { [E]: "0.5,0.5\n0.5,0\n0,0\n" },
      /expertPolicy\.csv:2:1: policy row of state 1 sums to 0\.5/,
    );
  });
  it("expert policy with a wrong column count", async () => {
    await expectProblem(
      { [E]: "0.5,0.5,0\n1,0,0\n0,0,0\n" },
      /expertPolicy\.csv:1:3: ragged row: 3 fields, expected 2 columns \(A = 2/,
    );
  });
  it("expert policy with too few rows", async () => {
    await expectProblem(
      { [E]: "0.5,0.5\n1,0\n" },
      /expertPolicy\.csv:3:1: wrong number of rows: 2, expected 3 rows/,
    );
  });
  it("ragged row in a small table", async () => {
    await expectProblem(
      { "stateClusterCenters.csv": "0.1,0.2\n0.3\n0,0\n" },
      /stateClusterCenters\.csv:2:2: ragged row: 1 fields/,
    );
  });
  it("sofa scores of the wrong width", async () => {
    await expectProblem(
      { "sofaScores.csv": "1,2\n" },
      /sofaScores\.csv:1:3: ragged row: 2 fields, expected 3 columns/,
    );
  });
  it("readPolicyCsv checks shape and sums", async () => {
    const dir = await fixture();
    const pi = await readPolicyCsv(`${dir}/expertPolicy.csv`, 3, 2);
    expect(Array.from(pi)).toEqual([0.5, 0.5, 1, 0, 0, 0]);
    await expect(readPolicyCsv(`${dir}/expertPolicy.csv`, 3, 3)).rejects.toThrow(
      /expertPolicy\.csv:1:3: ragged row/,
    );
    await expect(readPolicyCsv(`${dir}/transitionFunction.csv`, 3, 3)).rejects.toThrow(
      /:4:1: wrong number of rows/,
    );
  });
});

describe("admissibleActions.txt", () => {
  const F = "admissibleActions.txt";
  it("action out of range", async () => {
    await expectProblem(
      { [F]: "2 1 2\n0 2\n1\n0 1\n" },
      /admissibleActions\.txt:2:2: action "2" of state 0 is out of range, expected 0\.\.1/,
    );
  });
  it("count disagreeing with its line", async () => {
    await expectProblem(
      { [F]: "2 2 2\n0 1\n1\n0 1\n" },
      /admissibleActions\.txt:3:2: state 1 lists 1 actions but line 1 says 2/,
    );
  });
  it("duplicate action and wrong line count", async () => {
    await expectProblem(
      { [F]: "2 1 2\n0 0\n1\n0 1\n" },
      /admissibleActions\.txt:2:2: action 0 of state 0 is listed twice/,
    );
    await expectProblem(
      { [F]: "2 1 2\n0 1\n1\n" },
      /admissibleActions\.txt:4:1: state 2 lists 0 actions but line 1 says 2/,
    );
    await expectProblem(
      { [F]: "2 1 2\n0 1\n1\n0 1\n1\n" },
      /admissibleActions\.txt:5:1: wrong number of lines: 5, expected 4/,
    );
  });
  it("bad count on line 1", async () => {
    await expectProblem(
      { [F]: "2 x 2\n0 1\n1\n0 1\n" },
      /admissibleActions\.txt:1:2: count "x" is not an integer in 0\.\.2/,
    );
  });
});

describe("metadata.json", () => {
  const M = "metadata.json";
  it("terminal state out of range, located in the JSON", async () => {
    await expectProblem(
      { [M]: '{\n  "terminal_states": [2,\n    7]\n}\n' },
      /metadata\.json:3:5: terminal state 7 is out of range, expected 0\.\.2/,
    );
  });
  it("death state out of range and n_actions mismatch", async () => {
    const r = await expectProblem(
      { [M]: '{"death_state": -1, "n_actions": 3}' },
      /metadata\.json:1:17: death_state -1 is out of range/,
    );
    expect(
      r.messages.some((m) => /metadata\.json:1:34: n_actions is 3, but the tables have A = 2/.test(m)),
    ).toBe(true);
  });
  it("invalid JSON", async () => {
    await expectProblem({ [M]: '{\n  "n_states": 3,\n}' }, /metadata\.json:3:1: invalid JSON/);
  });
  it("terminal_states from metadata override inference", async () => {
    const m = await readMdpDir(await fixture({ [M]: '{"terminal_states": [1, 2]}' }));
    expect(Array.from(m.terminalS)).toEqual([0, 1, 1]);
  });
});

describe("validateMdpDir", () => {
  it("lists every problem, in several files, up to the cap", async () => {
    const changes = {
      "transitionFunction.csv": "0.5,x,0\n0,1,0\n0,0,y\n0.25,0,0.7\n0,0,1\n0,0,1\n",
      "initialStateDistribution.csv": "0.5,0.4,0\n",
      "expertPolicy.csv": "0.5,0.4\n1,0\n0,0\n",
    };
    const r = await problemsOf(changes);
    expect(r.messages).toHaveLength(5);
    expect((r.thrown as InputError).message).toBe(
      r.messages.find((m) => m.includes("initialStateDistribution")),
    );
    const capped = await validateMdpDir(await fixture(changes), { maxProblems: 2 });
    expect(capped.problems).toHaveLength(2);
    expect(capped.ok).toBe(false);
  });
  it("problems carry file, line, column and reason", async () => {
    const r = await validateMdpDir(
      await fixture({ "transitionFunction.csv": "0.5,x,0\n0,1,0\n0,0,1\n0.25,0,0.75\n0,0,1\n0,0,1\n" }),
    );
    const p = r.problems[0]!;
    expect([p.file.endsWith("transitionFunction.csv"), p.line, p.column]).toEqual([true, 1, 2]);
    expect(p.reason).toMatch(/non-numeric/);
  });
  it("a missing folder is one problem", async () => {
    const r = await validateMdpDir("/nonexistent-tabmdp-folder");
    expect(r.problems.map((p) => p.reason)).toEqual([expect.stringMatching(/not a folder/)]);
  });
});
