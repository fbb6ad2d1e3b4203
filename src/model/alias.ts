import type { TabularMdp } from "./mdp.js";

/**
 * Walker/Vose alias tables for every CSR row, so sampling s' ~ P(.|s,a) is O(1): one uniform u picks slot
 * i = floor(u * len) and its fractional part decides between the slot's own entry and its alias.
 * `cut[k]` is the threshold for slot k (global CSR index); `alias[k]` the CSR index of its alias entry.
 */
export interface AliasTables {
  readonly cut: Float64Array;
  readonly alias: Int32Array;
}

const cache = new WeakMap<TabularMdp, AliasTables>();

/** Alias tables of an MDP, built once and cached per model object. */
export function aliasTables(m: TabularMdp): AliasTables {
  let t = cache.get(m);
  if (t === undefined) {
    t = buildAliasTables(m.rowPtr, m.prob);
    cache.set(m, t);
  }
  return t;
}

export function buildAliasTables(rowPtr: Int32Array, prob: Float64Array): AliasTables {
  const cut = new Float64Array(prob.length);
  const alias = new Int32Array(prob.length);
  const small: number[] = [];
  const large: number[] = [];
  for (let r = 0; r + 1 < rowPtr.length; r++) {
    const lo = rowPtr[r]!;
    const hi = rowPtr[r + 1]!;
    const n = hi - lo;
    if (n === 0) continue;
    let total = 0;
    for (let k = lo; k < hi; k++) total += prob[k]!;
    small.length = 0;
    large.length = 0;
    for (let k = lo; k < hi; k++) {
      cut[k] = (prob[k]! * n) / total;
      alias[k] = k;
      (cut[k]! < 1 ? small : large).push(k);
    }
    while (small.length > 0 && large.length > 0) {
      const s = small.pop()!;
      const l = large[large.length - 1]!;
      alias[s] = l;
      cut[l] = cut[l]! + cut[s]! - 1;
      if (cut[l]! < 1) {
        large.pop();
        small.push(l);
      }
    }
    // Leftovers are 1 up to rounding: they always keep their own entry.
    for (const k of large) cut[k] = 2;
    for (const k of small) cut[k] = 2;
  }
  return { cut, alias };
}

/** Sample a CSR index from row r with one uniform u in [0, 1). */
export function sampleRow(rowPtr: Int32Array, t: AliasTables, r: number, u: number): number {
  const lo = rowPtr[r]!;
  const x = u * (rowPtr[r + 1]! - lo);
  const i = x | 0;
  const k = lo + i;
  return x - i < t.cut[k]! ? k : t.alias[k]!;
}
