import { describe, expect, it } from "vitest";
import { PAPER_SPACE, SEARCH_SPACE, sampleTrial } from "../src/study/tune.js";

describe("tune's search families", () => {
  it("the paper family: constant step size, epsilon linear from 1 over a fraction of the run", () => {
    const episodes = 300_000;
    for (let t = 0; t < 50; t++) {
      const p = sampleTrial("sarsa", {}, 3, t, { name: "paper", episodes });
      expect(p.alphaSchedule).toBe("constant");
      expect(p.exploreSchedule).toBe("linear");
      expect(p.epsilon).toBe(1);
      expect(p.alpha).toBeGreaterThanOrEqual(PAPER_SPACE.alpha[0]);
      expect(p.alpha).toBeLessThanOrEqual(PAPER_SPACE.alpha[1]);
      expect(p.exploreEnd).toBeGreaterThanOrEqual(PAPER_SPACE.exploreEnd[0]);
      expect(p.exploreEnd).toBeLessThanOrEqual(PAPER_SPACE.exploreEnd[1]);
      expect(p.exploreEpisodes / episodes).toBeGreaterThanOrEqual(PAPER_SPACE.exploreFraction[0] - 1e-6);
      expect(p.exploreEpisodes / episodes).toBeLessThanOrEqual(PAPER_SPACE.exploreFraction[1] + 1e-6);
    }
  });
  it("draws are a pure function of (seed, trial) in both families", () => {
    for (const name of ["tabmdp", "paper"] as const) {
      const a = sampleTrial("q-learning", {}, "s", 7, { name, episodes: 1000 });
      expect(sampleTrial("q-learning", {}, "s", 7, { name, episodes: 1000 })).toEqual(a);
      expect(sampleTrial("q-learning", {}, "s", 8, { name, episodes: 1000 })).not.toEqual(a);
    }
  });
  it("the tabmdp family keeps exploration within its bounds and the end below the start", () => {
    for (let t = 0; t < 50; t++) {
      const p = sampleTrial("q-learning", {}, 1, t);
      expect(p.epsilon).toBeGreaterThanOrEqual(SEARCH_SPACE.epsilon[0]);
      expect(p.epsilon).toBeLessThanOrEqual(SEARCH_SPACE.epsilon[1]);
      expect(p.exploreEnd).toBeLessThanOrEqual(p.epsilon);
    }
  });
});
