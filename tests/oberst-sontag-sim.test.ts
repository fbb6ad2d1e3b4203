import { describe, expect, it } from "vitest";
import { UsageError } from "../src/core/errors.js";
import { seeded } from "../src/core/rng.js";
import {
  ACTION_NAMES,
  buildOberstSontagMdp,
  createOberstSontag,
  decodeState,
  draws,
  exactRow,
  fullIndex,
  N_FULL,
  oberstSontagDefinition,
  sampleInitialState,
  sampleTransition,
  stateReward,
} from "../src/sim/oberst-sontag/index.js";
import type { SimPolicy } from "../src/sim/types.js";

describe("oberst-sontag definition", () => {
  it("exposes 8 named actions and the 7 visible variables", () => {
    const sim = oberstSontagDefinition.create({});
    expect(sim.id).toBe("oberst-sontag");
    expect(sim.actions).toEqual({ kind: "discrete", n: 8, names: ACTION_NAMES });
    expect(ACTION_NAMES[0]).toBe("none");
    expect(ACTION_NAMES[4 + 2 + 1]).toBe("abx+vent+vaso");
    expect(ACTION_NAMES[4 + 1]).toBe("abx+vaso");
    expect(sim.observation.map((f) => f.name)).toEqual(["hr", "bp", "o2", "glucose", "ab", "va", "ve"]);
    expect(sim.maxSteps).toBe(20);
    expect(Object.keys(oberstSontagDefinition.heuristics({}))).toContain("heuristic");
  });
});

/** Roll one episode; returns the observations, rewards and the end flags. */
function episode(seed: number, policy: SimPolicy, noise = true, variant: "master" | "sim-v2" = "master") {
  const sim = createOberstSontag({ noise, variant });
  const prng = seeded(`policy-${seed}`);
  let obs = sim.reset(seed);
  const steps: { obs: number[]; r: number; term: boolean; trunc: boolean; full: number }[] = [];
  for (let t = 0; ; t++) {
    const s = sim.step(policy(obs, t, prng));
    obs = s.obs;
    steps.push({
      obs: [...obs],
      r: s.reward,
      term: s.terminated,
      trunc: s.truncated,
      full: fullIndex(sim.fullState()),
    });
    if (s.terminated || s.truncated) return { sim, steps };
  }
}

describe("oberst-sontag episodes", () => {
  const policies = oberstSontagDefinition.heuristics({});

  it("is deterministic by seed", () => {
    for (const name of ["heuristic", "random"]) {
      const p = policies[name]!;
      expect(episode(7, p).steps).toEqual(episode(7, p).steps);
    }
    const starts = new Set([1, 2, 3, 4, 5, 6].map((seed) => [...createOberstSontag().reset(seed)].join()));
    expect(starts.size).toBeGreaterThan(1);
  });

  it("terminates at the first non-zero reward and truncates at 20 steps", () => {
    let truncated = 0;
    for (let seed = 0; seed < 200; seed++) {
      const { sim, steps } = episode(seed, policies.random!);
      const last = steps.at(-1)!;
      for (const s of steps.slice(0, -1)) expect([s.r, s.term, s.trunc]).toEqual([0, false, false]);
      expect(last.r).toBe(stateReward(decodeState(last.full)));
      if (last.trunc) {
        truncated++;
        expect([steps.length, last.r, last.term]).toEqual([20, 0, false]);
      } else expect(last.term && last.r !== 0).toBe(true);
      expect(() => sim.step([0])).toThrow(UsageError);
    }
    expect(truncated).toBeGreaterThan(0);
  });

  it("rejects bad actions with the value quoted", () => {
    const sim = createOberstSontag();
    expect(() => sim.step([0])).toThrow(UsageError);
    sim.reset(1);
    expect(() => sim.step([8])).toThrow(/\[8\]/);
    expect(() => sim.step([1.5])).toThrow(UsageError);
    expect(() => sim.step([1, 2])).toThrow(UsageError);
  });

  it("with noise off is deterministic given the start and stays inside the exact support", () => {
    const off = (x: ReturnType<typeof decodeState>, a: number) => {
      const rng = seeded(0);
      const y = sampleTransition(x, a, "master", draws(rng, false));
      expect(rng.next()).toBe(seeded(0).next()); // no draw consumed
      return fullIndex(y);
    };
    let outside = 0;
    for (let s = 0; s < N_FULL; s++) {
      const x = decodeState(s);
      for (let a = 0; a < 8; a++) if (!exactRow(x, a, "master").next.includes(off(x, a))) outside++;
    }
    expect(outside).toBe(0);
    // A 50/50 event happens; fluctuations stay put.
    const high = { hr: 2, bp: 1, o2: 1, g: 2, ab: 0, va: 0, ve: 0, diabetic: 0 };
    expect(off(high, 4)).toBe(fullIndex({ ...high, hr: 1, ab: 1 }));
    expect(off(high, 0)).toBe(fullIndex(high));
  });
});

