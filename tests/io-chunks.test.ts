import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { Readable } from "node:stream";
import { gunzipSync } from "node:zlib";
import { parse } from "csv-parse/sync";
import { describe, expect, it } from "vitest";
import { seeded } from "../src/core/rng.js";
import { readStochasticCsr } from "../src/io/matrix-reader.js";
import { throwingSink } from "../src/io/problems.js";
import { plainRecords } from "../src/io/small-csv.js";
import { LineTooLong, lineBlocks } from "../src/io/source.js";
import { runCli } from "./helpers/run-cli.js";
import { hasIcuSepsis, icuSepsisDir, repoRoot, SKIP_REASON } from "./helpers/shared.js";

const pieces = async (text: string, cuts: number[], cap?: number): Promise<string[]> => {
  const b = Buffer.from(text, "latin1");
  const chunks = [0, ...cuts, b.length]
    .slice(1)
    .map((end, i, ends) => b.subarray(i === 0 ? 0 : ends[i - 1]!, end));
  const out: string[] = [];
  for await (const p of lineBlocks(Readable.from(chunks), cap)) out.push(p.toString("latin1"));
  return out;
};

describe("lineBlocks", () => {
  it("cuts after line breaks, joins lines split across chunks, keeps every byte in order", async () => {
    const rng = seeded(7);
    for (let trial = 0; trial < 300; trial++) {
      let text = "";
      const n = Math.floor(rng.next() * 40);
      for (let i = 0; i < n; i++) text += "ab\r\n,0.0"[Math.floor(rng.next() * 9)] ?? "";
      const cuts = [
        ...new Set(Array.from({ length: 5 }, () => Math.floor(rng.next() * (text.length + 1)))),
      ].sort((x, y) => x - y);
      const got = await pieces(text, cuts);
      expect(got.join("")).toBe(text);
      got.forEach((p, i) => {
        expect(p.length).toBeGreaterThan(0);
        if (i < got.length - 1) expect(p.endsWith("\n")).toBe(true);
      });
    }
  });
  it("refuses a line longer than the cap, saying whether CRs were seen", async () => {
    await expect(pieces("aaaa\raaaa\raaaa", [3, 6, 9], 5)).rejects.toThrow(LineTooLong);
    await pieces("aaaa\raaaa\raaaa", [3, 6, 9], 5).catch((e: LineTooLong) => expect(e.cr).toBe(true));
  });
});

describe("small tables without quotes", () => {
  it("split into the same records as csv-parse", () => {
    const rng = seeded(11);
    const alphabet = ["1", "0.5", ",", "\n", "\r", "\r\n", " ", "", "x", "\ufeff", "\t"];
    for (let trial = 0; trial < 5000; trial++) {
      let text = "";
      const n = Math.floor(rng.next() * 9);
      for (let i = 0; i < n; i++) text += alphabet[Math.floor(rng.next() * alphabet.length)];
      const viaCsvParse = parse(text, { relax_column_count: true, record_delimiter: ["\r\n", "\n"] });
      expect(plainRecords(text), JSON.stringify(text)).toEqual(viaCsvParse);
    }
  });
});

describe.skipIf(!hasIcuSepsis)("ICU-Sepsis transition table", () => {
  it("every cell is stored as Number(cell) gives it, bit for bit, in the CSR arrays", async () => {
    const file = join(icuSepsisDir, "transitionFunction.csv.gz");
    const m = await readStochasticCsr(file, { file, width: null, tolerance: 1e-9, sink: throwingSink() });
    const rows = gunzipSync(readFileSync(file)).toString("latin1").split("\n");
    if (rows[rows.length - 1] === "") rows.pop();
    expect(m.nRows).toBe(rows.length);
    let k = 0;
    let mismatches = 0;
    rows.forEach((row, r) => {
      expect(m.rowPtr[r]).toBe(k);
      row.split(",").forEach((cell, c) => {
        const v = Number(cell);
        if (v === 0) return;
        if (m.col[k] !== c || !Object.is(m.val[k], v)) mismatches++;
        k++;
      });
    });
    expect(mismatches).toBe(0);
    expect(m.col.length).toBe(k);
  }, 120_000);
});

/** Why the numpy/scipy counterpart cannot run here, or null when it can. */
function pythonMissing(): string | null {
  if (!hasIcuSepsis) return SKIP_REASON;
  try {
    execFileSync("python3", ["-c", "import numpy, scipy"], { stdio: "ignore" });
    return null;
  } catch {
    return "python3 with numpy and scipy is not installed: the numpy baselines comparison is skipped";
  }
}
const missing = pythonMissing();

describe.skipIf(missing !== null)(
  `baselines against bench/baselines_numpy.py${missing ? ` (${missing})` : ""}`,
  () => {
    it("the numpy/scipy script and tabmdp agree to 1e-9 on ICU-Sepsis", async () => {
      const script = join(repoRoot, "bench", "baselines_numpy.py");
      const py = JSON.parse(execFileSync("python3", [script, icuSepsisDir], { encoding: "utf8" }));
      const r = await runCli("baselines", icuSepsisDir, "--json");
      expect(r.code).toBe(0);
      const ts = JSON.parse(r.out);
      expect(py.gamma).toBe(ts.gamma);
      expect(Object.keys(py.policies)).toEqual(Object.keys(ts.policies));
      for (const name of Object.keys(ts.policies)) {
        const a = py.policies[name];
        const b = ts.policies[name];
        expect(Math.abs(a.return - b.return), name).toBeLessThan(1e-9);
        expect(Math.abs(a.length - b.length), name).toBeLessThan(1e-9);
        expect(a.terminalProbabilities.map((t: { state: number }) => t.state)).toEqual(
          b.terminalProbabilities.map((t: { state: number }) => t.state),
        );
        a.terminalProbabilities.forEach((t: { probability: number }, i: number) => {
          expect(Math.abs(t.probability - b.terminalProbabilities[i].probability)).toBeLessThan(1e-9);
        });
      }
      expect(py.optimal.tiedStates).toBe(ts.policies.optimal.tiedStates);
    }, 120_000);
  },
);
