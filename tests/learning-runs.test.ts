import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import {
  alphaAt,
  type CurveSums,
  curveSums,
  exploreAt,
  meanCi,
  RELEASED_RULE,
  releasedRuleConvergence,
  resolveParams,
  scheduleValue,
  visitStep,
} from "../solvers/learning/index.js";
import { UsageError } from "../src/core/errors.js";
import { linePlot } from "../src/report/svg.js";
import { runJobs, workerEntry } from "../src/study/pool.js";
import { markdownTable } from "../src/study/report.js";
import { summarize } from "../src/study/summary.js";
import { buildJobs, mergeRuns, runSweep, type SweepConfig } from "../src/study/sweep.js";
import { randomMdp } from "./helpers/learning-mdps.js";

const dirs: string[] = [];
const tmp = async (): Promise<string> => {
  const d = await mkdtemp(join(tmpdir(), "tabmdp-learn-"));
  dirs.push(d);
  return d;
};
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

describe("schedules and hyperparameters", () => {
  it("constant, linear and exponential decays hold their end value", () => {
    expect(scheduleValue("constant", 0.5, 0.1, 100, 50)).toBe(0.5);
    expect(scheduleValue("linear", 0.5, 0.1, 100, 50)).toBeCloseTo(0.3, 12);
    expect(scheduleValue("linear", 0.5, 0.1, 100, 500)).toBeCloseTo(0.1, 12);
    expect(scheduleValue("exp", 0.4, 0.1, 100, 50)).toBeCloseTo(0.2, 12);
    expect(scheduleValue("exp", 0.4, 0.1, 100, 1e6)).toBeCloseTo(0.1, 12);
  });
  it("exponential schedules read from tables give the formula's doubles, for every episode and past the end", () => {
    // Five schedules, one more than the tables kept, read in turns: evicted tables are rebuilt right.
    const schedules = [0.5, 0.4, 0.3, 0.2, 0.1].map((start) =>
      resolveParams({ epsilon: start, exploreSchedule: "exp", exploreEnd: 0.01, exploreEpisodes: 700 }),
    );
    for (let round = 0; round < 2; round++) {
      for (const p of schedules) {
        for (const k of [0, 1, 350, 699, 700, 701, 5000, 2.5]) {
          expect(exploreAt(p, k)).toBe(scheduleValue("exp", p.epsilon, 0.01, 700, k));
        }
      }
    }
    const alpha = resolveParams({ alpha: 0.8, alphaSchedule: "exp", alphaEnd: 0.05, alphaEpisodes: 90 });
    for (let k = 0; k < 120; k++) expect(alphaAt(alpha, k)).toBe(scheduleValue("exp", 0.8, 0.05, 90, k));
  });
  it("visit-count step sizes alpha / n^omega", () => {
    expect(visitStep(1, 4, 1)).toBe(0.25);
    expect(visitStep(1, 4, 0.5)).toBe(0.5);
    expect(visitStep(0.5, 8, 2 / 3)).toBeCloseTo(0.125, 12);
    for (const n of [3, 65535, 65536, 1e6]) expect(visitStep(0.7, n, 0.6)).toBe(0.7 * n ** -0.6);
  });
  it("rejects out-of-range values with the flag name", () => {
    expect(() => resolveParams({ alpha: 2 })).toThrow(/--alpha must be in \[0, 1\]/);
    expect(() => resolveParams({ exploreSchedule: "exp", exploreEnd: 0 })).toThrow(UsageError);
  });
});

