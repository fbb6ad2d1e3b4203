import { describe, expect, it } from "vitest";
import { expectedReturnOf } from "../solvers/index.js";
import { certifiedPlan } from "../solvers/plan.js";
import { horizonBlocks, survivalOnHorizon } from "../src/builder/horizon.js";
import { TIE_BREAKS, tieBreakPolicies } from "../src/builder/tie-breaks.js";
import { csrFromDense, makeMdp } from "../src/model/build.js";
import type { TabularMdp } from "../src/model/mdp.js";

const [DEATH, SURVIVAL, SINK] = [2, 3, 4];

/**
 * The ICU-Sepsis shape in miniature: states 0 and 1 are in treatment, then death, survival and the sink.
 * `rows[s][a]` lists [next, probability] for the two treatment states; reward 1 on entering survival.
 */
function tiny(
  rows: readonly (readonly (readonly [number, number])[])[][],
  pairCounts: number[][],
): TabularMdp {
  const nS = 5;
  const nA = rows[0]!.length;
  const dense = new Float64Array(nS * nA * nS);
  for (let s = 0; s < nS; s++)
    for (let a = 0; a < nA; a++) {
      const to = s < 2 ? rows[s]![a]! : [[SINK, 1] as const];
      for (const [t, p] of to) dense[(s * nA + a) * nS + t] = dense[(s * nA + a) * nS + t]! + p;
    }
  const rS = new Float64Array(nS);
  rS[SURVIVAL] = 1;
  return makeMdp({
    nS,
    nA,
    ...csrFromDense(dense, nS * nA, nS),
    reward: { kind: "next-state", rS },
    d0: Float64Array.from([1, 0, 0, 0, 0]),
    metadata: {
      death_state: DEATH,
      survival_state: SURVIVAL,
      terminal_states: [DEATH, SURVIVAL, SINK],
      builder: { pair_counts: pairCounts },
    },
  });
}

describe("survival on the simulator's horizon", () => {
  it("counts decisions per block, a partial last block included", () => {
    expect(horizonBlocks(72, 4)).toBe(18);
    expect(horizonBlocks(48, 4)).toBe(12);
    expect(horizonBlocks(72, 5)).toBe(15);
    expect(horizonBlocks(20, 1)).toBe(20);
    expect(horizonBlocks(3, 4)).toBe(1);
    expect(() => horizonBlocks(0, 4)).toThrow(/horizon/);
    expect(() => horizonBlocks(72, 1.5)).toThrow(/block hours/);
  });

  it("counts stays still in treatment at the horizon as survivors", () => {
    // From state 0: death 1/4, survival 1/4, stay 1/2. P(dead within H) = 1/2 (1 - 2^-H).
    const m = tiny(
      [
        [
          [
            [DEATH, 0.25],
            [SURVIVAL, 0.25],
            [0, 0.5],
          ],
        ],
        [[[SURVIVAL, 1]]],
      ],
      [
        [0, 0, 1],
        [1, 0, 1],
      ],
    );
    const pi = Float64Array.from({ length: 5 }, () => 1);
    for (const h of [0, 1, 2, 3, 10])
      expect(survivalOnHorizon(m, pi, h)).toBeCloseTo(0.5 + 0.5 ** (h + 1), 14);
    // 7 hours in 3-hour blocks: 3 decisions.
    expect(survivalOnHorizon(m, pi, horizonBlocks(7, 3))).toBeCloseTo(0.5625, 14);
    // A long horizon approaches the MDP's own value.
    expect(survivalOnHorizon(m, pi, 200)).toBeCloseTo(expectedReturnOf(m, pi, { gamma: 1 }), 12);
  });
});

describe("tie-breaks of the optimal policy", () => {
  // State 0: a0 survives now, a1 goes to state 1, a2 survives now, a3 dies, a4 goes to state 1.
  // State 1: a0 survives, a1 loops on itself, a2 survives, a3 dies, a4 survives.
  // Every action but a3 is optimal (value 1); state 1's loop keeps the value but never ends.
  const m = tiny(
    [
      [[[SURVIVAL, 1]], [[1, 1]], [[SURVIVAL, 1]], [[DEATH, 1]], [[1, 1]]],
      [[[SURVIVAL, 1]], [[1, 1]], [[SURVIVAL, 1]], [[DEATH, 1]], [[SURVIVAL, 1]]],
    ],
    [
      [0, 0, 5],
      [0, 1, 9],
      [0, 3, 40],
      [0, 4, 2],
      [1, 0, 3],
      [1, 1, 50],
      [1, 2, 1],
    ],
  );
  const chosen = (t: Float64Array, s: number): number => {
    const row = Array.from(t.subarray(s * 5, (s + 1) * 5));
    expect(row.filter((x) => x === 1)).toHaveLength(1);
    return row.indexOf(1);
  };
  const ties = tieBreakPolicies(m);
  const optimal = certifiedPlan(m, "gs-vi", { gamma: 1 }).certified.optimalActions;
  const isOptimal = (s: number, a: number): boolean =>
    Array.from(optimal.actions.subarray(optimal.ptr[s]!, optimal.ptr[s + 1]!)).includes(a);

  it("each picks only optimal actions, ends surely and keeps the optimal value", () => {
    expect(ties.map((t) => t.tieBreak)).toEqual([...TIE_BREAKS]);
    for (const t of ties) {
      for (const s of [0, 1]) expect(isOptimal(s, chosen(t.table, s))).toBe(true);
      expect(expectedReturnOf(m, t.table, { gamma: 1 })).toBeCloseTo(1, 12);
    }
  });

  it("follows its documented rule", () => {
    const [rule, most, least] = ties.map((t) => [chosen(t.table, 0), chosen(t.table, 1)]);
    // Shortest expected episode, then the lowest index.
    expect(rule).toEqual([0, 0]);
    // State 0: a3 is the most taken but not optimal, so a1. State 1: the loop (most taken) would never
    // end, so the repair takes the lowest optimal action that ends.
    expect(most).toEqual([1, 0]);
    // The least taken optimal action, lowest index first: a2 never in state 0 (a3, never taken in state 1,
    // is not optimal), a4 never in state 1.
    expect(least).toEqual([2, 4]);
  });

  it("is deterministic", () => {
    const again = tieBreakPolicies(m);
    for (let i = 0; i < ties.length; i++)
      expect(Array.from(again[i]!.table)).toEqual(Array.from(ties[i]!.table));
  });
});
