import { afterAll, describe, expect, it } from "vitest";
import { seeded } from "../src/core/rng.js";
import {
  formatNumber,
  parseDecimalBytes,
  parseDecimalText,
  readMdpDir,
  validateMdpDir,
} from "../src/io/index.js";
import { cleanFixtures, fixture, VALID } from "./helpers/io-fixture.js";

afterAll(cleanFixtures);

describe("folder layouts", () => {
  const gzAll = Object.fromEntries(
    Object.entries(VALID).flatMap(([k, v]) =>
      k === "metadata.json"
        ? []
        : [
            [k, null],
            [`${k}.gz`, v],
          ],
    ),
  );
  const extras = {
    "stateClusterCenters.csv": null,
    "sofaScores.csv": null,
    "admissibleActions.txt": null,
    "extras/stateClusterCenters.csv": VALID["stateClusterCenters.csv"]!,
    "extras/sofaScores.csv.gz": VALID["sofaScores.csv"]!,
    "extras/admissibleActions.txt.gz": VALID["admissibleActions.txt"]!,
  };
  it.each([
    ["flat .csv", {}],
    ["flat .csv.gz", gzAll],
    ["extras/ (mixed .csv and .gz)", extras],
  ])("%s gives the same model", async (_, changes) => {
    const base = await readMdpDir(await fixture());
    const m = await readMdpDir(await fixture(changes));
    expect(Array.from(m.prob)).toEqual(Array.from(base.prob));
    expect(Array.from(m.sofa ?? [])).toEqual([1.5, 2, 0]);
    expect(m.centroids?.dim).toBe(2);
    expect(m.admissibleKnown).toBe(true);
  });
  it("without admissibleActions.txt every action is admissible and admissibleKnown is false", async () => {
    const m = await readMdpDir(await fixture({ "admissibleActions.txt": null }));
    expect(m.admissibleKnown).toBe(false);
    expect(Array.from(m.admissibleSA)).toEqual([1, 1, 1, 1, 1, 1]);
  });
  it("two copies of one table are reported", async () => {
    const r = await validateMdpDir(await fixture({ "extras/sofaScores.csv": "1,2,0\n" }));
    expect(r.problems.map((p) => p.message)).toEqual([
      expect.stringMatching(/extras\/sofaScores\.csv: duplicate of .*sofaScores\.csv: keep exactly one copy/),
    ]);
  });
});

describe("number parsing equals Number()", () => {
  const parse = (t: string): number => {
    const b = Buffer.from(t, "latin1");
    return parseDecimalBytes(b, 0, b.length);
  };
  it("edge cases", () => {
    const cases = [
      "0",
      "0.0",
      "-0",
      "+1",
      "1.",
      ".5",
      "1e5",
      "1E+5",
      "2e-3",
      "0.30000000000000004",
      "9007199254740993",
    ];
    cases.push(
      "0.0017985611510791385",
      "2.2250738585072014e-308",
      "4.9406564584124654e-324",
      "1e-400",
      "1e400",
    );
    cases.push(
      "123456789012345678901234567890",
      "0.1000000000000000055511151231257827",
      "1.7976931348623157e308",
    );
    for (const t of cases) expect(Object.is(parse(t), Number(t)), t).toBe(true);
    for (const t of ["", ".", "e5", "1e", "1x", "NaN", "Infinity", "0x10", " 1", "1 ", "--1", "1..2"]) {
      expect(parse(t), t).toBeNaN();
      expect(parseDecimalText(t), t).toBeNaN();
    }
  });
  it("random decimals of 1 to 20 digits, with and without exponents", () => {
    const rng = seeded("decimals");
    for (let i = 0; i < 100_000; i++) {
      const n = 1 + rng.int(20);
      let d = "";
      for (let j = 0; j < n; j++) d += String(rng.int(10));
      const pos = rng.int(n + 1);
      let t = `${d.slice(0, pos)}.${d.slice(pos)}`;
      if (rng.next() < 0.3) t += `e${rng.int(50) - 35}`;
      const x = rng.next() * 10 ** (rng.int(12) - 10);
      for (const s of [t, String(x), x.toPrecision(17), x.toPrecision(19)]) {
        if (!Object.is(parse(s), Number(s))) expect(parse(s), s).toBe(Number(s));
      }
    }
  });
  it("formatNumber round-trips every double, including -0", () => {
    const rng = seeded("format");
    for (let i = 0; i < 20_000; i++) {
      const x = (rng.next() - 0.5) * 10 ** (rng.int(40) - 20);
      expect(Object.is(parse(formatNumber(x)), x)).toBe(true);
    }
    expect([formatNumber(0), formatNumber(-0), formatNumber(1e21)]).toEqual(["0.0", "-0.0", "1e+21"]);
  });
  it("formatNumber always writes a decimal point or an exponent, so readers infer floats", () => {
    const rng = seeded("format-float");
    const xs = [3, -7, 1e20, 2 ** 53, 5e-324, 1.7976931348623157e308];
    for (let i = 0; i < 5000; i++) xs.push(Math.round((rng.next() - 0.5) * 10 ** rng.int(22)));
    for (const x of xs) {
      const t = formatNumber(x);
      expect(t, String(x)).toMatch(/[.e]/);
      expect(Object.is(parse(t), x)).toBe(true);
    }
    expect([formatNumber(3), formatNumber(1e20)]).toEqual(["3.0", "100000000000000000000.0"]);
  });
});
