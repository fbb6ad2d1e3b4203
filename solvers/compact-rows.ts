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

/**
 * Rows and entries of the compact rows, and the entries of their states' longest rows (both upper bounds:
 * entries into terminal states are dropped).
 */
export function compactRowCounts(
  m: TabularMdp,
  sets: ActionSets,
): { rows: number; entries: number; hotEntries: number } {
  const { nS, nA, rowPtr, terminalS } = m;
  let rows = 0;
  let entries = 0;
  let hotEntries = 0;
  for (let s = 0; s < nS; s++) {
    if (terminalS[s] === 1) continue;
    let longest = 0;
    for (let i = sets.ptr[s]!; i < sets.ptr[s + 1]!; i++) {
      const r = s * nA + sets.actions[i]!;
      rows++;
      entries += rowPtr[r + 1]! - rowPtr[r]!;
      longest = Math.max(longest, rowPtr[r + 1]! - rowPtr[r]!);
    }
    hotEntries += longest;
  }
  return { rows, entries, hotEntries };
}

/** The compact rows in arrays of their own (value iteration writes them straight into kernel memory). */
export function compactRows(
  m: TabularMdp,
  sets: ActionSets,
  rSA: Float64Array,
  cont: Float64Array,
): CompactRows {
  const { rows, entries } = compactRowCounts(m, sets);
  const into = {
    statePtr: new Int32Array(m.nS + 1),
    rowPtr: new Int32Array(rows + 1),
    next: new Int32Array(entries),
    weight: new Float64Array(entries),
    reward: new Float64Array(rows),
    action: new Int32Array(rows),
  };
  const used = fillCompactRows(m, sets, rSA, cont, into);
  return { ...into, next: into.next.subarray(0, used), weight: into.weight.subarray(0, used) };
}

/**
 * Writes the compact rows into arrays sized by compactRowCounts (statePtr and rowPtr zero-filled) and returns
 * the number of entries used.
 */
export function fillCompactRows(
  m: TabularMdp,
  sets: ActionSets,
  rSA: Float64Array,
  cont: Float64Array,
  into: CompactRows,
): number {
  const { nS, nA, rowPtr: mPtr, next: mNext, prob: mProb, terminalS } = m;
  const { statePtr, rowPtr, next, weight, reward, action } = into;
  let row = 0;
  let k2 = 0;
  for (let s = 0; s < nS; s++) {
    if (terminalS[s] === 0) {
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
    statePtr[s + 1] = row;
  }
  return k2;
}

/**
 * Copies one row's entries with their continuation weights (skipping terminal successors) and returns the
 * next free slot. A small function of its own because V8 optimises it after a few calls, while the caller,
 * which runs once per solve, would execute its loop mostly unoptimised.
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
