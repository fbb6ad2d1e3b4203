import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import * as tabmdp from "../src/index.js";
import { repoRoot } from "./helpers/shared.js";
import { geometricChain } from "./helpers/tiny-mdps.js";

// The chain has closed forms: under action 0, V = p / (p + q) and E[length] = 1 / (p + q).
const P = 0.3;
const Q = 0.2;
const m = geometricChain(P, Q);
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
const act0 = tabmdp.deterministicTable(m, Int32Array.of(0, 0, 0));
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
const EXERCISES: Record<string, () => void | Promise<void>> = {
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
  // planning and evaluation
  TIE_TOLERANCE: () => expect(tabmdp.TIE_TOLERANCE).toBeGreaterThan(0),
  uniformTable: () => expect(Array.from(tabmdp.uniformTable(m).slice(0, 2))).toEqual([0.5, 0.5]),
  deterministicTable: () => expect(Array.from(act0.slice(0, 2))).toEqual([1, 0]),
  checkPolicyTable: () =>
    expect(() => tabmdp.checkPolicyTable(m, new Float64Array(6))).toThrow(tabmdp.UsageError),
  evaluatePolicy: () => {
    const e = tabmdp.evaluatePolicy(m, act0);
    expect(e.expectedReturn).toBeCloseTo(P / (P + Q), 12);
    expect(e.expectedLength).toBeCloseTo(1 / (P + Q), 12);
  },
  expectedReturnOf: () => expect(tabmdp.expectedReturnOf(m, act0, { gamma: 1 })).toBeCloseTo(P / (P + Q), 12),
  valueIteration: () =>
    expect(tabmdp.valueIteration(m, { gamma: 0.9 }).vS[0]).toBeCloseTo(P / (1 - 0.9 * (1 - P - Q)), 8),
  policyIteration: () => expect(tabmdp.policyIteration(m, { gamma: 0.9 }).policyS[0]).toBe(0),
  modifiedPolicyIteration: () =>
    expect(tabmdp.modifiedPolicyIteration(m, { gamma: 0.9 }).vS[0]).toBeCloseTo(
      P / (1 - 0.9 * (1 - P - Q)),
      8,
    ),
  plan: () => expect(tabmdp.plan(m, "pi", { gamma: 0.9 }).policyS[0]).toBe(0),
  baselines: () => {
    const b = tabmdp.baselines(m, { gamma: 0.9 });
    expect(b.policies.optimal.return).toBeCloseTo(P / (1 - 0.9 * (1 - P - Q)), 8);
    expect(b.policies.optimal.return!).toBeGreaterThan(b.policies.random.return!);
  },
  // envs and Monte Carlo
  TabularEnv: () => {
    const env = new tabmdp.TabularEnv(m);
    const [s] = env.reset({ seed: 1 });
    expect(s).toBe(0);
    let done = false;
    let steps = 0;
    while (!done && steps < 1000) {
      const [, , terminated, truncated] = env.step(0);
      done = terminated || truncated;
      steps++;
    }
    expect(done).toBe(true);
  },
  TabularVectorEnv: () => {
    const env = new tabmdp.TabularVectorEnv(m, { numEnvs: 4 });
    expect(Array.from(env.reset({ seed: 1 }))).toEqual([0, 0, 0, 0]);
    env.step([1, 1, 1, 1]); // action 1 stays in state 0
    expect(Array.from(env.states)).toEqual([0, 0, 0, 0]);
  },
  monteCarlo: () => {
    const mc = tabmdp.monteCarlo(m, act0, { episodes: 4000, seed: 1 });
    expect(Math.abs(mc.return.mean - P / (P + Q))).toBeLessThan(4 * mc.return.stderr);
  },
  // learning
  ALGOS: () => expect(tabmdp.ALGOS).toContain("q-learning"),
  RULES: () => {
    for (const a of tabmdp.ALGOS) expect(tabmdp.RULES[a].name).toBe(a);
    for (const a of tabmdp.ALGOS) expect(tabmdp.RULES[a].traces).toBe(tabmdp.usesTraces(a));
  },
  usesTraces: () => expect(tabmdp.usesTraces("sarsa-lambda")).toBe(true),
  PARAMS: () => expect(tabmdp.PARAMS.map((p) => p.key)).toContain("alpha"),
  DEFAULT_PARAMS: () => expect(tabmdp.resolveParams({})).toEqual(tabmdp.DEFAULT_PARAMS),
  resolveParams: () => expect(() => tabmdp.resolveParams({ epsilon: 2 })).toThrow(tabmdp.UsageError),
  parseParam: () => expect(tabmdp.parseParam(tabmdp.PARAMS.find((p) => p.key === "alpha")!, "0.5")).toBe(0.5),
  scheduleValue: () => {
    expect(tabmdp.scheduleValue("linear", 1, 0, 10, 5)).toBe(0.5);
    expect(tabmdp.scheduleValue("exp", 1, 0.01, 10, 5)).toBeCloseTo(0.1, 12);
  },
  alphaAt: () => expect(tabmdp.alphaAt(tabmdp.resolveParams({ alpha: 0.3 }), 100)).toBe(0.3),
  exploreAt: () =>
    expect(
      tabmdp.exploreAt(
        tabmdp.resolveParams({ epsilon: 0.4, exploreSchedule: "linear", exploreEnd: 0, exploreEpisodes: 4 }),
        2,
      ),
    ).toBeCloseTo(0.2, 15),
  visitStep: () => expect(tabmdp.visitStep(0.5, 4, 0.5)).toBeCloseTo(0.25, 15),
  DEFAULT_WINDOW: () => expect(Number.isInteger(tabmdp.DEFAULT_WINDOW)).toBe(true),
  DEFAULT_DELTA: () => expect(tabmdp.DEFAULT_DELTA).toBeGreaterThan(0),
  detectConvergence: () => {
    const c = tabmdp.detectConvergence(new Float64Array(10).fill(1), new Float64Array(10).fill(2), 2, 0.01);
    expect(c).toEqual({ episode: 4, steps: 8, value: 1 });
  },
  meanRange: () => expect(tabmdp.meanRange([1, 2, 3, 4], 1, 3)).toBe(2.5),
  meanCi: () => {
    const c = tabmdp.meanCi([1, 2, 3]);
    expect(c.mean).toBe(2);
    // t(0.975, 2) * sd / sqrt(n); the implementation's t quantile is an approximation good to 1e-4 here
    expect(c.ci95).toBeCloseTo(4.302652729911275 / Math.sqrt(3), 3);
  },
  learnerActions: () =>
    expect(Array.from(tabmdp.learnerActions(m, tabmdp.DEFAULT_PARAMS).ptr)).toEqual([0, 2, 4, 6]),
  greedyTable: () =>
    expect(Array.from(tabmdp.greedyTable(m, Int32Array.of(0, 1, 1)))).toEqual([1, 0, 0, 1, 0, 1]),
  behaviourTable: () => {
    const sets = tabmdp.learnerActions(m, tabmdp.DEFAULT_PARAMS);
    const t = tabmdp.behaviourTable(m, new Float64Array(6), Int32Array.of(0, 0, 0), sets, false, 0.2);
    expect([t[0], t[1]]).toEqual([0.9, 0.1].map((x) => expect.closeTo(x, 15)));
  },
  makeGreedyCache: () => {
    const sets = tabmdp.learnerActions(m, tabmdp.DEFAULT_PARAMS);
    const c = tabmdp.makeGreedyCache(Float64Array.of(1, 2, 0, 0, 0, 0), 3, 2, sets, new tabmdp.FastRng(1));
    expect([c.best[0], c.max[0]]).toEqual([1, 2]);
  },
  runEpisodes: () => {
    const gm = geometricChain(P, Q, { gamma: 0.9 });
    const r = tabmdp.runEpisodes(
      gm,
      { algo: "q-learning", epsilon: 0.2, alpha: 0.1 },
      { episodes: 3000, seed: 1 },
    );
    expect(r.gamma).toBe(0.9);
    expect(r.greedyS[0]).toBe(tabmdp.valueIteration(gm, {}).policyS[0]);
  },
  // simulators and the builder
  listSimulators: () => expect(tabmdp.listSimulators().map((d) => d.id)).toContain("oberst-sontag"),
  getSimulator: () => expect(() => tabmdp.getSimulator("nope")).toThrow(/valid ids/),
  createSimulator: () => {
    const { simulator } = tabmdp.createSimulator("sepsispilot/mild-sepsis");
    expect(simulator.reset(1)).toEqual(simulator.reset(1));
  },
  runEpisode: () => {
    const { simulator } = tabmdp.createSimulator("sepsispilot/mild-sepsis");
    const a = tabmdp.runEpisode(simulator, () => [0], 4, 0);
    const b = tabmdp.runEpisode(simulator, () => [0], 4, 0);
    expect(a).toEqual(b);
    expect(a.length).toBeGreaterThan(0);
  },
  rollout: () => {
    const { simulator } = tabmdp.createSimulator("sepsispilot/mild-sepsis");
    const rs = tabmdp.rollout(simulator, () => [0], { episodes: 3, seed: 4 });
    expect(rs[1]).toEqual(tabmdp.runEpisode(simulator, () => [0], 4, 1)); // episode i alone = in a batch
  },
  buildOberstSontagMdp: () => {
    const os = tabmdp.buildOberstSontagMdp("master");
    expect(tabmdp.defaultGamma(os)).toBe(0.99);
    for (let row = 0; row < 50; row++) {
      let sum = 0;
      for (let k = os.rowPtr[row]!; k < os.rowPtr[row + 1]!; k++) sum += os.prob[k]!;
      expect(sum).toBeCloseTo(1, 12);
    }
  },
  buildFromSimulator: () => {
    const a = tabmdp.buildFromSimulator({
      simulator: "sepsispilot/mild-sepsis",
      patients: 60,
      seed: 1,
      k: 4,
      threshold: 1,
    });
    const b = tabmdp.buildFromSimulator({
      simulator: "sepsispilot/mild-sepsis",
      patients: 60,
      seed: 1,
      k: 4,
      threshold: 1,
    });
    expect(a.mdp.nS).toBe(4 + 3);
    expect(Array.from(a.mdp.prob)).toEqual(Array.from(b.mdp.prob));
  },
};

describe("the package entry point", () => {
  it("every runtime export has a check below, and every check names an export", () => {
    const exported = Object.keys(tabmdp).sort();
    expect(Object.keys(EXERCISES).sort()).toEqual(exported);
  });

  for (const [name, run] of Object.entries(EXERCISES)) it(name, run, 60_000);
});