describe("oberst-sontag sampled transitions agree with the exact rows", () => {
  const n = 4000;
  const cases: [string, number, number][] = [
    [
      "diabetic, low bp, vaso on",
      fullIndex({ hr: 1, bp: 0, o2: 0, g: 3, ab: 1, va: 0, ve: 1, diabetic: 1 }),
      1,
    ],
    [
      "non-diabetic, no treatment (master glucose bug)",
      fullIndex({ hr: 1, bp: 1, o2: 1, g: 3, ab: 0, va: 0, ve: 0, diabetic: 0 }),
      0,
    ],
    ["stopping everything", fullIndex({ hr: 1, bp: 1, o2: 1, g: 2, ab: 1, va: 1, ve: 1, diabetic: 0 }), 0],
    [
      "all treatments, abnormal vitals",
      fullIndex({ hr: 2, bp: 2, o2: 0, g: 0, ab: 0, va: 0, ve: 0, diabetic: 1 }),
      7,
    ],
  ];
  for (const variant of ["master", "sim-v2"] as const) {
    for (const [label, s, a] of cases) {
      it(`${variant}: ${label}`, () => {
        const x = decodeState(s);
        const row = exactRow(x, a, variant);
        const counts = new Map<number, number>();
        const d = draws(seeded(`mc-${variant}-${s}-${a}`), true);
        for (let i = 0; i < n; i++) {
          const y = fullIndex(sampleTransition(x, a, variant, d));
          counts.set(y, (counts.get(y) ?? 0) + 1);
        }
        for (const y of counts.keys()) expect(row.next).toContain(y);
        row.next.forEach((y, k) => {
          const p = row.prob[k]!;
          const z = ((counts.get(y) ?? 0) - n * p) / Math.sqrt(n * p * (1 - p));
          expect(Math.abs(z)).toBeLessThan(4.5);
        });
      });
    }
  }

  it("draws initial states that are never terminal, diabetic about 20% of the time", () => {
    const rng = seeded("init");
    let diabetic = 0;
    for (let i = 0; i < 2000; i++) {
      const x = sampleInitialState(rng);
      expect(stateReward(x)).toBe(0);
      diabetic += x.diabetic;
    }
    expect(Math.abs(diabetic - 400) / Math.sqrt(2000 * 0.2 * 0.8)).toBeLessThan(4);
  });
});

describe("oberst-sontag episodes agree with the exact MDP", () => {
  it("has the heuristic's 20-step undiscounted return predicted by backward induction", () => {
    const m = buildOberstSontagMdp("master");
    const rS = m.reward.kind === "next-state" ? m.reward.rS : new Float64Array(m.nS);
    const pi = m.expertPolicy!;
    // v_h(s) = sum_a pi(a|s) sum_s' P(s'|s,a) (R(s') + v_{h-1}(s')), terminal states worth 0.
    let v = new Float64Array(m.nS);
    for (let h = 0; h < 20; h++) {
      const w = new Float64Array(m.nS);
      for (let s = 0; s < m.nS; s++) {
        if (m.terminalS[s] === 1) continue;
        let acc = 0;
        for (let a = 0; a < m.nA; a++) {
          const p = pi[s * m.nA + a]!;
          const r = s * m.nA + a;
          for (let k = m.rowPtr[r]!; k < m.rowPtr[r + 1]!; k++) {
            const t = m.next[k]!;
            acc += p * m.prob[k]! * (rS[t]! + v[t]!);
          }
        }
        w[s] = acc;
      }
      v = w;
    }
    const exact = m.d0.reduce((acc, p, s) => acc + p * v[s]!, 0);
    const policy = oberstSontagDefinition.heuristics({}).heuristic!;
    const n = 3000;
    let sum = 0;
    let sumSq = 0;
    for (let seed = 0; seed < n; seed++) {
      const r = episode(seed, policy).steps.at(-1)!.r;
      sum += r;
      sumSq += r * r;
    }
    const mean = sum / n;
    const se = Math.sqrt((sumSq / n - mean * mean) / n);
    expect(Math.abs(mean - exact) / se).toBeLessThan(4);
  });
});
