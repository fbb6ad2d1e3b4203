import type { ActionSets } from "../src/model/action-sets.js";
import type { TabularMdp } from "../src/model/mdp.js";

/**
 * The rows a sweep actually reads (allowed actions of non-terminal states), copied contiguously with the
 * continuation weight folded into the probabilities: q = r + sum_k w[k] * v[s'_k] with w = P * gamma (0 into
 * terminal states). On ICU-Sepsis admissible rows are 12 % of the matrix, so a sweep touches ~190 k entries
 * laid out back to back instead of striding over 1.5 M.
 */
export interface CompactRows {
  /** Compact row range of state s: [statePtr[s], statePtr[s+1]). */
  readonly statePtr: Int32Array;
  readonly rowPtr: Int32Array;
  readonly next: Int32Array;
  readonly weight: Float64Array;
  readonly reward: Float64Array;
  /** The action of each compact row. */
  readonly action: Int32Array;
}

export function compactRows(
  m: TabularMdp,
  sets: ActionSets,
  rSA: Float64Array,
  cont: Float64Array,
): CompactRows {
  const { nS, nA, rowPtr: mPtr, next: mNext, prob: mProb, terminalS } = m;
  const statePtr = new Int32Array(nS + 1);
  let rows = 0;
  let bound = 0;
  for (let s = 0; s < nS; s++) {
    if (terminalS[s] === 0) {
      for (let i = sets.ptr[s]!; i < sets.ptr[s + 1]!; i++) {
        const r = s * nA + sets.actions[i]!;
        rows++;
        bound += mPtr[r + 1]! - mPtr[r]!;
      }
    }
    statePtr[s + 1] = rows;
  }
  const rowPtr = new Int32Array(rows + 1);
  const next = new Int32Array(bound);
  const weight = new Float64Array(bound);
  const reward = new Float64Array(rows);
  const action = new Int32Array(rows);
  let row = 0;
  let k2 = 0;
  for (let s = 0; s < nS; s++) {
    if (terminalS[s] === 1) continue;
    for (let i = sets.ptr[s]!; i < sets.ptr[s + 1]!; i++) {
      const a = sets.actions[i]!;
      const r = s * nA + a;
      k2 = copyRow(mNext, mProb, cont, mPtr[r]!, mPtr[r + 1]!, next, weight, k2);
      reward[row] = rSA[r]!;
      action[row] = a;
      row++;
      rowPtr[row] = k2;
    }
  }
  return {
    statePtr,
    rowPtr,
    next: next.subarray(0, k2),
    weight: weight.subarray(0, k2),
    reward,
    action,
  };
}

/**
 * Copies one row's entries with their continuation weights (skipping terminal successors) and returns the
 * next free slot. A small function of its own because V8 optimises it after a few calls, while the caller,
 * which runs once per solve, would execute its loop mostly unoptimised (ICU-Sepsis: 1.8 ms -> 1.4 ms).
 */
function copyRow(
  mNext: Int32Array,
  mProb: Float64Array,
  cont: Float64Array,
  lo: number,
  hi: number,
  next: Int32Array,
  weight: Float64Array,
  at: number,
): number {
  let k2 = at;
  for (let k = lo; k < hi; k++) {
    const t = mNext[k]!;
    const c = cont[t]!;
    if (c === 0) continue;
    next[k2] = t;
    weight[k2] = c * mProb[k]!;
    k2++;
  }
  return k2;
}
