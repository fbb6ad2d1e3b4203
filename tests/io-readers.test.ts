import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { writeMdpDir } from "../src/io/index.js";
import { csrFromDense, makeMdp } from "../src/model/build.js";
import { randomIcuShapedMdp } from "../src/model/random-mdp.js";
import { cleanFixtures, tempDir } from "./helpers/io-fixture.js";
import { hasModules, pythons } from "./helpers/python.js";

afterAll(cleanFixtures);

const SCRIPT = join(import.meta.dirname, "helpers", "python-readers.py");

/** Every interpreter with numpy: each checks the readers it has (pandas may be in one, polars in another). */
const withNumpy = pythons.filter((p) => hasModules(p, ["numpy"]));
const missing = withNumpy.length > 0 ? null : "python3 with numpy is not installed";

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
  const checked = new Set<string>();
  for (const python of withNumpy) {
    const text = execFileSync(python, [SCRIPT, ...cases.map(([f]) => f)], { encoding: "utf8" });
    const got = JSON.parse(text) as { missing: string[]; files: ReaderBits[] };
    cases.forEach(([file, want], i) => {
      const r = got.files[i]!;
      const bits = hex(want);
      expect(r.numpy, `${python}: ${file}`).toEqual(bits);
      if (r.pandas) expect([r.pandas, r.pandas_dtypes], `${python}: ${file}`).toEqual([bits, ["float64"]]);
      if (r.polars) expect([r.polars, r.polars_dtypes], `${python}: ${file}`).toEqual([bits, ["Float64"]]);
    });
    for (const reader of ["pandas", "polars"]) if (!got.missing.includes(reader)) checked.add(reader);
  }
  const unchecked = ["pandas", "polars"].filter((r) => !checked.has(r));
  if (unchecked.length > 0) console.warn(`not checked (not installed): ${unchecked.join(", ")}`);
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
