import type { TabularMdp } from "./mdp.js";

/** True when every action of s returns to s with probability 1. */
export function isAbsorbing(m: TabularMdp, s: number): boolean {
  for (let a = 0; a < m.nA; a++) {
    const r = s * m.nA + a;
    let self = 0;
    for (let k = m.rowPtr[r]!; k < m.rowPtr[r + 1]!; k++) if (m.next[k] === s) self += m.prob[k]!;
    if (Math.abs(self - 1) > 1e-12) return false;
  }
  return true;
}

/**
 * The death state used by the env's `terminate` strategy: metadata's `death_state` when given, else the
 * non-absorbing terminal state with the lowest entry reward (ICU-Sepsis: 713), ties to the lowest index.
 * Null when the MDP has no such state (then `terminate` is unavailable).
 */
export function deathState(m: TabularMdp): number | null {
  if (typeof m.metadata.death_state === "number") return m.metadata.death_state;
  if (m.reward.kind !== "next-state") return null;
  let best: number | null = null;
  for (let s = 0; s < m.nS; s++) {
    if (m.terminalS[s] !== 1 || isAbsorbing(m, s)) continue;
    if (best === null || m.reward.rS[s]! < m.reward.rS[best]!) best = s;
  }
  return best;
}
