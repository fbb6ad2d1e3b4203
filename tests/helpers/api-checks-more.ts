import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect } from "vitest";
import * as tabmdp from "../../src/index.js";
import { act0, m, P, Q } from "./api-checks.js";
import { repoRoot } from "./shared.js";
import { geometricChain } from "./tiny-mdps.js";

/** A temp folder for one check, removed when the check ends. */
async function inTemp<T>(f: (d: string) => Promise<T>): Promise<T> {
  const d = await mkdtemp(join(tmpdir(), "tabmdp-api-more-"));
  try {
    return await f(d);
  } finally {
    await rm(d, { recursive: true, force: true });
  }
}

// A tiny sweep on the discounted chain: one algorithm, two seeds, 40 episodes, checkpoints at 0, 20 and 40.
const gm = geometricChain(P, Q, { gamma: 0.9 });
const V09 = P / (1 - 0.9 * (1 - P - Q));
const base = {
  episodes: 40,
  evalEvery: 20,
  window: 10,
  rule: { ...tabmdp.RELEASED_RULE, every: 10, start: 10, recent: 10, final: 20 },
  seeds: [1, 2],
};
const sets = [
  { params: tabmdp.resolveParams({ algo: "q-learning", gamma: 0.9, epsilon: 0.2 }), trial: null },
];
const jobs = () => tabmdp.buildJobs(sets, base);
const sweep = (out: string) =>
  tabmdp.runSweep(gm, jobs(), {
    ...base,
    source: "chain",
    command: "test",
    shard: [1, 1],
    workers: 0,
    out,
    mode: "new",
  });
