import { backwardReach } from "../src/core/reach.js";
import type { TabularMdp } from "../src/model/mdp.js";
import type { PolicyChain } from "./linear/policy-chain.js";
import { mixedChain } from "./mixed-chain.js";

export type { PolicyChain };

export function policyChain(m: TabularMdp, piSA: Float64Array, rSA: Float64Array): PolicyChain {
  return deterministicChain(m, piSA, rSA) ?? mixedChain(m, piSA, rSA);
}

/** The chain of a policy that picks one action (weight 1) in every non-terminal state, or null. */
function deterministicChain(m: TabularMdp, piSA: Float64Array, rSA: Float64Array): PolicyChain | null {
  const { nS, nA } = m;
  const start = new Int32Array(nS);
  const end = new Int32Array(nS);
  const rS = new Float64Array(nS);
  for (let s = 0; s < nS; s++) {
    if (m.terminalS[s] === 1) continue;
    const only = soleAction(piSA, s * nA, nA);
    if (only < 0) return null;
    const row = s * nA + only;
    start[s] = m.rowPtr[row]!;
    end[s] = m.rowPtr[row + 1]!;
    rS[s] = rSA[row]!;
  }
  return { nS, start, end, col: m.next, val: m.prob, rS };
}

/** The action with weight exactly 1 in this policy row, or -1 when the row mixes actions. */
function soleAction(piSA: Float64Array, at: number, nA: number): number {
  let found = -1;
  for (let a = 0; a < nA; a++) {
    const w = piSA[at + a]!;
    if (w === 0) continue;
    if (w !== 1 || found >= 0) return -1;
    found = a;
  }
  return found;
}

/**
 * Structural reachability under the chain (probabilities > 0 only, no arithmetic):
 * `canReachT[s]` = some path from s enters a terminal state; `mayAvoidT[s]` = some path from s reaches a
 * state that can never terminate, i.e. s fails to terminate with positive probability.
 */
export function terminationStructure(
  m: TabularMdp,
  c: PolicyChain,
): { canReachT: Uint8Array; mayAvoidT: Uint8Array } {
  // Without terminal states (a continuing, discounted MDP) no state can end and every state avoids the end:
  // nothing to search (the passes below would read the whole chain several times to find that out).
  if (m.terminalS.indexOf(1) < 0)
    return { canReachT: new Uint8Array(m.nS), mayAvoidT: new Uint8Array(m.nS).fill(1) };
  const canReachT = everyStateCanEnd(m, c);
  if (canReachT !== null) return { canReachT, mayAvoidT: new Uint8Array(m.nS) };
  return searchBackward(m, c);
}

/**
 * The common case, cheaply: when every state can reach a terminal state, no state can avoid them either.
 * A few forward passes mark states with a marked (or terminal) successor, each row stopping at its first
 * one; on ICU-Sepsis chains three passes settle it, without building the predecessor graph. Returns
 * canReachT when every state is marked within the pass budget, null otherwise (then the full search runs).
 */
function everyStateCanEnd(m: TabularMdp, c: PolicyChain, passes = 6): Uint8Array | null {
  const n = m.nS;
  const mark = Uint8Array.from(m.terminalS);
  let left = 0;
  for (let s = 0; s < n; s++) if (mark[s] === 0) left++;
  for (let pass = 0; pass < passes && left > 0; pass++) {
    for (let s = 0; s < n; s++) {
      if (mark[s] === 1) continue;
      for (let k = c.start[s]!, end = c.end[s]!; k < end; k++) {
        if (mark[c.col[k]!] === 1) {
          mark[s] = 1;
          left--;
          break;
        }
      }
    }
  }
  return left === 0 ? mark : null;
}

/** Both sets by one backward search over the chain's graph, asked twice. */
function searchBackward(m: TabularMdp, c: PolicyChain): { canReachT: Uint8Array; mayAvoidT: Uint8Array } {
  const owner = Int32Array.from({ length: m.nS }, (_, s) => s);
  const reaching = backwardReach({ nodes: m.nS, owner, start: c.start, end: c.end, to: c.col });
  const canReachT = reaching(m.terminalS);
  const mayAvoidT = reaching(Uint8Array.from(canReachT, (x) => 1 - x));
  return { canReachT, mayAvoidT };
}
