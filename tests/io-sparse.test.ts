import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { InputError } from "../src/core/errors.js";
import { defaultLayout, readMdpDir, validateMdpDir, writeMdpDir } from "../src/io/index.js";
import { csrFromDense, makeMdp } from "../src/model/build.js";
import { randomIcuShapedMdp } from "../src/model/random-mdp.js";
import { cleanFixtures, fixture, tempDir } from "./helpers/io-fixture.js";
import { runCli } from "./helpers/run-cli.js";
import { expectSameModel } from "./helpers/same-model.js";

afterAll(cleanFixtures);

/** The fixture's transition table (see VALID) in the sparse layout. */
const SPARSE =
  "state,action,next_state,probability\n" +
  "0,0,0,0.5\n0,0,1,0.5\n0,1,1,1\n1,0,2,1\n1,1,0,0.25\n1,1,2,0.75\n2,0,2,1\n2,1,2,1\n";
/** What tabmdp writes for the same table: every probability with a decimal point (see docs/csv-format.md). */
const WRITTEN = SPARSE.replace(/,1\n/g, ",1.0\n");
const sparseFolder = (transitions: string, more: Record<string, string | null> = {}) =>
  fixture({ "transitionFunction.csv": null, "transitions.csv": transitions, ...more });

describe("sparse layout: reading and writing", () => {
  it("reads the same model as the dense table", async () => {
    const dense = await readMdpDir(await fixture());
    expectSameModel(dense, await readMdpDir(await sparseFolder(SPARSE)));
    expectSameModel(
      dense,
      await readMdpDir(await fixture({ "transitionFunction.csv": null, "transitions.csv.gz": SPARSE })),
    );
  });
  it("accepts CRLF line ends and a trailing blank line", async () => {
    const dense = await readMdpDir(await fixture());
    expectSameModel(dense, await readMdpDir(await sparseFolder(`${SPARSE.replaceAll("\n", "\r\n")}\r\n`)));
  });
  it("writes exactly the documented text", async () => {
    const out = await tempDir();
    await writeMdpDir(await readMdpDir(await fixture()), out, { layout: "sparse" });
    expect(await readFile(join(out, "transitions.csv"), "utf8")).toBe(WRITTEN);
  });
  it.each([false, true])("round trip is bit-exact with every optional part (gzip %s)", async (gzip) => {
    const base = randomIcuShapedMdp(5, { states: 40, actions: 4, admissibility: true, expert: true });
    const dense = new Float64Array(base.nS * base.nA * base.nS);
    for (let r = 0; r < base.nS * base.nA; r++)
      for (let k = base.rowPtr[r]!; k < base.rowPtr[r + 1]!; k++)
        dense[r * base.nS + base.next[k]!] = base.prob[k]!;
    const m = makeMdp({
      ...base,
      ...csrFromDense(dense, base.nS * base.nA, base.nS),
      reward: {
        kind: "state-action",
        rSA: new Float64Array(base.nS * base.nA).map((_, i) => (i % 7) * -1e-300),
      },
      sofa: new Float64Array(base.nS).map((_, i) => i / 3),
    });
    const out = await tempDir();
    const files = await writeMdpDir(m, out, { gzip, layout: "sparse" });
    expect(files.map((f) => f.slice(out.length + 1))).toContain(
      gzip ? "transitions.csv.gz" : "transitions.csv",
    );
    expectSameModel(m, await readMdpDir(out));
    expect((await validateMdpDir(out)).ok).toBe(true);
  });
  it("rewriting a dense folder as sparse (and back) leaves one transition table", async () => {
    const dir = await fixture();
    const m = await readMdpDir(dir);
    await writeMdpDir(m, dir, { layout: "sparse" });
    expect(await readdir(dir)).not.toContain("transitionFunction.csv");
    await writeMdpDir(m, dir, { layout: "dense" });
    expect(await readdir(dir)).not.toContain("transitions.csv");
    expectSameModel(m, await readMdpDir(dir));
  });
  it("the default layout is dense below about 200 MB of dense text, sparse above", () => {
    expect(defaultLayout(randomIcuShapedMdp(1, { states: 100, actions: 10 }))).toBe("dense");
    expect(defaultLayout(randomIcuShapedMdp(1, { states: 4000, actions: 10 }))).toBe("sparse");
  });
});

/** The loader throws and validate lists a problem matching `pattern`. */
async function expectProblem(transitions: string, pattern: RegExp, more: Record<string, string | null> = {}) {
  const dir = await sparseFolder(transitions, more);
  const thrown = await readMdpDir(dir).then(
    () => null,
    (e: unknown) => e,
  );
  expect(thrown).toBeInstanceOf(InputError);
  const messages = (await validateMdpDir(dir)).problems.map((p) => p.message);
  expect(
    messages.some((m) => pattern.test(m)),
    `${messages.join("\n")}\n!~ ${pattern}`,
  ).toBe(true);
}

