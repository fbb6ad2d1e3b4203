import { describe, expect, it } from "vitest";
import { evaluatePolicy, uniformTable } from "../solvers/index.js";
import { restrictedSystem } from "../solvers/linear/restricted-solve.js";
import { policyChain } from "../solvers/policy-matrix.js";
import { seeded } from "../src/core/rng.js";
import { expectedRewardSA } from "../src/model/mdp.js";
import { randomSparseMdp } from "../src/model/random-sparse-mdp.js";

/** max_s |V(s) - (r_pi(s) + g sum_s' P_pi(s'|s) V(s'))| over non-terminal states, for the uniform policy. */
function bellmanResidual(m: ReturnType<typeof randomSparseMdp>, vS: Float64Array, g: number): number {
  const rSA = expectedRewardSA(m);
  let worst = 0;
  for (let s = 0; s < m.nS; s++) {
    if (m.terminalS[s] === 1) continue;
    let rhs = 0;
    for (let a = 0; a < m.nA; a++) {
      const r = s * m.nA + a;
      let next = 0;
      for (let k = m.rowPtr[r]!; k < m.rowPtr[r + 1]!; k++) next += m.prob[k]! * vS[m.next[k]!]!;
      rhs += (rSA[r]! + g * next) / m.nA;
    }
    worst = Math.max(worst, Math.abs(vS[s]! - rhs));
  }
  return worst;
}

describe("exact evaluation on random sparse MDPs", () => {
  it("continuing MDP, gamma 0.99: the Bellman equation holds to 1e-9 and the length is unbounded", () => {
    const m = randomSparseMdp(4, { states: 2000, actions: 4, successors: 6 });
    expect(m.terminalS.indexOf(1)).toBe(-1);
    const ev = evaluatePolicy(m, uniformTable(m), { gamma: 0.99 });
    expect(bellmanResidual(m, ev.vS, 0.99)).toBeLessThan(1e-9);
    expect(ev.expectedLength).toBeNull();
    expect(ev.terminatesSurely).toBe(false);
  });
  it("episodic MDP, gamma 1: the Bellman equation holds to 1e-11, mean length 1 / exit probability", () => {
    const m = randomSparseMdp(5, { states: 2000, actions: 4, successors: 6, exitProbability: 0.05 });
    const ev = evaluatePolicy(m, uniformTable(m), { gamma: 1 });
    expect(bellmanResidual(m, ev.vS, 1)).toBeLessThan(1e-11);
    expect(ev.expectedLength).toBeCloseTo(20, 9);
    expect(ev.terminatesSurely).toBe(true);
  });
  it("a mixed policy's chain is the same to the bit built directly (first use) and from its cached pattern", () => {
    const m = randomSparseMdp(8, { states: 400, actions: 6, successors: 5, exitProbability: 0.1 });
    const rng = seeded(3);
    // Some actions without weight, the rest random: rows merge different successor sets.
    const piSA = new Float64Array(m.nS * m.nA);
    for (let s = 0; s < m.nS; s++) {
      let total = 0;
      for (let a = 0; a < m.nA; a++) {
        const w = a === 0 || rng.next() < 0.6 ? rng.next() + 0.01 : 0;
        piSA[s * m.nA + a] = w;
        total += w;
      }
      for (let a = 0; a < m.nA; a++) piSA[s * m.nA + a] = piSA[s * m.nA + a]! / total;
    }
    const rSA = expectedRewardSA(m);
    const bytes = (c: ReturnType<typeof policyChain>) =>
      [c.start, c.end, c.col, c.val, c.rS].map((a) => Buffer.from(a.buffer, a.byteOffset, a.byteLength));
    const direct = bytes(policyChain(m, piSA, rSA)); // first use of this support: built directly
    const patterned = bytes(policyChain(m, piSA, rSA)); // second: the pattern is built and filled
    const refilled = bytes(policyChain(m, piSA, rSA)); // third: the cached pattern is filled
    for (let i = 0; i < direct.length; i++) {
      expect(patterned[i]!.equals(direct[i]!)).toBe(true);
      expect(refilled[i]!.equals(direct[i]!)).toBe(true);
    }
    // Rows ascending and P_pi(t | s) = sum_a pi(a|s) P(t|s,a).
    const c = policyChain(m, piSA, rSA);
    for (const s of [0, 17, m.nS - 2]) {
      const dense = new Float64Array(m.nS);
      for (let a = 0; a < m.nA; a++)
        for (let k = m.rowPtr[s * m.nA + a]!; k < m.rowPtr[s * m.nA + a + 1]!; k++)
          dense[m.next[k]!] = dense[m.next[k]!]! + piSA[s * m.nA + a]! * m.prob[k]!;
      let last = -1;
      for (let k = c.start[s]!; k < c.end[s]!; k++) {
        expect(c.col[k]!).toBeGreaterThan(last);
        last = c.col[k]!;
        expect(c.val[k]).toBeCloseTo(dense[last]!, 15);
        dense[last] = 0;
      }
      expect(dense.every((x) => x === 0)).toBe(true);
    }
  });
  for (const [label, exitProbability, gamma] of [
    ["continuing, gamma = 0.97", 0, 0.97],
    ["episodic, gamma = 1", 0.04, 1],
  ] as const) {
    it(`a solve over the chain's own entries equals the solve over copied halves to the bit (${label})`, () => {
      const m = randomSparseMdp(9, { states: 1500, actions: 4, successors: 6, exitProbability });
      const chain = policyChain(m, uniformTable(m), expectedRewardSA(m));
      expect(chain.space?.claimed).toBe(false);
      const live = (s: number) => m.terminalS[s] === 0;
      const reward = (s: number) => chain.rS[s]!;
      const inPlace = restrictedSystem(chain, live, gamma).solveWithBound(reward);
      expect(chain.space?.claimed).toBe(true);
      const copied = restrictedSystem({ ...chain, space: undefined }, live, gamma).solveWithBound(reward);
      expect(Buffer.from(inPlace.x.buffer).equals(Buffer.from(copied.x.buffer))).toBe(true);
      expect(inPlace.errorBound).toBe(copied.errorBound);
      expect(inPlace.errorBound).toBeLessThan(1e-9);
      // A second system over the same chain finds the room taken and copies: same numbers again.
      const again = restrictedSystem(chain, live, gamma).solveWithBound(reward);
      expect(Buffer.from(again.x.buffer).equals(Buffer.from(copied.x.buffer))).toBe(true);
    });
  }
  it("the generator is deterministic in its seed", () => {
    const a = randomSparseMdp(9, { states: 50, actions: 3, successors: 4 });
    const b = randomSparseMdp(9, { states: 50, actions: 3, successors: 4 });
    expect(Buffer.from(a.prob.buffer).equals(Buffer.from(b.prob.buffer))).toBe(true);
    expect(Array.from(a.next)).toEqual(Array.from(b.next));
  });
});
