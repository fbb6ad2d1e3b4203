import { beforeAll, describe, expect, it } from "vitest";
import { type Baselines, baselines, evaluatePolicy, uniformTable, valueIteration } from "../solvers/index.js";
import { monteCarlo } from "../src/env/monte-carlo.js";
import { readMdpDir } from "../src/io/index.js";
import { admissibleActions, type TabularMdp, terminalStates } from "../src/model/mdp.js";
import { hasIcuSepsis, icuSepsisDir, SKIP_REASON } from "./helpers/shared.js";

describe.skipIf(!hasIcuSepsis)(
  `ICU-Sepsis reference figures (${hasIcuSepsis ? "tables found" : SKIP_REASON})`,
  () => {
    let m: TabularMdp;
    let b: Baselines;
    beforeAll(async () => {
      m = await readMdpDir(icuSepsisDir);
      b = baselines(m);
    });

    it("terminal states are inferred as {713, 714, 715}", () => {
      expect(terminalStates(m)).toEqual([713, 714, 715]);
    });

    it("reproduces the paper's Table 2 returns 0.78 / 0.78 / 0.88 and optimal length 10.99", () => {
      expect(b.gamma).toBe(1);
      expect(b.policies.random.return?.toFixed(2)).toBe("0.78");
      expect(b.policies.expert?.return?.toFixed(2)).toBe("0.78");
      expect(b.policies.optimal.return?.toFixed(2)).toBe("0.88");
      expect(b.policies.optimal.length?.toFixed(2)).toBe("10.99");
    });

    it("random and expert exact lengths are within 0.05 of the paper's Monte Carlo 9.45 / 9.22", () => {
      expect(Math.abs(b.policies.random.length! - 9.45)).toBeLessThan(0.05);
      expect(Math.abs(b.policies.expert!.length! - 9.22)).toBeLessThan(0.05);
    });

    it("the episode ends in death or survival with probability 1", () => {
      for (const f of Object.values(b.policies)) {
        const total = f.terminalProbabilities.reduce((acc, t) => acc + t.probability, 0);
        expect(Math.abs(total - 1)).toBeLessThan(1e-10);
        expect(f.terminalProbabilities.find((t) => t.state === 714)?.probability).toBeCloseTo(f.return!, 10);
      }
    });

    it("every inadmissible row equals the mean of the state's admissible rows", () => {
      let worst = 0;
      const dense = new Float64Array(m.nS);
      for (let s = 0; s < 713; s++) {
        const ok = admissibleActions(m, s);
        dense.fill(0);
        for (const a of ok) {
          const r = s * m.nA + a;
          for (let k = m.rowPtr[r]!; k < m.rowPtr[r + 1]!; k++)
            dense[m.next[k]!] = dense[m.next[k]!]! + m.prob[k]! / ok.length;
        }
        for (let a = 0; a < m.nA; a++) {
          if (ok.includes(a)) continue;
          const r = s * m.nA + a;
          const row = new Float64Array(m.nS);
          for (let k = m.rowPtr[r]!; k < m.rowPtr[r + 1]!; k++) row[m.next[k]!] = m.prob[k]!;
          for (let t = 0; t < m.nS; t++) worst = Math.max(worst, Math.abs(row[t]! - dense[t]!));
        }
      }
      expect(worst).toBeLessThan(1e-14);
    });

    it("maximising over admissible actions only and over all actions agree", () => {
      const only = valueIteration(m, { admissibleOnly: true, gaussSeidel: true });
      const all = valueIteration(m, { admissibleOnly: false, gaussSeidel: true });
      let d = 0;
      for (let s = 0; s < m.nS; s++) d = Math.max(d, Math.abs(only.vS[s]! - all.vS[s]!));
      expect(d).toBeLessThan(1e-9);
    });

    it("Monte Carlo through the env agrees with the exact random-policy figures within 3 standard errors", () => {
      const pi = uniformTable(m);
      const exact = evaluatePolicy(m, pi);
      const mc = monteCarlo(m, pi, { episodes: 50_000, seed: 2024 });
      expect(Math.abs(mc.return.mean - exact.expectedReturn)).toBeLessThan(3 * mc.return.stderr);
      expect(Math.abs(mc.length.mean - exact.expectedLength!)).toBeLessThan(3 * mc.length.stderr);
    });
  },
);
