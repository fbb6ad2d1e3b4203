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
 *
 * With `keepWhereItEnds` (for policies chosen by another rule than the lowest index, e.g. a data-driven
 * tie-break) as few choices as possible are changed: a state keeps its action whenever that action leads
 * (with positive probability) to states that end, and one state at a time is changed, preferably in a closed
 * class of the policy (a loop nothing leads out of), whose repair lets the states leading into it end too.
 */
export function makeTiesProper(
  m: TabularMdp,
  sets: ActionSets,
  policyS: Int32Array,
  tied: (s: number, a: number) => boolean,
  keepWhereItEnds = false,
): void {
  const ends = surelyEnds(m, policyS);
  const reaches = (s: number, a: number): boolean => {
    const r = s * m.nA + a;
    for (let k = m.rowPtr[r]!; k < m.rowPtr[r + 1]!; k++)
      if (ends[m.next[k]!] === 1 && m.prob[k]! > 0) return true;
    return false;
  };
  const repair = (s: number): boolean => {
    for (let i = sets.ptr[s]!; i < sets.ptr[s + 1]!; i++) {
      const a = sets.actions[i]!;
      if (tied(s, a) && reaches(s, a)) {
        policyS[s] = a;
        ends[s] = 1;
        return true;
      }
    }
    return false;
  };
  if (!keepWhereItEnds) {
    let changed = true;
    while (changed) {
      changed = false;
      for (let s = 0; s < m.nS; s++) if (ends[s] === 0 && repair(s)) changed = true;
    }
    return;
  }
  for (;;) {
    let kept = false;
    for (let s = 0; s < m.nS; s++) {
      if (ends[s] === 0 && reaches(s, policyS[s]!)) {
        ends[s] = 1;
        kept = true;
      }
    }
    if (kept) continue;
    const closed = inClosedClass(m, policyS, ends);
    let changed = false;
    for (let s = 0; s < m.nS && !changed; s++) if (ends[s] === 0 && closed[s] === 1) changed = repair(s);
    for (let s = 0; s < m.nS && !changed; s++) if (ends[s] === 0) changed = repair(s);
    if (!changed) return;
  }
}

/** Successors (positive probability) of s under its policy action. */
function successors(m: TabularMdp, policyS: Int32Array, s: number): number[] {
  const r = s * m.nA + policyS[s]!;
  const out: number[] = [];
  for (let k = m.rowPtr[r]!; k < m.rowPtr[r + 1]!; k++) if (m.prob[k]! > 0) out.push(m.next[k]!);
  return out;
}

/**
 * 1 for the non-ending states in a closed class of the policy's chain: every state reachable from s can reach
 * s back (s's reachable set is strongly connected).
 */
function inClosedClass(m: TabularMdp, policyS: Int32Array, ends: Uint8Array): Uint8Array {
  const out = new Uint8Array(m.nS);
  const reach = (from: number, step: (s: number) => readonly number[], within?: Uint8Array): Uint8Array => {
    const seen = new Uint8Array(m.nS);
    const stack = [from];
    seen[from] = 1;
    while (stack.length > 0) {
      for (const t of step(stack.pop()!)) {
        if (seen[t] === 1 || ends[t] === 1 || (within !== undefined && within[t] === 0)) continue;
        seen[t] = 1;
        stack.push(t);
      }
    }
    return seen;
  };
  const preds: number[][] = Array.from({ length: m.nS }, () => []);
  for (let s = 0; s < m.nS; s++)
    if (ends[s] === 0) for (const t of successors(m, policyS, s)) preds[t]!.push(s);
  for (let s = 0; s < m.nS; s++) {
    if (ends[s] === 1 || out[s] === 1) continue;
    const forward = reach(s, (x) => successors(m, policyS, x));
    const back = reach(s, (x) => preds[x]!, forward);
    let closed = true;
    for (let t = 0; t < m.nS && closed; t++) if (forward[t] === 1 && back[t] === 0) closed = false;
    if (closed) for (let t = 0; t < m.nS; t++) if (forward[t] === 1) out[t] = 1;
  }
  return out;
}

/** 1 for terminal states and for states from which the deterministic policy ends the episode surely. */
function surelyEnds(m: TabularMdp, policyS: Int32Array): Uint8Array {
  const piSA = new Float64Array(m.nS * m.nA);
  for (let s = 0; s < m.nS; s++) piSA[s * m.nA + policyS[s]!] = 1;
  const { mayAvoidT } = terminationStructure(m, policyChain(m, piSA, new Float64Array(m.nS * m.nA)));
  return Uint8Array.from(mayAvoidT, (x) => 1 - x);
}
