import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { seeded } from "../src/core/rng.js";
import {
  atomicWrite,
  readMdpDir,
  readPolicyCsv,
  readPolicyView,
  validateMdpDir,
  writeCsvAtomic,
  writeMdpDir,
  writeTableCsv,
  writeVectorCsv,
} from "../src/io/index.js";
import { csrFromDense, makeMdp } from "../src/model/build.js";
import type { TabularMdp } from "../src/model/mdp.js";
import { randomIcuShapedMdp } from "../src/model/random-mdp.js";
import { cleanFixtures, fixture, tempDir } from "./helpers/io-fixture.js";
import { expectSameModel } from "./helpers/same-model.js";

afterAll(cleanFixtures);

/** A random model using every optional part, with awkward doubles (17 digits, tiny, negative rewards). */
function randomFullMdp(seed: number): TabularMdp {
  const rng = seeded(seed);
  const nS = 9;
  const nA = 4;
  const dense = new Float64Array(nS * nA * nS);
  for (let r = 0; r < nS * nA; r++) {
    const w = Array.from({ length: nS }, () => (rng.next() < 0.5 ? 0 : rng.next() / 3));
    w[rng.int(nS)] = 1e-300 + rng.next();
    const total = w.reduce((a, b) => a + b, 0);
    for (let s = 0; s < nS; s++) dense[r * nS + s] = w[s]! / total;
  }
  const admissible = new Uint8Array(nS * nA).map(() => (rng.next() < 0.6 ? 1 : 0));
  const pi = new Float64Array(nS * nA).map(() => rng.next());
  for (let s = 0; s < nS; s++) {
    admissible[s * nA] = 1;
    let t = 0;
    for (let a = 0; a < nA; a++) t += pi[s * nA + a]!;
    for (let a = 0; a < nA; a++) pi[s * nA + a]! /= t;
  }
  const d0 = new Float64Array(nS).map(() => rng.next());
  const d0Sum = d0.reduce((a, b) => a + b, 0);
  return makeMdp({
    nS,
    nA,
    ...csrFromDense(dense, nS * nA, nS),
    reward: { kind: "state-action", rSA: new Float64Array(nS * nA).map(() => (rng.next() - 0.5) * 1e6) },
    d0: d0.map((x) => x / d0Sum),
    admissibleSA: admissible,
    expertPolicy: pi,
    centroids: { dim: 3, data: new Float64Array(nS * 3).map(() => -rng.next() * 1e-12) },
    sofa: new Float64Array(nS).map(() => rng.int(24)),
    metadata: { gamma: 0.95, note: "kept", nested: { a: [1, 2] } },
  });
}

describe("writeMdpDir round trip", () => {
  it.each([false, true])("random model with every part is bit-exact (gzip %s)", async (gzip) => {
    const m = randomFullMdp(7);
    const out = await tempDir();
    const files = await writeMdpDir(m, out, { gzip });
    expect(files).toHaveLength(8);
    const back = await readMdpDir(out);
    expectSameModel(m, back);
    expect(back.metadata).toEqual({ n_states: 9, n_actions: 4, ...m.metadata, terminal_states: [] });
    expect((await readdir(out)).some((f) => f.endsWith(".tmp"))).toBe(false);
  });
  it("ICU-shaped random model: next-state reward, inferred terminals, no admissible file", async () => {
    const m = randomIcuShapedMdp(3, { states: 12, actions: 3 });
    const out = await tempDir();
    const files = await writeMdpDir(m, out);
    expect(files.some((f) => f.includes("admissibleActions"))).toBe(m.admissibleKnown);
    expectSameModel(m, await readMdpDir(out));
  });
  it("rewriting a folder with the other compression leaves one copy of each table", async () => {
    const dir = await fixture({ "extras/sofaScores.csv": "1.5,2,0\n", "sofaScores.csv": null });
    const m = await readMdpDir(dir);
    await writeMdpDir(m, dir, { gzip: true });
    const names = (await readdir(dir)).sort();
    expect(names).toContain("transitionFunction.csv.gz");
    expect(names).not.toContain("transitionFunction.csv");
    expect(names).not.toContain("extras");
    expectSameModel(m, await readMdpDir(dir));
  });
  it("admissibleActions.txt format", async () => {
    const m = await readMdpDir(await fixture());
    const out = await tempDir();
    await writeMdpDir(m, out);
    expect(await readFile(join(out, "admissibleActions.txt"), "utf8")).toBe("2 1 2\n0 1\n1\n0 1\n");
    expect(await readFile(join(out, "transitionFunction.csv"), "utf8")).toBe(
      "0.5,0.5,0.0\n0.0,1.0,0.0\n0.0,0.0,1.0\n0.25,0.0,0.75\n0.0,0.0,1.0\n0.0,0.0,1.0\n",
    );
  });
  it("validate accepts what was written", async () => {
    const out = await tempDir();
    await writeMdpDir(randomFullMdp(11), out, { gzip: true });
    expect((await validateMdpDir(out)).ok).toBe(true);
  });
});

describe("small writers", () => {
  it("writeCsvAtomic, writeVectorCsv, writeTableCsv and atomicWrite", async () => {
    const out = await tempDir();
    await writeCsvAtomic(
      join(out, "v.csv"),
      [
        [0, 0.1 + 0.2],
        [1, -0],
      ],
      { header: ["s", "v"] },
    );
    expect(await readFile(join(out, "v.csv"), "utf8")).toBe("s,v\n0,0.30000000000000004\n1,-0.0\n");
    await writeVectorCsv(join(out, "values.csv"), [1 / 3, 0]);
    expect(await readFile(join(out, "values.csv"), "utf8")).toBe("0.3333333333333333,0.0\n");
    const pi = Float64Array.from([0.5, 0.5, 1, 0, 0, 0]);
    await writeTableCsv(join(out, "policy.csv"), pi, 3, 2);
    expect(Array.from(await readPolicyCsv(join(out, "policy.csv"), 3, 2))).toEqual(Array.from(pi));
    const view = await readPolicyView(join(out, "policy.csv"), 3, 2);
    expect([view.shape, view.get(1, 0)]).toEqual([[3, 2], 1]);
    await atomicWrite(join(out, "sub", "x.txt"), "hi");
    expect(await readFile(join(out, "sub", "x.txt"), "utf8")).toBe("hi");
    expect((await readdir(out)).filter((f) => f.endsWith(".tmp"))).toEqual([]);
  });
  it("a failed write leaves neither the target nor a temporary", async () => {
    const out = await tempDir();
    function* failing(): Generator<string> {
      yield "1,2\n";
      throw new Error("boom");
    }
    const { atomicWriteChunks } = await import("../src/io/atomic.js");
    await expect(atomicWriteChunks(join(out, "t.csv"), failing())).rejects.toThrow("boom");
    expect(await readdir(out)).toEqual([]);
  });
});
