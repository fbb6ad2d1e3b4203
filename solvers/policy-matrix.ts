import type { TabularMdp } from "../src/model/mdp.js";

/**
 * The Markov chain a stochastic policy induces: P_pi(s, s') = sum_a pi(a|s) P(s'|s,a) for non-terminal s
 * (terminal rows are empty: the episode has ended), plus the expected one-step reward r_pi(s).
 */
export interface PolicyChain {
  readonly nS: number;
  readonly ptr: Int32Array;
  readonly col: Int32Array;
  readonly val: Float64Array;
  readonly rS: Float64Array;
}

export function policyChain(m: TabularMdp, piSA: Float64Array, rSA: Float64Array): PolicyChain {
  const { nS, nA } = m;
  const acc = new Float64Array(nS);
  const seen = new Uint8Array(nS);
  const touched = new Int32Array(nS);
  const ptr = new Int32Array(nS + 1);
  // Start small and grow: most policies' chains are far sparser than the MDP itself.
  let col = new Int32Array(Math.max(1024, 8 * nS));
  let val = new Float64Array(col.length);
  const rS = new Float64Array(nS);
  let nnz = 0;
  for (let s = 0; s < nS; s++) {
    if (m.terminalS[s] === 1) {
      ptr[s + 1] = nnz;
      continue;
    }
    let nt = 0;
    let r = 0;
    for (let a = 0; a < nA; a++) {
      const w = piSA[s * nA + a]!;
      if (w === 0) continue;
      const row = s * nA + a;
      r += w * rSA[row]!;
      for (let k = m.rowPtr[row]!; k < m.rowPtr[row + 1]!; k++) {
        const t = m.next[k]!;
        if (seen[t] === 0) {
          seen[t] = 1;
          touched[nt++] = t;
        }
        acc[t] = acc[t]! + w * m.prob[k]!;
      }
    }
    rS[s] = r;
    if (nnz + nt > col.length) {
      const c2 = new Int32Array(2 * (nnz + nt));
      c2.set(col);
      col = c2;
      const v2 = new Float64Array(c2.length);
      v2.set(val);
      val = v2;
    }
    const sorted = touched.subarray(0, nt).sort();
    for (let i = 0; i < nt; i++) {
      const t = sorted[i]!;
      col[nnz] = t;
      val[nnz] = acc[t]!;
      nnz++;
      acc[t] = 0;
      seen[t] = 0;
    }
    ptr[s + 1] = nnz;
  }
  return { nS, ptr, col: col.slice(0, nnz), val: val.slice(0, nnz), rS };
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
  const n = m.nS;
  // Reverse adjacency (predecessors) in CSR.
  const indeg = new Int32Array(n + 1);
  for (let k = 0; k < c.col.length; k++) indeg[c.col[k]! + 1]!++;
  for (let s = 0; s < n; s++) indeg[s + 1] = indeg[s + 1]! + indeg[s]!;
  const pred = new Int32Array(c.col.length);
  const fill = indeg.slice(0, n);
  for (let s = 0; s < n; s++) {
    for (let k = c.ptr[s]!; k < c.ptr[s + 1]!; k++) pred[fill[c.col[k]!]!++] = s;
  }
  const backward = (seeds: number[], mark: Uint8Array): void => {
    const stack = seeds.slice();
    for (const s of seeds) mark[s] = 1;
    while (stack.length > 0) {
      const t = stack.pop()!;
      for (let k = indeg[t]!; k < indeg[t + 1]!; k++) {
        const s = pred[k]!;
        if (mark[s] === 0) {
          mark[s] = 1;
          stack.push(s);
        }
      }
    }
  };
  const canReachT = new Uint8Array(n);
  const terminals: number[] = [];
  for (let s = 0; s < n; s++) if (m.terminalS[s] === 1) terminals.push(s);
  backward(terminals, canReachT);
  const mayAvoidT = new Uint8Array(n);
  const never: number[] = [];
  for (let s = 0; s < n; s++) if (canReachT[s] === 0) never.push(s);
  backward(never, mayAvoidT);
  return { canReachT, mayAvoidT };
}
