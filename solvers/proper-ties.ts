import type { ActionSets } from "../src/model/action-sets.js";
import type { TabularMdp } from "../src/model/mdp.js";
import { policyChain, terminationStructure } from "./policy-matrix.js";

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

/** 1 for terminal states and for states from which the deterministic policy ends the episode surely. */
function surelyEnds(m: TabularMdp, policyS: Int32Array): Uint8Array {
  const piSA = new Float64Array(m.nS * m.nA);
  for (let s = 0; s < m.nS; s++) piSA[s * m.nA + policyS[s]!] = 1;
  const { mayAvoidT } = terminationStructure(m, policyChain(m, piSA, new Float64Array(m.nS * m.nA)));
  return Uint8Array.from(mayAvoidT, (x) => 1 - x);
}
