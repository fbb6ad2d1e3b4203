import { describe, expect, it } from "vitest";
import { type GreedyCache, makeGreedyCache, rescan, writeQ } from "../solvers/learning/greedy-cache.js";
import { FastRng } from "../src/core/fast-rng.js";
import type { ActionSets } from "../src/model/action-sets.js";

/** A generator that returns the given draws in turn and counts them. */
function scripted(...draws: number[]): FastRng & { used: number } {
  const g = {
    used: 0,
    next(): number {
      const u = draws[g.used];
      if (u === undefined) throw new Error("more draws than scripted");
      g.used++;
      return u;
    },
  };
  return g as unknown as FastRng & { used: number };
}

/** One state whose allowed actions are 0..n-1. */
function oneRow(q: number[]): { q: Float64Array; sets: ActionSets; nA: number } {
  const nA = q.length;
  return {
    q: Float64Array.from(q),
    sets: { ptr: Int32Array.of(0, nA), actions: Int32Array.from({ length: nA }, (_, a) => a) },
    nA,
  };
}

const emptyCache = (nS: number): GreedyCache => ({
  best: new Int32Array(nS),
  max: new Float64Array(nS),
  second: new Float64Array(nS),
  sum: new Float64Array(nS),
});

describe("the greedy cache", () => {
  it("draws only when the final maximum is tied, once, and picks the j-th tie in row order", () => {
    const rowWithLowerTies = oneRow([0.3, 0.3, 0.5, 0.1]);
    const none = scripted();
    const c = emptyCache(1);
    rescan(c, rowWithLowerTies.q, 0, rowWithLowerTies.nA, rowWithLowerTies.sets, none);
    expect([none.used, c.best[0], c.max[0], c.second[0]]).toEqual([0, 2, 0.5, 0.3]);

    // Three tied maxima (actions 0, 2, 3): u = 0.5 gives j = floor(1.5) = 1, the second of them.
    const tied = oneRow([0.5, 0.2, 0.5, 0.5]);
    const one = scripted(0.5);
    rescan(c, tied.q, 0, tied.nA, tied.sets, one);
    expect([one.used, c.best[0], c.max[0], c.second[0]]).toEqual([1, 2, 0.5, 0.5]);
    rescan(c, tied.q, 0, tied.nA, tied.sets, scripted(0.99));
    expect(c.best[0]).toBe(3);
  });

  it("skips the rescan while the dropped greedy value stays above the others, with the rescan's result", () => {
    const row = oneRow([0.2, 0.9, 0.4]);
    const c = makeGreedyCache(row.q, 1, row.nA, row.sets, scripted());
    expect([c.best[0], c.max[0], c.second[0]]).toEqual([1, 0.9, 0.4]);
    const g = scripted();
    writeQ(c, row.q, 0, 1, 0.5, row.nA, row.sets, g); // drops, still above 0.4: no rescan
    expect([g.used, c.best[0], c.max[0], c.second[0]]).toEqual([0, 1, 0.5, 0.4]);
    writeQ(c, row.q, 0, 1, 0.4, row.nA, row.sets, scripted(0.75)); // ties with action 2: rescan, one draw
    expect([c.best[0], c.max[0], c.second[0]]).toEqual([2, 0.4, 0.4]);
  });

  it("after any sequence of writes, agrees with a fresh scan (unique maxima) and bounds the other values", () => {
    const nS = 5;
    const nA = 6;
    // Rows of 1 to 6 allowed actions (state s allows actions 0..s).
    const ptr = new Int32Array(nS + 1);
    const actions: number[] = [];
    for (let s = 0; s < nS; s++) {
      for (let a = 0; a <= s; a++) actions.push(a);
      ptr[s + 1] = actions.length;
    }
    const sets: ActionSets = { ptr, actions: Int32Array.from(actions) };
    const q = new Float64Array(nS * nA);
    const rng = new FastRng(7);
    const c = makeGreedyCache(q, nS, nA, sets, rng);
    for (let i = 0; i < 20_000; i++) {
      const s = rng.int(nS);
      const a = sets.actions[sets.ptr[s]! + rng.int(sets.ptr[s + 1]! - sets.ptr[s]!)]!;
      const v = Math.round(rng.next() * 8) / 8; // coarse values: ties are frequent
      writeQ(c, q, s, a, v, nA, sets, rng);
      const row = Array.from(sets.actions.subarray(sets.ptr[s]!, sets.ptr[s + 1]!), (b) => q[s * nA + b]!);
      const mx = Math.max(...row);
      expect(c.max[s]).toBe(mx);
      expect(q[s * nA + c.best[s]!]).toBe(mx);
      const others = row.filter((_, k) => sets.actions[sets.ptr[s]! + k] !== c.best[s]);
      expect(c.second[s]).toBeGreaterThanOrEqual(Math.max(...others));
      expect(c.sum[s]).toBeCloseTo(
        row.reduce((x, y) => x + y, 0),
        12,
      );
    }
  });
});
