import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { certify, plan, policyIteration } from "../solvers/index.js";
import { lengthBounds } from "../solvers/length-range.js";
import { readMdpDir } from "../src/io/index.js";
import type { TabularMdp } from "../src/model/mdp.js";
import { hasIcuSepsis, icuSepsisDir, repoRoot } from "./helpers/shared.js";

const demo = resolve(repoRoot, "data/demo");
const shock = resolve(repoRoot, "data/sepsispilot-septic-shock");

/**
 * With one optimal policy, certification takes the length range from that policy's own lengths (at gamma = 1
 * from the system its values were solved on) instead of lengthBounds' search: both must agree to the bit.
 */
async function expectSameAsSearch(m: TabularMdp, gamma: number): Promise<void> {
  const c = certify(m, plan(m, "vi", { gamma }));
  expect(c.tiedStates).toBe(0);
  const searched = lengthBounds(m, c.optimalActions);
  expect(c.lengths.minS).toEqual(searched.minS);
  expect(c.lengths.maxS).toEqual(searched.maxS);
  expect(c.lengths.shortestS).toEqual(searched.shortestS);
  expect(c.lengths.cycleS).toEqual(searched.cycleS);
  expect(c.lengths.ecS).toEqual(searched.ecS);
  expect(c.lengths.ecInsideRow).toEqual(searched.ecInsideRow);
  expect(c.lengthRange[0]).not.toBeNull();
  expect(c.lengthRange[0]).toBe(c.lengthRange[1]);
}

describe("length range of a sole optimal policy", () => {
  it("demo, gamma = 1 (direct solver)", async () => {
    await expectSameAsSearch(await readMdpDir(demo), 1);
  });

  it("SepsisPilot septic shock, gamma = 0.99 (its own length system)", async () => {
    await expectSameAsSearch(await readMdpDir(shock), 0.99);
  });

  it.skipIf(!hasIcuSepsis)(
    "ICU-Sepsis, gamma = 1 (Krylov solver, one split for values and lengths)",
    async () => {
      await expectSameAsSearch(await readMdpDir(icuSepsisDir), 1);
    },
  );
});

describe("policy iteration stopped by its cap", () => {
  it("returns the policy greedy on its last values, not the last one it evaluated", async () => {
    const m = await readMdpDir(demo);
    const full = policyIteration(m, { gamma: 1 });
    expect(full.report.iterations).toBeGreaterThan(2);
    const capped = policyIteration(m, { gamma: 1, maxIterations: 1 });
    expect(capped.report.converged).toBe(false);
    let improvedSomewhere = false;
    for (let s = 0; s < m.nS; s++) {
      if (m.terminalS[s] === 1) continue;
      const row = capped.qSA.subarray(s * m.nA, (s + 1) * m.nA);
      const best = Math.max(...row);
      expect(row[capped.policyS[s]!]!).toBeGreaterThanOrEqual(best - 1e-12);
      if (row[capped.policyS[s]!]! > capped.vS[s]! + 1e-12) improvedSomewhere = true;
    }
    // The greedy policy differs from the evaluated one where it beats that policy's value.
    expect(improvedSomewhere).toBe(true);
  });
});
