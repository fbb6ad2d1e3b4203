import { describe, expect, it } from "vitest";
import { evaluatePolicy, uniformTable } from "../solvers/index.js";
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
  it("the generator is deterministic in its seed", () => {
    const a = randomSparseMdp(9, { states: 50, actions: 3, successors: 4 });
    const b = randomSparseMdp(9, { states: 50, actions: 3, successors: 4 });
    expect(Buffer.from(a.prob.buffer).equals(Buffer.from(b.prob.buffer))).toBe(true);
    expect(Array.from(a.next)).toEqual(Array.from(b.next));
  });
});
