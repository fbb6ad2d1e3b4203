import type { FastRng } from "../../src/core/fast-rng.js";
import type { ActionSets } from "../../src/model/action-sets.js";
import { type GreedyCache, writeQ } from "./greedy-cache.js";

/** What a Q write needs to keep the greedy cache right. */
export interface QWriter {
  readonly cache: GreedyCache;
  readonly nA: number;
  readonly sets: ActionSets;
  readonly rng: FastRng;
}

/**
 * Sparse eligibility traces: only the (s, a) pairs visited since the last cut are stored, so an update
 * costs O(pairs in the trace), not O(S x A). Traces below PRUNE are dropped (they can no longer matter).
 */
export interface Traces {
  readonly idx: Int32Array;
  readonly val: Float64Array;
  /** 1 + position in idx for pairs in the trace, 0 otherwise. */
  readonly pos: Int32Array;
  n: number;
}

const PRUNE = 1e-10;

export function makeTraces(nSA: number): Traces {
  return { idx: new Int32Array(nSA), val: new Float64Array(nSA), pos: new Int32Array(nSA), n: 0 };
}

export function clearTraces(t: Traces): void {
  for (let i = 0; i < t.n; i++) t.pos[t.idx[i]!] = 0;
  t.n = 0;
}

/** Mark a visit to sa: +1 (accumulating) or set to 1 (replacing). */
export function visitTrace(t: Traces, sa: number, replacing: boolean): void {
  const p = t.pos[sa]!;
  if (p === 0) {
    t.idx[t.n] = sa;
    t.val[t.n] = 1;
    t.n++;
    t.pos[sa] = t.n;
  } else t.val[p - 1] = replacing ? 1 : t.val[p - 1]! + 1;
}

/**
 * q[sa] += step(sa) * delta * e(sa) for every traced pair, then e *= decay (pruning tiny traces).
 * `steps`, when given, holds each pair's own step size alpha / n(s,a)^omega; else every pair uses `alpha`.
 */
export function applyTraces(
  t: Traces,
  q: Float64Array,
  w: QWriter,
  delta: number,
  alpha: number,
  steps: Float64Array | null,
  decay: number,
): void {
  let kept = 0;
  for (let i = 0; i < t.n; i++) {
    const sa = t.idx[i]!;
    const e = t.val[i]!;
    const s = (sa / w.nA) | 0;
    writeQ(
      w.cache,
      q,
      s,
      sa - s * w.nA,
      q[sa]! + (steps === null ? alpha : steps[sa]!) * delta * e,
      w.nA,
      w.sets,
      w.rng,
    );
    const e2 = e * decay;
    if (e2 > PRUNE) {
      t.idx[kept] = sa;
      t.val[kept] = e2;
      t.pos[sa] = kept + 1;
      kept++;
    } else t.pos[sa] = 0;
  }
  t.n = kept;
}
