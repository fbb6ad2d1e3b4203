import { afterAll, describe, expect, it } from "vitest";
import { readMdpDir, validateMdpDir } from "../src/io/index.js";
import { cleanFixtures, fixture } from "./helpers/io-fixture.js";

afterAll(cleanFixtures);

const T = "transitionFunction.csv";
const messages = async (dir: string, maxProblems = 50): Promise<string[]> =>
  (await validateMdpDir(dir, { maxProblems })).problems.map((p) => p.message);
const loadError = (dir: string): Promise<string> =>
  readMdpDir(dir).then(
    () => "",
    (e: unknown) => String(e),
  );

describe("reads are bounded by the declared shape", () => {
  it("a gzipped d0 of 25 million cells (a small file) is refused while inflating", async () => {
    const dir = await fixture({
      "initialStateDistribution.csv": null,
      "initialStateDistribution.csv.gz": `${"0.0,".repeat(25_000_000)}1.0\n`,
    });
    const m = await messages(dir);
    expect(m[0]).toMatch(/initialStateDistribution\.csv\.gz: decompresses to more than 16777216 bytes/);
    expect(await loadError(dir)).toMatch(/decompresses to more than/);
  });
  it("an expert policy larger than S x A cells can be is refused before parsing", async () => {
    const dir = await fixture({ "expertPolicy.csv": `${"0.5,".repeat(100)}0.5\n`.repeat(100) });
    expect((await messages(dir))[0]).toMatch(
      /expertPolicy\.csv: is more than 4480 bytes, more than 3 x 2 cells/,
    );
  });
  it("valid rows that never end stop at S x A (A from metadata.json) or at 4096 actions", async () => {
    const rows = "1.0\n".repeat(20_000);
    const one = { "initialStateDistribution.csv": "1.0\n", "rewardFunction.csv": "0.0\n", [T]: rows };
    const noExtras = {
      "expertPolicy.csv": null,
      "admissibleActions.txt": null,
      "stateClusterCenters.csv": null,
    };
    const declared = await fixture({
      ...one,
      ...noExtras,
      "sofaScores.csv": null,
      "metadata.json": '{"n_actions": 2}',
    });
    expect(await messages(declared)).toEqual([
      expect.stringMatching(
        /transitionFunction\.csv:3:1: more than 2 rows \(S x A = 1 x 2, with A from metadata\.json\)/,
      ),
    ]);
    const open = await fixture({ ...one, ...noExtras, "sofaScores.csv": null, "metadata.json": null });
    expect(await loadError(open)).toMatch(/:4097:1: more than 4096 rows \(4096 actions per state at most\)/);
  });
  it("rows invalid from row 1 stop the read once no more problems can be reported", async () => {
    // 5 bad rows, then a bad cell at the end: a reader that went on would report the cell.
    const t = `${"0.5,0.0,0.0\n".repeat(5)}0.0,0.0,1.0\nx,0.0,1.0\n`;
    const dir = await fixture({ [T]: t, "metadata.json": null });
    const m = await messages(dir, 3);
    expect(m).toHaveLength(3);
    expect(m.join("\n")).not.toMatch(/"x"/);
    expect(m[0]).toMatch(/transitionFunction\.csv:1:1: row 1 sums to 0\.5/);
    expect(await messages(dir, 10)).toContainEqual(expect.stringMatching(/:7:1: non-numeric cell "x"/));
  });
});

describe("line endings and long lines", () => {
  it("CR-only line endings are named, with the fix", async () => {
    const dir = await fixture({ [T]: "0.5,0.5,0\r0,1,0\r0,0,1\r0.25,0,0.75\r0,0,1\r0,0,1\r" });
    expect(await loadError(dir)).toMatch(
      /:1:3: line break CR without LF inside "0\\r0"; convert CR line endings/,
    );
  });
  it("a CR-only file larger than a chunk stops at the first chunk (linear, bounded memory)", async () => {
    const dir = await fixture({ [T]: "0.0,0.0,1.0\r".repeat(400_000) });
    const m = await messages(dir);
    expect(m[0]).toMatch(
      /:1:1: no line break in 1048576 bytes, more than a row of 3 cells can take; .*CR only/,
    );
  });
  it("CRLF endings and a missing final newline still read", async () => {
    const dir = await fixture({ [T]: "0.5,0.5,0\r\n0,1,0\r\n0,0,1\r\n0.25,0,0.75\r\n0,0,1\r\n0,0,1" });
    expect((await readMdpDir(dir)).nS).toBe(3);
  });
});

describe("input text in messages", () => {
  it("control characters are escaped and long tokens cut", async () => {
    const esc = "\u001b[31mred\u0007";
    const dir = await fixture({ [T]: `0.5,${esc},0\n0,1,0\n0,0,1\n0.25,0,0.75\n0,0,1\n0,0,1\n` });
    const e = await loadError(dir);
    expect(e).toContain('non-numeric cell "\\x1b[31mred\\x07"');
    expect([...e].filter((c) => c.charCodeAt(0) < 32 || c.charCodeAt(0) === 127)).toEqual([]);
    const huge = await fixture({ "rewardFunction.csv": `0,0,${"9".repeat(1_000_000)}x\n` });
    const h = await loadError(huge);
    expect(h).toMatch(/non-numeric cell "9{40}\.\.\." \(1000001 characters\)/);
    expect(h.length).toBeLessThan(600);
  });
  it("admissibleActions.txt tokens are quoted the same way", async () => {
    const dir = await fixture({ "admissibleActions.txt": "2 1 2\n0 \u001b\n1\n0 1\n" });
    expect(await loadError(dir)).toMatch(/action "\\x1b" of state 0 is out of range/);
  });
});
