import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { writeMdpDir } from "../src/io/index.js";
import { csrFromDense, makeMdp } from "../src/model/build.js";
import { randomIcuShapedMdp } from "../src/model/random-mdp.js";
import { cleanFixtures, tempDir } from "./helpers/io-fixture.js";

afterAll(cleanFixtures);

const SCRIPT = join(import.meta.dirname, "helpers", "python-readers.py");

/** Why the cross-reader check cannot run here, or null when python3 with numpy is available. */
function pythonMissing(): string | null {
  try {
    execFileSync("python3", ["-c", "import numpy"], { stdio: "ignore" });
    return null;
  } catch {
    return "python3 with numpy is not installed";
  }
}
const missing = pythonMissing();

interface ReaderBits {
  numpy: string[];
  pandas?: string[];
  polars?: string[];
  pandas_dtypes?: string[];
  polars_dtypes?: string[];
}

const hex = (xs: ArrayLike<number>): string[] =>
  Array.from(Float64Array.from(xs), (x) => {
    const v = new DataView(new ArrayBuffer(8));
    v.setFloat64(0, x);
    return v.getBigUint64(0).toString(16).padStart(16, "0");
  });

/**
 * Every reader present returns the written doubles bit for bit, as float64 columns (one Python start for all
 * files: importing pandas and polars dominates the time). Readers not installed are logged as skipped.
 */
function expectSameBits(cases: readonly (readonly [string, ArrayLike<number>])[]): void {
  const text = execFileSync("python3", [SCRIPT, ...cases.map(([f]) => f)], { encoding: "utf8" });
  const got = JSON.parse(text) as { missing: string[]; files: ReaderBits[] };
  if (got.missing.length > 0) console.warn(`not checked (not installed): ${got.missing.join(", ")}`);
  cases.forEach(([file, want], i) => {
    const r = got.files[i]!;
    const bits = hex(want);
    expect(r.numpy, file).toEqual(bits);
    if (r.pandas) expect([r.pandas, r.pandas_dtypes], file).toEqual([bits, ["float64"]]);
    if (r.polars) expect([r.polars, r.polars_dtypes], file).toEqual([bits, ["Float64"]]);
  });
}

/** A model whose values include integers, -0, subnormals and 17-digit decimals: the cases readers trip on. */
function awkwardMdp() {
  const base = randomIcuShapedMdp("readers", { states: 6, actions: 3, expert: true });
  const nS = base.nS;
  const rS = new Float64Array(nS);
  const specials = [3, -0, 5e-324, 0.1 + 0.2, -1e21, 2 ** 53 + 2, 1e-7, 123456789];
  for (let s = 0; s < nS; s++) rS[s] = specials[s % specials.length]!;
  return { ...base, reward: { kind: "next-state" as const, rS } };
}

describe.skipIf(missing !== null)(
  `CSV files load bit-exactly in numpy, pandas, polars (${missing ?? "python3 found"})`,
  () => {
    it("transitions, reward, d0 and expert policy of an exported model", async () => {
      const m = awkwardMdp();
      const dir = await tempDir();
      await writeMdpDir(m, dir);
      const dense = new Float64Array(m.nS * m.nA * m.nS);
      for (let r = 0; r < m.nS * m.nA; r++)
        for (let k = m.rowPtr[r]!; k < m.rowPtr[r + 1]!; k++) dense[r * m.nS + m.next[k]!] = m.prob[k]!;
      expectSameBits([
        [join(dir, "transitionFunction.csv"), dense],
        [join(dir, "rewardFunction.csv"), m.reward.rS],
        [join(dir, "initialStateDistribution.csv"), m.d0],
        [join(dir, "expertPolicy.csv"), m.expertPolicy ?? []],
      ]);
    });
    it("a table of only integers and zeros still loads as float64 everywhere", async () => {
      const nS = 3;
      const dense = Float64Array.of(1, 0, 0, 0, 1, 0, 0, 0, 1);
      const m = makeMdp({
        nS,
        nA: 1,
        ...csrFromDense(dense, nS, nS),
        reward: { kind: "next-state", rS: Float64Array.of(0, 1, 2) },
        d0: Float64Array.of(1, 0, 0),
      });
      const dir = await tempDir();
      await writeMdpDir(m, dir);
      expectSameBits([
        [join(dir, "transitionFunction.csv"), dense],
        [join(dir, "rewardFunction.csv"), [0, 1, 2]],
      ]);
    });
  },
);