describe("convergence rule and intervals", () => {
  const rule = { start: 10_000, every: 100, recent: 1_000, final: 10_000, delta: 1e-4 };
  const sums = (f: (i: number) => number, n: number, length = (_i: number): number => 2): CurveSums => {
    const returns = Array.from({ length: n }, (_, i) => f(i));
    return curveSums(
      returns,
      returns.map((_, i) => length(i)),
      rule,
    );
  };
  it("released rule: first tested episode whose recent mean is within delta (relative) of the final mean", () => {
    // 0 for 12,050 episodes, then 1: the recent window [i - 1000, i) is all ones first at i = 13,100.
    const c = releasedRuleConvergence([sums((i) => (i < 12_050 ? 0 : 1), 30_000)], rule);
    expect(c).toEqual({ episode: 13_100, steps: 26_200, recentMean: 1, finalMean: 1 });
  });
  it("released rule: runs are averaged over seeds before the test, and it never fires early", () => {
    // Alternating seeds: each run's curve is 0/1 noise, their average is 0.5 from the first episode on.
    const even = sums(
      (i) => (i % 2 === 0 ? 1 : 0),
      20_000,
      (i) => 1 + (i % 3),
    );
    const odd = sums(
      (i) => (i % 2 === 1 ? 1 : 0),
      20_000,
      (i) => 1 + (i % 3),
    );
    const c = releasedRuleConvergence([even, odd], rule);
    expect(c.episode).toBe(10_000);
    expect(c.recentMean).toBe(0.5);
    // Seed-averaged lengths 1, 2, 3, 1, ... over 10,000 episodes.
    expect(c.steps).toBe(Array.from({ length: 10_000 }, (_, i) => 1 + (i % 3)).reduce((a, b) => a + b, 0));
  });
  it("released rule: strict inequality, and null when no recent window comes close", () => {
    // Recent means 0.875 sit exactly delta = 0.125 below the final mean 1: not converged until they rise.
    const wide = { ...rule, delta: 0.125 };
    const step = curveSums(
      Array.from({ length: 30_000 }, (_, i) => (i < 15_000 ? 0.875 : 1)),
      new Array(30_000).fill(1),
      wide,
    );
    expect(releasedRuleConvergence([step], wide).episode).toBe(15_100);
    // Only the last 55 episodes score, and no tested recent window reaches them.
    const late = releasedRuleConvergence([sums((i) => (i >= 29_945 ? 1 : 0), 30_000)], rule);
    expect(late).toEqual({ episode: null, steps: null, recentMean: null, finalMean: 0.0055 });
    expect(() => releasedRuleConvergence([sums(() => 1, 1000), sums(() => 1, 900)], rule)).toThrow(
      RangeError,
    );
  });
  it("95 % t interval", () => {
    const c = meanCi([1, 2, 3, 4]);
    expect(c.mean).toBe(2.5);
    expect(c.ci95).toBeCloseTo((3.182 * Math.sqrt(5 / 3)) / 2, 10);
  });
});

