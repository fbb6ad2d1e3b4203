import { beforeAll, describe, expect, it } from "vitest";
import { deterministicTable, evaluatePolicy, uniformTable } from "../solvers/index.js";
import { ALGOS, runEpisodes } from "../solvers/learning/index.js";
import { readMdpDir } from "../src/io/index.js";
import type { TabularMdp } from "../src/model/mdp.js";
import { hasIcuSepsis, icuSepsisDir, SKIP_REASON } from "./helpers/shared.js";

describe.skipIf(!hasIcuSepsis)(`learners on ICU-Sepsis${hasIcuSepsis ? "" : ` (${SKIP_REASON})`}`, () => {
  let m: TabularMdp;
  let random: number;
  beforeAll(async () => {
    m = await readMdpDir(icuSepsisDir);
    random = evaluatePolicy(m, uniformTable(m)).expectedReturn;
  });

  it("the uniform random policy is worth 0.78", () => {
    expect(random).toBeCloseTo(0.78, 2);
  });

  for (const algo of ALGOS) {
    it(`${algo}: 30k episodes lift the exact greedy return above the random policy`, () => {
      const r = runEpisodes(
        m,
        {
          algo,
          actions: "admissible",
          alpha: 1,
          alphaSchedule: "visits",
          omega: 0.6,
          epsilon: 0.3,
          lambda: 0.5,
        },
        { episodes: 30_000, seed: 1 },
      );
      const v = evaluatePolicy(m, deterministicTable(m, r.greedyS)).expectedReturn;
      expect(v).toBeGreaterThan(random + 0.02);
    });
  }
});