const mean = (xs: readonly number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;

const built = (() => {
  let cache: ReturnType<typeof tabmdp.buildFromSimulator> | null = null;
  return () => {
    cache ??= tabmdp.buildFromSimulator({
      simulator: "sepsispilot/mild-sepsis",
      patients: 60,
      seed: 1,
      k: 4,
      threshold: 1,
    });
    return cache;
  };
})();

/** More public-API checks: stats, io layout, studies, builder studies, simulators (see public-api.test.ts). */
export const MORE_CHECKS: Record<string, () => void | Promise<void>> = {
  // core and io
  VERSION: async () =>
    expect(tabmdp.VERSION).toBe(JSON.parse(await readFile(join(repoRoot, "package.json"), "utf8")).version),
  DENSE_LIMIT_BYTES: () => expect(tabmdp.DENSE_LIMIT_BYTES).toBe(200e6),
  SPARSE_HEADER: () => expect(tabmdp.SPARSE_HEADER).toBe("state,action,next_state,probability"),
  // 3 * 2 * 3 = 18 cells: the stored entries at 20 characters, each zero at len("0") + 1.
  denseTransitionBytes: () => {
    const nnz = m.prob.length;
    expect(tabmdp.denseTransitionBytes(m)).toBe((18 - nnz) * (tabmdp.formatNumber(0).length + 1) + nnz * 20);
  },
  defaultLayout: () => expect(tabmdp.defaultLayout(m)).toBe("dense"),
  checkOutputPath: () =>
    inTemp(async (d) => {
      await writeFile(join(d, "f"), "x");
      await expect(tabmdp.checkOutputPath(join(d, "new"), "folder")).resolves.toBeUndefined();
      await expect(tabmdp.checkOutputPath(join(d, "f"), "folder")).rejects.toThrow(/expected a folder/);
      await expect(tabmdp.checkOutputPath(d, "file")).rejects.toThrow(tabmdp.TabmdpError);
    }),
  replaceDir: () =>
    inTemp(async (d) => {
      const out = join(d, "out");
      const own = { ownNames: (n: string) => n === "a.csv" };
      expect(await tabmdp.replaceDir(out, (t) => writeFile(join(t, "a.csv"), "1\n").then(() => 7), own)).toBe(
        7,
      );
      await tabmdp.replaceDir(out, (t) => writeFile(join(t, "a.csv"), "2\n"), own);
      expect(await readFile(join(out, "a.csv"), "utf8")).toBe("2\n");
      await writeFile(join(out, "mine.txt"), "keep");
      await expect(tabmdp.replaceDir(out, async () => {}, own)).rejects.toThrow(/mine\.txt/);
    }),
  // A kill between the two renames leaves only the backup: recovery puts it back as OUT.
  recoverOutputDir: () =>
    inTemp(async (d) => {
      const backup = join(d, ".out.tabmdp-old-1-abcdef12");
      await mkdir(backup);
      await writeFile(join(backup, "a.csv"), "old\n");
      await tabmdp.recoverOutputDir(join(d, "out"));
      expect(await readFile(join(d, "out", "a.csv"), "utf8")).toBe("old\n");
    }),
  // stats: k = 0 of n gives estimate 0, low 0, high z^2 / (n + z^2).
  wilson: () => {
    const w = tabmdp.wilson(0, 10);
    expect([w.estimate, w.low]).toEqual([0, 0]);
    expect(w.high).toBeCloseTo(1.96 ** 2 / (10 + 1.96 ** 2), 3);
    expect(tabmdp.wilson(0, 0).estimate).toBeNaN();
  },
  meanInterval: () => {
    const r = tabmdp.meanInterval([1, 3]);
    expect(r.estimate).toBe(2);
    expect(r.sd).toBeCloseTo(Math.SQRT2, 14);
    expect(r.halfWidth).toBeCloseTo(1.96, 2);
    expect(tabmdp.meanInterval([1, 3], "t").halfWidth).toBeCloseTo(12.706, 10);
  },
  mdpHash: () => {
    expect(tabmdp.mdpHash(m)).toBe(tabmdp.mdpHash(geometricChain(P, Q)));
    expect(tabmdp.mdpHash(m)).not.toBe(tabmdp.mdpHash(geometricChain(Q, P)));
    expect(tabmdp.mdpHash(m)).toMatch(/^[0-9a-f]{64}$/);
  },
  PLAN_METHODS: () => {
    for (const meth of tabmdp.PLAN_METHODS)
      expect(tabmdp.plan(m, meth, { gamma: 0.9 }).vS[0]).toBeCloseTo(V09, 8);
  },
  linePlot: () => {
    const svg = tabmdp.linePlot({
      title: "T&1",
      xLabel: "x",
      yLabel: "y",
      series: [{ label: "s", x: [0, 1], y: [0, 1] }],
    });
    expect(svg.startsWith("<svg")).toBe(true);
    expect(svg).toContain("T&amp;1");
    expect(svg).toBe(
      tabmdp.linePlot({
        title: "T&1",
        xLabel: "x",
        yLabel: "y",
        series: [{ label: "s", x: [0, 1], y: [0, 1] }],
      }),
    );
  },
  // studies
  buildJobs: () => {
    const js = jobs();
    expect(js.map((j) => [j.index, j.seed, j.trial])).toEqual([
      [0, 1, null],
      [1, 2, null],
    ]);
    expect(js[0]!.episodes).toBe(40);
  },
  jobKey: () => {
    const [a, b] = jobs();
    expect(tabmdp.jobKey(a!)).toMatch(/^q-learning-seed1-[0-9a-f]{12}$/);
    expect(tabmdp.jobKey(a!)).toBe(tabmdp.jobKey(jobs()[0]!));
    expect(tabmdp.jobKey(b!)).not.toBe(tabmdp.jobKey(a!));
  },
  runJob: () => {
    const r = tabmdp.runJob(gm, jobs()[0]!);
    expect(r.complete).toBe(true);
    expect(r.curve.map((c) => c.episode)).toEqual([0, 20, 40]);
    expect(r.finalGreedy).toBeLessThanOrEqual(V09 + 1e-9);
    expect(r.finalGreedy).toBe(tabmdp.runJob(gm, jobs()[0]!).finalGreedy);
  },
  runSweep: () =>
    inTemp(async (d) => {
      const s = await sweep(d);
      expect(s.results).toHaveLength(2);
      expect(s.manifest.mdp.sha256).toBe(tabmdp.mdpHash(gm));
      expect(s.manifest.references[0]!.optimal).toBeCloseTo(V09, 8);
      expect(s.summary.map((g) => g.group)).toEqual(["q-learning"]);
    }),
  writeOutputs: () =>
    inTemp(async (d) => {
      const s = await sweep(join(d, "a"));
      const again = await tabmdp.writeOutputs(join(d, "a"), s.manifest, s.results);
      expect(again).toEqual(s.summary);
      expect(JSON.parse(await readFile(join(d, "a", "manifest.json"), "utf8")).jobs).toHaveLength(2);
    }),
  readManifest: () =>
    inTemp(async (d) => {
      const s = await sweep(d);
      const back = await tabmdp.readManifest(d);
      expect(back.mdp.sha256).toBe(s.manifest.mdp.sha256);
      expect(back.jobs).toHaveLength(2);
    }),
  readSweepRecord: () =>
    inTemp(async (d) => {
      expect(await tabmdp.readSweepRecord(d)).toBeNull();
      await sweep(d);
      expect((await tabmdp.readSweepRecord(d))?.jobs).toHaveLength(2);
    }),
  readRecordedJobs: () =>
    inTemp(async (d) => {
      const s = await sweep(d);
      const rs = await tabmdp.readRecordedJobs(d, (await tabmdp.readSweepRecord(d))!);
      expect(rs.map((r) => tabmdp.jobKey(r.spec)).sort()).toEqual(
        s.results.map((r) => tabmdp.jobKey(r.spec)).sort(),
      );
    }),
  prepareRunFolder: () =>
    inTemp(async (d) => {
      await sweep(join(d, "a"));
      const record = (await tabmdp.readSweepRecord(join(d, "a")))!;
      expect(await tabmdp.prepareRunFolder(join(d, "a"), join(d, "a2"), record, "resume")).toHaveLength(2);
      expect((await readdir(join(d, "a2", "jobs"))).length).toBe(2);
      await mkdir(join(d, "b"));
      await writeFile(join(d, "b", "notes.txt"), "x");
      await expect(tabmdp.prepareRunFolder(join(d, "b"), join(d, "b2"), record, "new")).rejects.toThrow(
        tabmdp.UsageError,
      );
    }),
  mergeRuns: () =>
    inTemp(async (d) => {
      const s = await sweep(join(d, "a"));
      const merged = await tabmdp.mergeRuns([join(d, "a")], join(d, "m"));
      expect(merged.results.map((r) => r.finalGreedy)).toEqual(s.results.map((r) => r.finalGreedy));
      await expect(tabmdp.mergeRuns([], join(d, "n"))).rejects.toThrow(tabmdp.UsageError);
    }),
  summarizeRuns: () => {
    const rs = jobs().map((j) => tabmdp.runJob(gm, j));
    const [g] = tabmdp.summarizeRuns(rs, () => V09);
    expect(g!.runs).toBe(2);
    expect(g!.finalGreedyReturn.mean).toBeCloseTo(mean(rs.map((r) => r.finalGreedy)), 14);
  },
  meanCurves: () => {
    const rs = jobs().map((j) => tabmdp.runJob(gm, j));
    const [c] = tabmdp.meanCurves(rs, "greedy");
    expect(c!.episode).toEqual([0, 20, 40]);
    expect(c!.mean[1]).toBeCloseTo(mean(rs.map((r) => r.curve[1]!.greedy)), 14);
    expect(c!.lo[1]!).toBeLessThanOrEqual(c!.hi[1]!);
  },
  sampleTrial: () => {
    const a = tabmdp.sampleTrial("q-learning", {}, 1, 3);
    expect(a).toEqual(tabmdp.sampleTrial("q-learning", {}, 1, 3));
    expect(a).not.toEqual(tabmdp.sampleTrial("q-learning", {}, 1, 4));
    expect(tabmdp.sampleTrial("q-learning", { gamma: 0.5 }, 1, 3).gamma).toBe(0.5);
  },
  SEARCH_SPACE: () => {
    const [lo, hi] = tabmdp.SEARCH_SPACE.alpha;
    const [elo, ehi] = tabmdp.SEARCH_SPACE.epsilon;
    for (let t = 0; t < 20; t++) {
      const p = tabmdp.sampleTrial("q-learning", {}, 2, t);
      expect(p.alpha >= lo && p.alpha <= hi).toBe(true);
      expect(p.epsilon >= elo && p.epsilon <= ehi).toBe(true);
    }
  },
  rankTrials: () => {
    const trialSets = [0, 1, 2].map((t) => ({
      params: tabmdp.sampleTrial("q-learning", { gamma: 0.9 }, 1, t),
      trial: t,
    }));
    const rs = tabmdp.buildJobs(trialSets, { ...base, seeds: [1] }).map((j) => tabmdp.runJob(gm, j));
    const ranked = tabmdp.rankTrials(rs);
    expect(ranked.map((r) => r.trial).sort()).toEqual([0, 1, 2]);
    for (let i = 1; i < ranked.length; i++)
      expect(ranked[i - 1]!.score).toBeGreaterThanOrEqual(ranked[i]!.score);
    expect(ranked[0]!.score).toBe(rs.find((r) => r.spec.trial === ranked[0]!.trial)!.lastTenthReturn);
  },
  markdownTable: () =>
    inTemp(async (d) => {
      const s = await sweep(d);
      const lines = tabmdp.markdownTable(s.summary).trim().split("\n");
      expect(lines).toHaveLength(3);
      expect(lines[2]).toMatch(/^\| q-learning/);
    }),
  htmlReport: () =>
    inTemp(async (d) => {
      const s = await sweep(d);
      const html = tabmdp.htmlReport(s.manifest, s.summary, ['<svg id="probe"></svg>']);
      expect(html).toContain('<svg id="probe"></svg>');
      expect(html).toContain("<td>q-learning</td>");
    }),
  curvesSvg: () =>
    inTemp(async (d) => {
      const s = await sweep(d);
      const svg = tabmdp.curvesSvg(s.results, s.manifest);
      expect(svg.startsWith("<svg")).toBe(true);
      expect(svg).toBe(await readFile(join(d, "curves.svg"), "utf8"));
    }),
  averageReturnSvg: () =>
    inTemp(async (d) => {
      const s = await sweep(d);
      const svg = tabmdp.averageReturnSvg(s.results, s.manifest);
      expect(svg).toContain("q-learning");
      expect(svg).toBe(await readFile(join(d, "returns.svg"), "utf8"));
    }),
  // builder studies
  BUILD_PHASES: () => {
    const seen: string[] = [];
    tabmdp.buildFromSimulator({
      simulator: "sepsispilot/mild-sepsis",
      patients: 20,
      seed: 2,
      k: 3,
      threshold: 1,
      onProgress: (phase) => {
        if (seen.at(-1) !== phase) seen.push(phase);
      },
    });
    expect(seen).toEqual([...tabmdp.BUILD_PHASES]);
  },
  STUDY_POLICIES: () => {
    const b = built().mdp;
    for (const p of tabmdp.STUDY_POLICIES) {
      const t = tabmdp.policyTable(b, p);
      expect(t).toHaveLength(b.nS * b.nA);
    }
    expect(tabmdp.STUDY_POLICIES).toContain("behaviour");
  },
  builderInfo: () => {
    expect(tabmdp.builderInfo(built().mdp).simulator).toBe("sepsispilot/mild-sepsis");
    expect(() => tabmdp.builderInfo(m)).toThrow(tabmdp.UsageError);
  },
  namedPolicy: () => {
    expect(Array.from(tabmdp.namedPolicy(m, "random"))).toEqual(Array.from(tabmdp.uniformTable(m)));
    expect(Array.from(tabmdp.namedPolicy(m, "optimal").slice(0, 2))).toEqual([1, 0]);
    expect(() => tabmdp.namedPolicy(m, "expert")).toThrow(tabmdp.UsageError);
  },
  policyTable: () => {
    expect(Array.from(tabmdp.policyTable(m, "optimal"))).toEqual(Array.from(act0));
    expect(Array.from(tabmdp.policyTable(m, "random"))).toEqual(Array.from(tabmdp.uniformTable(m)));
  },
  // Under gamma = 1 looping is free, so both the uniform and the optimal policy reach V = p / (p + q).
  unperturbed: () =>
    expect(tabmdp.unperturbed(m).map((r) => [r.policy, r.mean])).toEqual([
      ["random", expect.closeTo(P / (P + Q), 12)],
      ["optimal", expect.closeTo(P / (P + Q), 12)],
    ]),
  perturbStudy: () => {
    const rows = tabmdp.perturbStudy(m, [0, 1], 3, 1);
    // p = 0 drops nothing: every repeat is the unperturbed MDP.
    const opt0 = rows.find((r) => r.p === 0 && r.policy === "optimal")!;
    expect([opt0.mean, opt0.sd]).toEqual([expect.closeTo(P / (P + Q), 12), 0]);
    // p = 1 keeps one action of state 0: the optimum can only drop (looping forever is worth 0).
    for (const r of rows.filter((x) => x.p === 1)) expect(r.max).toBeLessThanOrEqual(P / (P + Q) + 1e-12);
  },
  simulatePolicy: () => {
    const b = built().mdp;
    const pi = tabmdp.uniformTable(b);
    const a = tabmdp.simulatePolicy(b, pi, { patients: 8, seed: 3 });
    expect(a).toEqual(tabmdp.simulatePolicy(b, pi, { patients: 8, seed: 3 }));
    expect(a.n).toBe(8);
    expect(a.low).toBeLessThanOrEqual(a.estimate);
    expect(a.high).toBeGreaterThanOrEqual(a.estimate);
    expect(Number.isInteger(a.estimate * 8)).toBe(true);
  },
  fidelity: () => {
    const b = built().mdp;
    const pi = tabmdp.uniformTable(b);
    const row = tabmdp.fidelity(b, "random", pi, { patients: 8, seed: 3, blocks: 6 });
    const sim = tabmdp.simulatePolicy(b, pi, { patients: 8, seed: 3 });
    expect(row.simulated.survival).toBe(sim.estimate);
    expect(row.gap.infinite.value).toBeCloseTo(sim.estimate - row.predicted.infinite.survival, 14);
    expect(row.predicted.horizon.blocks).toBe(6);
    expect(row.gap.horizon.value).toBeCloseTo(sim.estimate - row.predicted.horizon.survival, 14);
  },
  thresholdStudy: () => {
    const rows = tabmdp.thresholdStudy({ simulator: "sepsispilot/mild-sepsis", patients: 30, k: 3 }, [1, 2], {
      cohortSeeds: [1],
      check: { patients: 4, seed: 1 },
      bootstrap: 0,
    });
    // One row per policy, the optimal policy as three tie-breaks.
    expect(rows).toHaveLength(2 * (tabmdp.STUDY_POLICIES.length - 1 + tabmdp.TIE_BREAKS.length));
    expect([...new Set(rows.map((r) => r.threshold))]).toEqual([1, 2]);
    const beh = rows.filter((r) => r.policy === "behaviour").map((r) => r.simulated.survival);
    expect(beh[0]).toBe(beh[1]); // the same simulated patients for every MDP
  },
  horizonBlocks: () => {
    expect(tabmdp.horizonBlocks(72, 4)).toBe(18);
    expect(tabmdp.horizonBlocks(72, 5)).toBe(15); // a last block of 2 hours is still a decision
    expect(() => tabmdp.horizonBlocks(72, 0)).toThrow(/block hours/);
  },
  simulatorHorizonBlocks: () => {
    // SepsisPilot mild sepsis stops after 24 hours; the built MDP uses 4-hour blocks.
    expect(tabmdp.simulatorHorizonBlocks(built().mdp)).toBe(6);
  },
  survivalOnHorizon: () => {
    const b = built().mdp;
    const pi = tabmdp.uniformTable(b);
    // No decision yet: nobody has died.
    expect(tabmdp.survivalOnHorizon(b, pi, 0)).toBe(1);
    const long = tabmdp.survivalOnHorizon(b, pi, 10_000);
    expect(long).toBeCloseTo(tabmdp.expectedReturnOf(b, pi, { gamma: 1 }), 9);
  },
  TIE_BREAKS: () => {
    expect([...tabmdp.TIE_BREAKS]).toEqual(["tie-rule", "most-frequent", "least-frequent"]);
  },
  tieBreakPolicies: () => {
    const b = built().mdp;
    const ties = tabmdp.tieBreakPolicies(b);
    expect(ties.map((t) => t.tieBreak)).toEqual([...tabmdp.TIE_BREAKS]);
    const best = tabmdp.expectedReturnOf(b, tabmdp.namedPolicy(b, "optimal"), { gamma: 1 });
    for (const t of ties) expect(tabmdp.expectedReturnOf(b, t.table, { gamma: 1 })).toBeCloseTo(best, 9);
  },
  tieBreakFidelity: () => {
    const b = built().mdp;
    const rows = tabmdp.tieBreakFidelity(b, tabmdp.tieBreakPolicies(b), { patients: 4, seed: 1, blocks: 6 });
    expect(rows.map((r) => r.tieBreak)).toEqual([...tabmdp.TIE_BREAKS]);
    for (const r of rows) expect(r.policy).toBe("optimal");
  },
  tieSpread: () => {
    const b = built().mdp;
    const rows = tabmdp.tieBreakFidelity(b, tabmdp.tieBreakPolicies(b), { patients: 4, seed: 1, blocks: 6 });
    const sims = rows.map((r) => r.simulated.survival);
    expect(tabmdp.tieSpread(rows).simulated).toBe(Math.max(...sims) - Math.min(...sims));
  },
  tieSpreads: () => {
    const rows = tabmdp.thresholdStudy({ simulator: "sepsispilot/mild-sepsis", patients: 30, k: 3 }, [1], {
      cohortSeeds: [1],
      check: { patients: 4, seed: 1 },
      bootstrap: 0,
    });
    const spreads = tabmdp.tieSpreads(rows);
    expect(spreads.map((x) => [x.cohortSeed, x.threshold])).toEqual([[1, 1]]);
    expect(spreads[0]!.spread.simulated).toBeGreaterThanOrEqual(0);
  },
  // simulators
  OBERST_VARIANTS: () => {
    expect([...tabmdp.OBERST_VARIANTS]).toEqual(["master", "sim-v2"]);
    for (const variant of tabmdp.OBERST_VARIANTS) {
      const s = tabmdp.createOberstSontag({ variant });
      expect(Array.from(s.reset(5))).toEqual(Array.from(tabmdp.createOberstSontag({ variant }).reset(5)));
    }
  },
  createOberstSontag: () => {
    const s = tabmdp.createOberstSontag({ diabetic: 1 });
    const obs = s.reset(3);
    expect(obs).toHaveLength(s.observation.length);
    expect(s.fullState().diabetic).toBe(1);
  },
  randomPolicy: () => {
    const { simulator } = tabmdp.createSimulator("oberst-sontag");
    const pi = tabmdp.randomPolicy(simulator);
    const rng = tabmdp.seeded(1);
    const n = simulator.actions.kind === "discrete" ? simulator.actions.n : 0;
    for (let i = 0; i < 50; i++) {
      const [a] = pi(new Float64Array(0), 0, rng);
      expect(Number.isInteger(a) && a! >= 0 && a! < n).toBe(true);
    }
  },
  constantPolicy: () => {
    const { simulator } = tabmdp.createSimulator("oberst-sontag");
    expect(tabmdp.constantPolicy(simulator, [2])(new Float64Array(0), 0, tabmdp.seeded(1))).toEqual([2]);
    expect(() => tabmdp.constantPolicy(simulator, [0.5])).toThrow(tabmdp.UsageError);
  },
  parsePolicy: () => {
    const created = tabmdp.createSimulator("oberst-sontag");
    const def = tabmdp.getSimulator("oberst-sontag");
    expect(
      tabmdp.parsePolicy("constant:1", def, created.simulator, {})(new Float64Array(0), 0, tabmdp.seeded(1)),
    ).toEqual([1]);
    expect(() => tabmdp.parsePolicy("constant:x", def, created.simulator, {})).toThrow(tabmdp.UsageError);
  },
  summarizeRollouts: () => {
    const { simulator } = tabmdp.createSimulator("sepsispilot/mild-sepsis");
    const rs = tabmdp.rollout(simulator, () => [0], { episodes: 4, seed: 4 });
    const s = tabmdp.summarizeRollouts(rs);
    expect(s.episodes).toBe(4);
    expect(s.outcomes.alive + s.outcomes.dead + s.outcomes.stable).toBe(4);
    expect(s.survival.estimate).toBe(1 - s.outcomes.dead / 4);
    expect(s.return.estimate).toBeCloseTo(mean(rs.map((r) => r.return)), 12);
  },
};