describe("sweeps: outputs, determinism, workers, shards", () => {
  const m = randomMdp(6, 3, 9);
  const sets = ["q-learning", "sarsa"].map((algo) => ({
    params: resolveParams({ algo: algo as "q-learning", gamma: 0.9, epsilon: 0.2 }),
    trial: null,
  }));
  const base = {
    episodes: 600,
    evalEvery: 100,
    window: 50,
    rule: { ...RELEASED_RULE, start: 100, recent: 100, final: 200 },
    seeds: [1, 2, 3],
  };
  const jobs = buildJobs(sets, base);
  const config = (out: string, more: Partial<SweepConfig> = {}): SweepConfig => ({
    ...base,
    source: "random-6x3",
    command: "test",
    shard: [1, 1],
    workers: 0,
    out,
    mode: "new",
    ...more,
  });
  const read = (d: string, f: string): Promise<Buffer> => readFile(join(d, f));

  it("writes every output, and the same seeds give byte-identical results and summaries", async () => {
    const [a, b] = [await tmp(), await tmp()];
    const ra = await runSweep(m, jobs, config(a));
    await runSweep(m, jobs, config(b));
    for (const f of ["results.csv", "summary.csv", "summary.json", "curves.svg"]) {
      expect((await read(a, f)).equals(await read(b, f))).toBe(true);
    }
    const csv = (await read(a, "results.csv")).toString();
    expect(csv.split("\n")[0]).toBe("algo,seed,complete,episode,steps,metric,value");
    expect(csv).toContain("q-learning,1,true,600,");
    expect(ra.summary.map((s) => s.group)).toEqual(["q-learning", "sarsa"]);
    expect((await read(a, "report.html")).toString()).toContain("<svg");
    const manifest = JSON.parse((await read(a, "manifest.json")).toString());
    expect(manifest.jobs).toHaveLength(6);
    expect(manifest.mdp.sha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it("worker threads (from the TypeScript sources) give the same bytes as the main thread", async () => {
    const [a, b] = [await tmp(), await tmp()];
    await runSweep(m, jobs, config(a));
    await runSweep(m, jobs, config(b, { workers: 2 }));
    expect((await read(a, "results.csv")).equals(await read(b, "results.csv"))).toBe(true);
  });

  it("the compiled build runs the .js worker without tsx", () => {
    const e = workerEntry("file:///x/dist/src/study/pool.js");
    expect(e.url.href).toBe("file:///x/dist/src/study/worker.js");
    expect(e.fromSource).toBe(false);
    expect(workerEntry().fromSource).toBe(true);
  });

  it("shards 1/2 and 2/2 merge back into the unsharded run", async () => {
    const [all, s1, s2, merged] = [await tmp(), await tmp(), await tmp(), await tmp()];
    await runSweep(m, jobs, config(all));
    const r1 = await runSweep(m, jobs, config(s1, { shard: [1, 2] }));
    await runSweep(m, jobs, config(s2, { shard: [2, 2] }));
    expect(r1.results.map((r) => r.spec.index)).toEqual([0, 2, 4]);
    await mergeRuns([s1, s2], merged);
    for (const f of ["results.csv", "summary.csv"]) {
      expect((await read(all, f)).equals(await read(merged, f))).toBe(true);
    }
  });

  it("an aborted sweep keeps the finished jobs, says it was interrupted, and --resume finishes it", async () => {
    const [d, full] = [await tmp(), await tmp()];
    const ac = new AbortController();
    const r = await runSweep(m, jobs, config(d), {
      signal: ac.signal,
      onJob: (done) => {
        if (done === 2) ac.abort();
      },
    });
    expect(r.manifest.interrupted).toBe(true);
    expect(r.results).toHaveLength(2);
    expect(r.manifest.finishedJobs).toBe(2);
    // The same sweep again: refused without a mode, finished with --resume (4 jobs run, 2 kept).
    await expect(runSweep(m, jobs, config(d))).rejects.toThrow(
      /already holds this sweep \(2 of 6 jobs finished\)/,
    );
    const resumed = await runSweep(m, jobs, config(d, { mode: "resume" }));
    expect(resumed.manifest.resumedJobs).toBe(2);
    expect(resumed.manifest.interrupted).toBe(false);
    await runSweep(m, jobs, config(full));
    for (const f of ["results.csv", "summary.csv", "summary.json"]) {
      expect((await read(d, f)).equals(await read(full, f))).toBe(true);
    }
  });

  it("a different sweep is never folded into a folder: refused, or replaced with --force", async () => {
    const d = await tmp();
    await runSweep(m, jobs, config(d));
    const longer = buildJobs(sets, { ...base, episodes: 800 });
    const longerConfig = config(d, { episodes: 800 });
    await expect(runSweep(m, longer, longerConfig)).rejects.toThrow(/holds a different sweep/);
    await expect(runSweep(m, longer, { ...longerConfig, mode: "resume" })).rejects.toThrow(/different sweep/);
    const forced = await runSweep(m, longer, { ...longerConfig, mode: "force" });
    expect(forced.results.every((r) => r.spec.episodes === 800)).toBe(true);
    expect((await readdir(join(d, "jobs"))).length).toBe(6);
    // --force replaces run folders only.
    const other = await tmp();
    await writeFile(join(other, "notes.txt"), "mine");
    await expect(runSweep(m, jobs, config(other, { mode: "force" }))).rejects.toThrow(
      /holds notes.txt, which tabmdp does not write there/,
    );
  });

  it("bench merge works from job files alone and refuses shards of another sweep", async () => {
    const [s1, s2, other, merged] = [await tmp(), await tmp(), await tmp(), await tmp()];
    await runSweep(m, jobs, config(s1, { shard: [1, 2] }));
    await runSweep(m, jobs, config(s2, { shard: [2, 2] }));
    await rm(join(s1, "manifest.json")); // what kill -9 leaves
    const r = await mergeRuns([s1, s2], merged);
    expect(r.manifest.finishedJobs).toBe(6);
    await runSweep(
      m,
      buildJobs(sets, { ...base, episodes: 800 }),
      config(other, { episodes: 800, shard: [2, 2] }),
    );
    await expect(mergeRuns([s1, other], await tmp())).rejects.toThrow(/different sweep/);
  });

  it("one seed: the plots say so and draw no band (an interval needs two seeds)", async () => {
    const d = await tmp();
    const one = { ...base, seeds: [1] };
    await runSweep(m, buildJobs(sets, one), config(d, { seeds: [1] }));
    for (const f of ["curves.svg", "returns.svg"]) {
      const svg = (await read(d, f)).toString();
      expect(svg).toContain("(mean over 1 seed)</title>");
      expect(svg).not.toContain("<polygon");
      expect(svg).not.toContain("95 % CI");
      expect(svg).toContain("<polyline");
    }
  });

  it("runs stopped early are flagged and left out of the statistics unless included", async () => {
    const d = await tmp();
    const r = await runSweep(m, jobs, config(d));
    const cut = r.results.map((x, i) => (i === 0 ? { ...x, complete: false } : x));
    const left = summarize(cut, () => 1);
    expect(left[0]!.runs).toBe(2);
    expect(left[0]!.partial).toBe(1);
    expect(markdownTable(left)).toContain("| q-learning | 2 (+1 partial, left out) |");
    const kept = summarize(cut, () => 1, undefined, true);
    expect(kept[0]!.runs).toBe(3);
    expect(markdownTable(kept)).toContain("| q-learning | 3 (1 partial, included) |");
  });
});

describe("stopping worker jobs early (Ctrl-C)", () => {
  it("running jobs end after their current episode and keep what they learned", async () => {
    const m = randomMdp(6, 3, 9);
    const params = resolveParams({ algo: "q-learning", gamma: 0.9 });
    const jobs = buildJobs([{ params, trial: null }], {
      episodes: 50_000_000,
      evalEvery: 100_000,
      window: 50,
      rule: RELEASED_RULE,
      seeds: [1, 2, 3],
    });
    // Stop once both workers report a checkpoint past episode 0: an event, not a timer, so a slow boot on a
    // busy machine only delays the abort instead of catching a worker that has not started.
    const ac = new AbortController();
    const running = new Set<number>();
    const onProgress = (index: number, episode: number): void => {
      if (episode > 0) running.add(index);
      if (running.size === 2) ac.abort();
    };
    const { results, interrupted } = await runJobs(m, jobs, { workers: 2, signal: ac.signal, onProgress });
    expect(interrupted).toBe(true);
    expect(results.map((r) => r.spec.index)).toEqual([0, 1]);
    for (const r of results) {
      expect(r.complete).toBe(false);
      expect(r.episodes).toBeGreaterThan(0);
      expect(r.curve.at(-1)?.episode).toBe(r.episodes);
    }
  });
});

describe("svg line plot", () => {
  it("draws bands, lines, reference lines; breaks lines at NaN; deterministic", () => {
    const p = {
      title: "t",
      xLabel: "x",
      yLabel: "y",
      series: [
        {
          label: "a<b",
          x: [0, 1, 2, 3],
          y: [0, 1, Number.NaN, 2],
          lo: [0, 0.5, 1, 1.5],
          hi: [0, 1.5, 2, 2.5],
        },
      ],
      refLines: [{ y: 2.2, label: "optimal" }],
      bandLabel: "95 % CI",
    };
    const svg = linePlot(p);
    expect(svg).toBe(linePlot(p));
    expect(svg.match(/<polyline/g)).toHaveLength(2);
    expect(svg).toContain("<polygon");
    expect(svg).toContain("a&lt;b");
    expect(svg).toContain('stroke-dasharray="6 4"');
    expect(svg).toContain(">95 % CI</text>");
    // Without a label the band is not drawn: an unnamed shading would be ambiguous (CI? sd?).
    expect(linePlot({ ...p, bandLabel: undefined })).not.toContain("<polygon");
  });
  it("plots curves of millions of points (no argument spreading)", () => {
    const n = 3_000_000;
    const x = Array.from({ length: n }, (_, i) => i);
    const svg = linePlot({
      title: "t",
      xLabel: "x",
      yLabel: "y",
      series: [{ label: "a", x, y: x.map((v) => v % 7) }],
    });
    expect(svg).toContain("<polyline");
  });
});
