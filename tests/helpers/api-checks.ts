import { expect } from "vitest";
import * as tabmdp from "../../src/index.js";
import { geometricChain } from "./tiny-mdps.js";

/** The chain has closed forms: under action 0, V = p / (p + q) and E[length] = 1 / (p + q). */
export const P = 0.3;
export const Q = 0.2;
export const m = geometricChain(P, Q);
export const act0 = tabmdp.deterministicTable(m, Int32Array.of(0, 0, 0));

/** The public-API checks of the planners, envs, learners, simulators and builder (see public-api.test.ts). */
export const SOLVER_CHECKS: Record<string, () => void | Promise<void>> = {
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
  // At gamma = 1 looping in state 0 (action 1) costs nothing, so both actions are optimal there: the tie rule
  // takes the one that ends (length 1 / (p + q)) and the longest optimal length is unbounded.
  certify: () => {
    const c = tabmdp.certify(m, tabmdp.plan(m, "vi", { gamma: 1 }));
    expect(c.vS[0]).toBeCloseTo(P / (P + Q), 12);
    expect(c.policyS[0]).toBe(0);
    expect(c.tiedStates).toBe(1);
    expect(c.lengthRange[0]).toBeCloseTo(1 / (P + Q), 12);
    expect(c.lengthRange[1]).toBeNull();
  },
  certifiedPlan: () => {
    const { plan: r, certified: c } = tabmdp.certifiedPlan(m, "pi", { gamma: 0.9 });
    expect(c.policyS[0]).toBe(r.policyS[0]);
    expect(c.lengthRange).toEqual([expect.closeTo(1 / (P + Q), 12), expect.closeTo(1 / (P + Q), 12)]);
  },
  optimalActionSets: () =>
    expect(tabmdp.optimalActionSets(m, tabmdp.plan(m, "vi", { gamma: 1 }))).toEqual([[0, 1], [], []]),
  optimalPolicy: () => expect(tabmdp.optimalPolicy(m, { gamma: 1 })[0]).toBe(0),
  lengthRangeNote: () => {
    const c = tabmdp.certify(m, tabmdp.plan(m, "vi", { gamma: 1 }));
    expect(tabmdp.lengthRangeNote(m, c)).toMatch(/^max unbounded: from start state 0/);
    expect(tabmdp.lengthRangeNote(m, tabmdp.certify(m, tabmdp.plan(m, "vi", { gamma: 0.9 })))).toBeNull();
  },
  // Finite horizon on the chain: V_H-step(0) = p * (1 - (1 - p - q)^H) / (p + q) under action 0.
  finiteHorizonPlan: () => {
    const h = tabmdp.finiteHorizonPlan(m, { horizon: 3, gamma: 1 });
    expect(h.valuesTS[0]).toBeCloseTo((P * (1 - (1 - P - Q) ** 3)) / (P + Q), 14);
    expect(h.policyTS[0]).toBe(0);
  },
  finiteHorizonEvaluate: () => {
    const e = tabmdp.finiteHorizonEvaluate(m, act0, { horizon: 3, gamma: 1 });
    expect(e.expectedReturn).toBeCloseTo((P * (1 - (1 - P - Q) ** 3)) / (P + Q), 14);
    expect(e.aliveAtHorizon).toBeCloseTo((1 - P - Q) ** 3, 14);
  },
  planPolicyTables: () => {
    const tables = tabmdp.planPolicyTables(m, tabmdp.finiteHorizonPlan(m, { horizon: 2, gamma: 1 }));
    expect(tables).toHaveLength(2);
    expect(Array.from(tables[0]!.slice(0, 2))).toEqual([1, 0]);
  },
  FINITE_HORIZON_TIE_TOLERANCE: () => expect(tabmdp.FINITE_HORIZON_TIE_TOLERANCE).toBeLessThan(1e-9),
  PROMISED_ACCURACY: () => expect(tabmdp.PROMISED_ACCURACY).toBe(1e-10),
  accuracyOf: () => {
    const a = tabmdp.accuracyOf(tabmdp.evaluatePolicy(m, act0));
    expect(a.flagged).toBe(false);
    expect(a.errorBound).toBeLessThanOrEqual(1e-10);
  },
  UnboundedValueError: () => {
    // With no terminal state the absorbing reward state repeats its reward forever.
    const open = geometricChain(P, Q, { terminal_states: [] });
    expect(() => tabmdp.plan(open, "vi", { gamma: 1 })).toThrow(tabmdp.UnboundedValueError);
  },
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
  RELEASED_RULE: () => expect(tabmdp.RELEASED_RULE.recent % tabmdp.RELEASED_RULE.every).toBe(0),
  curveSums: () =>
    expect(tabmdp.curveSums([1, 0, 1], [2, 3, 4], { every: 2, final: 2 })).toEqual({
      every: 2,
      episodes: 3,
      returnSums: [1, 1],
      lengthSums: [5, 4],
      finalReturnSum: 1,
    }),
  releasedRuleConvergence: () => {
    const rule = { start: 2, every: 1, recent: 2, final: 2, delta: 1e-9 };
    const sums = tabmdp.curveSums([0, 1, 1, 1, 1], [1, 1, 1, 1, 1], rule);
    // Recent window [1, 3) is all ones at i = 3, equal to the final mean 1.
    expect(tabmdp.releasedRuleConvergence([sums], rule)).toEqual({
      episode: 3,
      steps: 3,
      recentMean: 1,
      finalMean: 1,
    });
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
