import type { TabularMdp } from "./mdp.js";

type TransitionView = Pick<TabularMdp, "nS" | "nA" | "rowPtr" | "next" | "prob">;

/** True when every action of s moves, with probability 1 (to 1e-12), into the set `target`. */
function allActionsInto(m: TransitionView, s: number, inTarget: (t: number) => boolean): boolean {
  for (let a = 0; a < m.nA; a++) {
    const r = s * m.nA + a;
    let mass = 0;
    for (let k = m.rowPtr[r]!; k < m.rowPtr[r + 1]!; k++) if (inTarget(m.next[k]!)) mass += m.prob[k]!;
    if (Math.abs(mass - 1) > 1e-12) return false;
  }
  return true;
}

/**
 * Terminal states when metadata does not name them: the absorbing states (every action returns to the state
 * with probability 1) plus the states from which every action moves into an absorbing state with probability 1.
 * For ICU-Sepsis this yields {713, 714, 715}.
 */
export function inferTerminalStates(m: TransitionView): Uint8Array {
  const absorbing = new Uint8Array(m.nS);
  for (let s = 0; s < m.nS; s++) if (allActionsInto(m, s, (t) => t === s)) absorbing[s] = 1;
  const terminal = absorbing.slice();
  for (let s = 0; s < m.nS; s++) {
    if (absorbing[s] === 0 && allActionsInto(m, s, (t) => absorbing[t] === 1)) terminal[s] = 1;
  }
  return terminal;
}
