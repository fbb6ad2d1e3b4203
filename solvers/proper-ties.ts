import type { ActionSets } from "../src/model/action-sets.js";
import type { TabularMdp } from "../src/model/mdp.js";

/**
 * With gamma = 1, an action can tie with the best one (within the tie tolerance) and still never end the
 * episode, e.g. a self-loop in a state whose value the loop preserves. Taking the lowest tied index blindly can
 * then return a policy that runs forever, whose undiscounted value is undefined. This keeps the lowest tied
 * action wherever termination stays certain and, only in the states where it does not, picks the lowest tied
 * action that moves (with positive probability) towards states that do terminate — growing that set outwards
 * from the terminal states until nothing changes.
 *
 * `tied(s, a)` says whether a is within the tie tolerance of the best action of s. Mutates `policyS`.
 */
export function makeTiesProper(
  m: TabularMdp,
  sets: ActionSets,
  policyS: Int32Array,
  tied: (s: number, a: number) => boolean,
): void {
  const ends = surelyEnds(m, policyS);
  let changed = true;
  while (changed) {
    changed = false;
    for (let s = 0; s < m.nS; s++) {
      if (ends[s] === 1) continue;
      for (let i = sets.ptr[s]!; i < sets.ptr[s + 1]!; i++) {
        const a = sets.actions[i]!;
        if (!tied(s, a)) continue;
        const r = s * m.nA + a;
        let reaches = false;
        for (let k = m.rowPtr[r]!; k < m.rowPtr[r + 1]! && !reaches; k++)
          reaches = ends[m.next[k]!] === 1 && m.prob[k]! > 0;
        if (reaches) {
          policyS[s] = a;
          ends[s] = 1;
          changed = true;
          break;
        }
      }
    }
  }
}

/**
 * 1 for terminal states and for states from which the deterministic policy ends the episode with
 * probability 1: those that cannot reach a state from which no terminal state is reachable.
 */
function surelyEnds(m: TabularMdp, policyS: Int32Array): Uint8Array {
  const n = m.nS;
  // Predecessor lists of the policy's chain.
  const count = new Int32Array(n + 1);
  const rowOf = (s: number): number => s * m.nA + policyS[s]!;
  for (let s = 0; s < n; s++) {
    if (m.terminalS[s] === 1) continue;
    for (let k = m.rowPtr[rowOf(s)]!; k < m.rowPtr[rowOf(s) + 1]!; k++) count[m.next[k]! + 1]!++;
  }
  for (let s = 0; s < n; s++) count[s + 1] = count[s + 1]! + count[s]!;
  const pred = new Int32Array(count[n]!);
  const fill = count.slice(0, n);
  for (let s = 0; s < n; s++) {
    if (m.terminalS[s] === 1) continue;
    for (let k = m.rowPtr[rowOf(s)]!; k < m.rowPtr[rowOf(s) + 1]!; k++) pred[fill[m.next[k]!]!++] = s;
  }
  const spread = (mark: Uint8Array, seeds: number[]): void => {
    for (const s of seeds) mark[s] = 1;
    const stack = seeds.slice();
    while (stack.length > 0) {
      const t = stack.pop()!;
      for (let k = count[t]!; k < count[t + 1]!; k++) {
        if (mark[pred[k]!] === 0) {
          mark[pred[k]!] = 1;
          stack.push(pred[k]!);
        }
      }
    }
  };
  const canEnd = new Uint8Array(n);
  const terminals: number[] = [];
  for (let s = 0; s < n; s++) if (m.terminalS[s] === 1) terminals.push(s);
  spread(canEnd, terminals);
  const mayLoop = new Uint8Array(n);
  const stuck: number[] = [];
  for (let s = 0; s < n; s++) if (canEnd[s] === 0) stuck.push(s);
  spread(mayLoop, stuck);
  const ends = new Uint8Array(n);
  for (let s = 0; s < n; s++) ends[s] = mayLoop[s] === 1 ? 0 : 1;
  return ends;
}
