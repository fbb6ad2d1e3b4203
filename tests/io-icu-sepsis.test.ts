import { readdir } from "node:fs/promises";
import { afterAll, describe, expect, it } from "vitest";
import { readMdpDir, validateMdpDir, writeMdpDir } from "../src/io/index.js";
import { terminalStates } from "../src/model/mdp.js";
import { cleanFixtures, tempDir } from "./helpers/io-fixture.js";
import { expectSameModel } from "./helpers/same-model.js";
import { hasIcuSepsis, icuSepsisDir, SKIP_REASON } from "./helpers/shared.js";

afterAll(cleanFixtures);

if (!hasIcuSepsis) console.warn(SKIP_REASON);

describe.skipIf(!hasIcuSepsis)("ICU-Sepsis tables", () => {
  it("facts from the data README", async () => {
    const m = await readMdpDir(icuSepsisDir);
    expect([m.nS, m.nA, m.prob.length]).toEqual([716, 25, 1_528_600]);
    expect(m.reward.kind).toBe("next-state");
    expect(terminalStates(m)).toEqual([713, 714, 715]);
    expect(m.admissibleKnown).toBe(true);
    let pairs = 0;
    for (let s = 0; s < 713; s++) for (let a = 0; a < 25; a++) pairs += m.admissibleSA[s * 25 + a]!;
    expect(pairs).toBe(2238);
    expect(m.d0.filter((p) => p > 0)).toHaveLength(712);
    expect([m.expertPolicy?.length, m.centroids?.dim, m.sofa?.length]).toEqual([716 * 25, 47, 716]);
  });
  it("row sums are off by ~2.4e-15 at most and pass at 1e-9, fail at 1e-16", async () => {
    const r = await validateMdpDir(icuSepsisDir);
    expect(r.ok).toBe(true);
    expect(r.summary?.maxRowSumDeviation).toBeGreaterThan(1e-15);
    expect(r.summary?.maxRowSumDeviation).toBeLessThan(3e-15);
    expect(r.summary?.admissiblePairs).toBe(2238);
    const strict = await validateMdpDir(icuSepsisDir, { tolerance: 1e-16, maxProblems: 3 });
    expect(strict.problems).toHaveLength(3);
    const row = /transitionFunction\.csv\.gz:\d+:1: row \(s=\d+, a=\d+\) sums to/;
    expect(strict.problems.some((p) => row.test(p.message))).toBe(true);
  });
  it.each([true, false])("round trip is bit-exact (gzip %s)", async (gzip) => {
    const m = await readMdpDir(icuSepsisDir);
    const out = await tempDir();
    await writeMdpDir(m, out, { gzip });
    const b = await readMdpDir(out);
    expectSameModel(m, b);
    expect(b.metadata).toEqual({ ...m.metadata, terminal_states: [713, 714, 715] });
    expect((await readdir(out)).filter((f) => f.endsWith(".tmp"))).toEqual([]);
  });
});