const withRow = (line: number, text: string): string => {
  const lines = SPARSE.split("\n");
  lines[line - 1] = text;
  return lines.join("\n");
};

describe("sparse layout: located errors", () => {
  it.each([
    [
      "wrong header",
      withRow(1, "s,a,s2,p"),
      /transitions\.csv:1:1: header is "s,a,s2,p", expected "state,action/,
    ],
    [
      "non-integer state",
      withRow(3, "0.0,0,1,0.5"),
      /transitions\.csv:3:1: state is "0\.0", expected a non-negative integer/,
    ],
    ["missing field", withRow(3, "0,0,0.5"), /transitions\.csv:3:3: next_state is "0\.5"/],
    ["negative probability", withRow(3, "0,0,1,-0.5"), /transitions\.csv:3:4: negative probability -0\.5/],
    ["NaN probability", withRow(3, "0,0,1,NaN"), /transitions\.csv:3:4: NaN \("NaN"\) is not allowed/],
    [
      "next states out of order",
      withRow(3, "0,0,0,0.5"),
      /transitions\.csv:3:3: duplicate entry for next_state 0/,
    ],
    [
      "pairs out of order",
      withRow(5, "0,0,2,1"),
      /transitions\.csv:5:2: \(s=0, a=0\) found where \(s=0, a=2\) or \(s=1, a=0\) was expected/,
    ],
    [
      "a pair missing",
      withRow(7, "2,1,2,1"),
      /transitions\.csv:7:2: \(s=2, a=1\) found where \(s=2, a=0\) was expected/,
    ],
    [
      "a state out of range",
      withRow(9, "2,1,3,1"),
      /transitions\.csv:9:3: state 3 out of range, expected < 3 \(S = 3 from initialStateDistribution\.csv\)/,
    ],
    [
      "a row sum off",
      withRow(3, "0,0,1,0.4"),
      /transitions\.csv:2:4: probabilities of \(s=0, a=0\) sum to 0\.9 /,
    ],
    [
      "the last states missing",
      SPARSE.split("\n").slice(0, 7).join("\n"),
      /transitions\.csv:8:1: rows end at state 1, expected states up to 2/,
    ],
    [
      "the last pair missing",
      SPARSE.split("\n").slice(0, 8).join("\n"),
      /transitions\.csv:9:1: \(s=2, a=1\) missing at the end/,
    ],
    ["no rows", "state,action,next_state,probability\n", /transitions\.csv:2:1: no data rows/],
    ["a blank line", withRow(3, ""), /transitions\.csv:3:1: blank line inside the data/],
  ])("%s", async (_, text, pattern) => {
    await expectProblem(text, pattern);
  });
  it("both layouts in one folder are rejected", async () => {
    await expectProblem(
      SPARSE,
      /transitions\.csv: both layouts present .*keep either transitionFunction\.csv or transitions\.csv/,
      {
        "transitionFunction.csv": "0.5,0.5,0\n0,1,0\n0,0,1\n0.25,0,0.75\n0,0,1\n0,0,1\n",
      },
    );
  });
  it("a missing transition table names both layouts", async () => {
    const r = await validateMdpDir(await fixture({ "transitionFunction.csv": null }));
    expect(r.problems.map((p) => p.message).join("\n")).toMatch(
      /missing required file .*or the sparse transitions\.csv/,
    );
  });
});

describe("tabmdp export --layout", () => {
  it("--layout sparse writes transitions.csv that validates", async () => {
    const out = await tempDir();
    const r = await runCli("export", await fixture(), out, "--layout", "sparse", "--json");
    expect(r.code).toBe(0);
    expect((JSON.parse(r.out) as { layout: string }).layout).toBe("sparse");
    expect(await readFile(join(out, "transitions.csv"), "utf8")).toBe(WRITTEN);
    expect((await runCli("validate", out)).code).toBe(0);
  });
  it("without --layout a model whose dense table is too big goes sparse, with a message", async () => {
    const big = await tempDir();
    await writeMdpDir(randomIcuShapedMdp(2, { states: 4000, actions: 10 }), big, { layout: "sparse" });
    const out = await tempDir();
    const r = await runCli("export", big, out);
    expect(r.code).toBe(0);
    expect(r.err).toMatch(/dense transition table would take ~\d+ MB .*writing the sparse transitions\.csv/);
    expect(await readdir(out)).toContain("transitions.csv");
  });
  it("an unknown layout is a usage error", async () => {
    expect((await runCli("export", await fixture(), await tempDir(), "--layout", "coo")).code).toBe(2);
  });
});
