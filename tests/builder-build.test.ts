import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { actionAdapter } from "../src/builder/actions.js";
import { behaviourPolicy } from "../src/builder/behaviour.js";
import { buildFromSimulator } from "../src/builder/build.js";
import { simulateCohort } from "../src/builder/cohort.js";
import { readMdpDir, validateMdpDir, writeMdpDir } from "../src/io/index.js";
import { admissibleActions } from "../src/model/mdp.js";
import type { SimStep, Simulator } from "../src/sim/types.js";

/** A fake box simulator: obs = [hour, dose]; action = [fluid, dose change]; dies at hour 5 if dose > 1. */
function fakeSim(): Simulator {
  let t = 0;
  let dose = 0;
  return {
    id: "fake/box",
    observation: [
      { name: "hour", unit: "h", low: 0, high: 10 },
      { name: "dose", unit: "u", low: 0, high: 5 },
    ],
    actions: { kind: "box", names: ["fluid", "dose_add"], units: ["mL", "u"], low: [0, 0], high: [100, 1] },
    maxSteps: 7,
    reset: () => {
      t = 0;
      dose = 0;
      return Float64Array.of(0, 0);
    },
    step(a): SimStep {
      t++;
      dose += a[1]!;
      const dead = t === 5 && dose > 1;
      return {
        obs: Float64Array.of(t, dose),
        reward: 0,
        terminated: dead,
        truncated: !dead && t >= 7,
        outcome: dead ? "dead" : "alive",
      };
    },
  };
}

describe("cohort", () => {
  it("aggregates hourly steps into blocks (features at block start, summed amounts) and ends stays", () => {
    const sim = fakeSim();
    const adapter = actionAdapter(sim);
    const c = simulateCohort(sim, () => [10, 0.5], adapter, { patients: 2, seed: 1, blockHours: 3 });
    // 5 hours then death (dose 2.5 > 1): blocks start at hours 0 and 3.
    expect(c.nBlocks).toBe(4);
    expect(Array.from(c.patientStart)).toEqual([0, 2, 4]);
    expect(Array.from(c.died)).toEqual([1, 1]);
    expect(Array.from(c.obs.subarray(0, 4))).toEqual([0, 0, 3, 1.5]);
    expect(Array.from(c.channels.subarray(0, 4))).toEqual([30, 1.5, 20, 1]);
    expect(c.hours).toBe(10);
  });
  it("the behaviour policy explores with epsilon and jitters doses within the box", () => {
    const sim = fakeSim();
    const pol = behaviourPolicy(sim, () => [50, 0.5], [true, true], { epsilon: 0.5, jitter: 0.3 });
    const rng = {
      next: (() => {
        let i = 0;
        return () => (i++ * 0.618) % 1;
      })(),
      int: (n: number) => 0 * n,
    };
    const acts = Array.from({ length: 50 }, () => pol(Float64Array.of(0, 0), 0, rng));
    expect(acts.every((a) => a[0]! >= 0 && a[0]! <= 100 && a[1]! >= 0 && a[1]! <= 1)).toBe(true);
    expect(new Set(acts.map((a) => a[0])).size).toBeGreaterThan(10);
  });
});

describe("build pipeline (small SepsisPilot cohort)", () => {
  const opts = {
    simulator: "sepsispilot/mild-sepsis",
    patients: 300,
    seed: 5,
    k: 12,
    threshold: 5,
    restarts: 2,
  };
  const dirs: string[] = [];
  afterAll(async () => {
    for (const d of dirs) await rm(d, { recursive: true, force: true });
  });
  const built = buildFromSimulator(opts);
  const m = built.mdp;

  it("has the ICU-Sepsis shape: death, survival, sink last; reward on survival; mean rule", () => {
    const K = m.nS - 3;
    expect(m.nA).toBe(9);
    expect(Array.from(m.terminalS.subarray(K))).toEqual([1, 1, 1]);
    expect(m.reward.kind === "next-state" && Array.from(m.reward.rS)).toEqual([
      ...new Array(K).fill(0),
      0,
      1,
      0,
    ]);
    for (const t of [K, K + 1, K + 2])
      for (let a = 0; a < m.nA; a++) {
        const r = t * m.nA + a;
        expect(Array.from(m.next.subarray(m.rowPtr[r]!, m.rowPtr[r + 1]!))).toEqual([K + 2]);
      }
    expect(m.metadata.death_state).toBe(K);
    expect(m.metadata.survival_state).toBe(K + 1);
    for (let s = 0; s < K; s++) {
      const adm = admissibleActions(m, s);
      expect(adm.length).toBeGreaterThan(0);
      const inad = [...Array(m.nA).keys()].find((a) => !adm.includes(a));
      if (inad === undefined) continue;
      const dense = (r: number): number[] => {
        const out = new Array<number>(m.nS).fill(0);
        for (let j = m.rowPtr[r]!; j < m.rowPtr[r + 1]!; j++) out[m.next[j]!] = m.prob[j]!;
        return out;
      };
      const mean = new Array<number>(m.nS).fill(0);
      for (const a of adm)
        dense(s * m.nA + a).forEach((p, t) => {
          mean[t]! += p / adm.length;
        });
      const got = dense(s * m.nA + inad);
      for (let t = 0; t < m.nS; t++) expect(got[t]).toBeCloseTo(mean[t]!, 14);
    }
  });

  it("round-trips through the writer, validator and loader; same arguments give identical bytes", async () => {
    const a = await mkdtemp(join(tmpdir(), "tabmdp-build-"));
    const b = await mkdtemp(join(tmpdir(), "tabmdp-build-"));
    dirs.push(a, b);
    await writeMdpDir(m, a, { gzip: true });
    await writeMdpDir(buildFromSimulator(opts).mdp, b, { gzip: true });
    const files = (await readdir(a)).sort();
    expect(files).toContain("admissibleActions.txt.gz");
    expect(files).toContain("sofaScores.csv.gz");
    for (const f of files) expect(await readFile(join(b, f))).toEqual(await readFile(join(a, f)));
    const report = await validateMdpDir(a);
    expect(report.problems.map((p) => p.message)).toEqual([]);
    const back = await readMdpDir(a);
    expect(back.nS).toBe(m.nS);
    expect(Array.from(back.prob)).toEqual(Array.from(m.prob));
    expect(Array.from(back.admissibleSA)).toEqual(Array.from(m.admissibleSA));
    expect((back.metadata.builder as { seed: number }).seed).toBe(5);
  });
});
