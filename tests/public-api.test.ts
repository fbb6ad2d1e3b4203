import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import * as tabmdp from "../src/index.js";
import { act0, m, P, Q, SOLVER_CHECKS } from "./helpers/api-checks.js";
import { BUILDER_CHECKS } from "./helpers/api-checks-builder.js";
import { MORE_CHECKS } from "./helpers/api-checks-more.js";
import { repoRoot } from "./helpers/shared.js";
import { geometricChain } from "./helpers/tiny-mdps.js";

const chain = tabmdp.makeMdp({
  nS: m.nS,
  nA: m.nA,
  rowPtr: m.rowPtr,
  next: m.next,
  prob: m.prob,
  reward: m.reward,
  d0: m.d0,
  metadata: {},
});
const dirs: string[] = [];
const tempDir = async (): Promise<string> => {
  const d = await mkdtemp(join(tmpdir(), "tabmdp-api-"));
  dirs.push(d);
  return d;
};
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

/**
 * One meaningful call per export, checked against a closed form, an invariant or another export. A new
 * export without an entry here fails the first test, so the public surface cannot grow untested.
 */
const CORE_CHECKS: Record<string, () => void | Promise<void>> = {
  // errors
  TabmdpError: () => expect(new tabmdp.UsageError("x")).toBeInstanceOf(tabmdp.TabmdpError),
  UsageError: () => expect(() => tabmdp.resolveGamma(m, 2)).toThrow(tabmdp.UsageError),
  ModelError: () => expect(new tabmdp.ModelError("bad row").name).toBe("ModelError"),
  InputError: () =>
    expect(new tabmdp.InputError("f.csv", 3, 2, "not a number").message).toBe("f.csv:3:2: not a number"),
  InputErrors: () =>
    expect(new tabmdp.InputErrors([new tabmdp.InputError("a", 1, null, "x")]).problems).toHaveLength(1),
  // model
  makeMdp: () => expect(chain.nS).toBe(3),
  csrFromDense: () => {
    const c = tabmdp.csrFromDense(Float64Array.of(0.5, 0.5, 0, 1), 2, 2);
    expect(Array.from(c.rowPtr)).toEqual([0, 2, 3]);
    expect(Array.from(c.next)).toEqual([0, 1, 1]);
  },
  CsrBuilder: () => {
    const b = new tabmdp.CsrBuilder(1);
    b.push(0, 0.25);
    b.push(2, 0.75);
    b.endRow();
    const c = b.finish();
    expect(Array.from(c.next)).toEqual([0, 2]);
  },
  nRows: () => expect(tabmdp.nRows(m)).toBe(6),
  terminalStates: () => expect(tabmdp.terminalStates(m)).toEqual([1, 2]),
  inferTerminalStates: () =>
    expect(Array.from(tabmdp.inferTerminalStates(m))).toEqual(Array.from(m.terminalS)),
  admissibleActions: () => expect(tabmdp.admissibleActions(m, 0)).toEqual([0, 1]),
  expectedRewardSA: () => expect(tabmdp.expectedRewardSA(m)[0]).toBeCloseTo(P, 15),
  defaultGamma: () => expect(tabmdp.defaultGamma(geometricChain(P, Q, { gamma: 0.9 }))).toBe(0.9),
  resolveGamma: () => {
    expect(tabmdp.resolveGamma(geometricChain(P, Q, { gamma: 0.9 }))).toBe(0.9);
    expect(tabmdp.resolveGamma(m, 0.5)).toBe(0.5);
  },
  deathState: () => {
    expect(tabmdp.deathState(geometricChain(P, Q, { death_state: 1 }))).toBe(1);
    expect(tabmdp.deathState(m)).toBeNull(); // both terminals are absorbing: no death state to infer
  },
  viewSA: () => expect(tabmdp.viewSA(act0, 3, 2).get(0, 0)).toBe(1),
  randomIcuShapedMdp: () => {
    const r = tabmdp.randomIcuShapedMdp(7, { states: 5, actions: 2 });
    expect([r.nS, r.nA]).toEqual([8, 2]);
    for (let row = 0; row < r.nS * r.nA; row++) {
      let sum = 0;
      for (let k = r.rowPtr[row]!; k < r.rowPtr[row + 1]!; k++) sum += r.prob[k]!;
      expect(sum).toBeCloseTo(1, 12);
    }
  },
  // randomness
  seeded: () => expect(tabmdp.seeded(3).next()).toBe(tabmdp.seeded(3).next()),
  derive: () => expect(tabmdp.derive(3, "a").next()).toBe(tabmdp.seeded("3/a").next()),
  normal: () => {
    const r = tabmdp.seeded(1);
    const xs = Array.from({ length: 4000 }, () => tabmdp.normal(r));
    const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
    expect(Math.abs(mean)).toBeLessThan(4 / Math.sqrt(xs.length)); // 4 standard errors
  },
  FastRng: () => {
    const a = new tabmdp.FastRng(5);
    const b = new tabmdp.FastRng(5);
    const x = a.next();
    expect(x).toBe(b.next());
    expect(x >= 0 && x < 1).toBe(true);
    expect(a.int(4)).toBeLessThan(4);
  },
  // io
  FILES: () => expect(tabmdp.FILES.transitions).toBe("transitionFunction.csv"),
  DEFAULT_TOLERANCE: () => expect(tabmdp.DEFAULT_TOLERANCE).toBe(1e-9),
  parseDecimalText: () => {
    expect(tabmdp.parseDecimalText("0.25")).toBe(0.25);
    expect(tabmdp.parseDecimalText("0x10")).toBeNaN();
  },
  parseDecimalBytes: () => {
    const b = new TextEncoder().encode("x,1.5e-3,");
    expect(tabmdp.parseDecimalBytes(b, 2, 8)).toBe(1.5e-3);
  },
  formatNumber: () => {
    for (const x of [0.1, 1 / 3, 1e-300, 123456789.125]) expect(Number(tabmdp.formatNumber(x))).toBe(x);
  },
  writeMdpDir: async () => {
    const d = await tempDir();
    await tabmdp.writeMdpDir(m, d);
    const back = await tabmdp.readMdpDir(d);
    expect(Array.from(back.prob)).toEqual(Array.from(m.prob));
  },
  readMdpDir: async () => {
    const demo = await tabmdp.readMdpDir(join(repoRoot, "data/demo"));
    expect([demo.nS, demo.nA]).toEqual([43, 4]);
  },
  validateMdpDir: async () => {
    const r = await tabmdp.validateMdpDir(join(repoRoot, "data/demo"));
    expect(r.ok).toBe(true);
    expect(r.summary?.nS).toBe(43);
  },
  writeVectorCsv: async () => {
    const f = join(await tempDir(), "v.csv");
    await tabmdp.writeVectorCsv(f, Float64Array.of(0.5, 1 / 3));
    expect((await readFile(f, "utf8")).trim().split(",").map(Number)).toEqual([0.5, 1 / 3]);
  },
  writeTableCsv: async () => {
    const f = join(await tempDir(), "pi.csv");
    await tabmdp.writeTableCsv(f, act0, 3, 2);
    expect(Array.from(await tabmdp.readPolicyCsv(f, 3, 2))).toEqual(Array.from(act0));
  },
  readPolicyCsv: async () => {
    const f = join(await tempDir(), "pi.csv");
    await tabmdp.writeTableCsv(f, act0, 3, 2);
    expect((await tabmdp.readPolicyCsv(f, 3, 2))[0]).toBe(1);
  },
  readPolicyView: async () => {
    const f = join(await tempDir(), "pi.csv");
    await tabmdp.writeTableCsv(f, act0, 3, 2);
    expect((await tabmdp.readPolicyView(f, 3, 2)).get(0, 1)).toBe(0);
  },
  atomicWrite: async () => {
    const f = join(await tempDir(), "a.txt");
    await tabmdp.atomicWrite(f, "hello");
    expect(await readFile(f, "utf8")).toBe("hello");
  },
  atomicWriteChunks: async () => {
    const f = join(await tempDir(), "a.txt");
    await tabmdp.atomicWriteChunks(f, ["a", "b", "c"]);
    expect(await readFile(f, "utf8")).toBe("abc");
  },
  writeCsvAtomic: async () => {
    const f = join(await tempDir(), "t.csv");
    await tabmdp.writeCsvAtomic(f, [[0, 0.25]], { header: ["s", "v"] });
    expect(await readFile(f, "utf8")).toBe("s,v\n0,0.25\n");
  },
};

const EXERCISES = { ...CORE_CHECKS, ...SOLVER_CHECKS, ...MORE_CHECKS, ...BUILDER_CHECKS };

describe("the package entry point", () => {
  it("every runtime export has a check below, and every check names an export", () => {
    const exported = Object.keys(tabmdp).sort();
    expect(Object.keys(EXERCISES).sort()).toEqual(exported);
    expect(Object.keys(CORE_CHECKS).filter((k) => k in SOLVER_CHECKS)).toEqual([]);
  });

  for (const [name, run] of Object.entries(EXERCISES)) it(name, run, 60_000);
});
