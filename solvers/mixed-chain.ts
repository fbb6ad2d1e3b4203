import type { TabularMdp } from "../src/model/mdp.js";
import { chainSpace } from "./linear/chain-space.js";
import type { PolicyChain } from "./linear/policy-chain.js";

/**
 * The chain of a policy that mixes actions (e.g. epsilon-greedy): row s holds, for each successor t in
 * increasing order, sum_a pi(a|s) P(t|s,a), the terms added in increasing a, then MDP entry order.
 *
 * Why a cached pattern: a learning curve evaluates its behaviour policy at every checkpoint, and an
 * epsilon-greedy policy gives weight to the same actions each time, so the rows' successor sets and their
 * order stay the same; only the weights change. The pattern (sorted successors, and where each MDP entry
 * lands) is built once per support and reused. Profiled in a learning study on ICU-Sepsis, merging and
 * sorting every row each time took 4.4 ms per behaviour-policy chain, about half of the checkpoints'
 * evaluation time; filling the values into the pattern takes 0.9-1.5 ms (same values, bit for bit).
 *
 * Why only from the second use of a support: the pattern's entry map is one more integer per MDP entry,
 * written once and read only by later evaluations. A one-off evaluation (one policy of a large MDP) builds
 * its chain directly, without it: at 10^7 entries that map is 40 MB of fresh memory, and fresh pages are
 * what large evaluations spend most of their time on. For the same reason its entries are written into kernel
 * memory, where the first solve over the chain reads them without a copy (see chain-space.ts).
 */
export function mixedChain(m: TabularMdp, piSA: Float64Array, rSA: Float64Array): PolicyChain {
  const support = supportOf(m, piSA);
  const seen = patterns.get(m);
  if (seen === undefined || !sameBytes(seen.support, support)) {
    patterns.set(m, { support, pattern: null });
    return directChain(m, support, piSA, rSA);
  }
  const pattern = seen.pattern ?? chainPattern(m, support);
  seen.pattern = pattern;
  const { nS } = m;
  const { ptr, col, slot, rowsPtr, rows } = pattern;
  const { rowPtr, prob } = m;
  const val = new Float64Array(col.length);
  const rS = new Float64Array(nS);
  for (let s = 0; s < nS; s++) {
    let r = 0;
    for (let i = rowsPtr[s]!; i < rowsPtr[s + 1]!; i++) {
      const row = rows[i]!;
      const w = piSA[row]!;
      r += w * rSA[row]!;
      for (let k = rowPtr[row]!; k < rowPtr[row + 1]!; k++) {
        const at = slot[k]!;
        val[at] = val[at]! + w * prob[k]!;
      }
    }
    rS[s] = r;
  }
  return { nS, start: ptr.subarray(0, nS), end: ptr.subarray(1), col, val, rS };
}

interface ChainPattern {
  readonly ptr: Int32Array;
  readonly col: Int32Array;
  /** For each MDP entry of a supported row, its index in col / val. */
  readonly slot: Int32Array;
  /** The supported rows of state s, in action order: rows[rowsPtr[s] .. rowsPtr[s + 1]). */
  readonly rows: Int32Array;
  readonly rowsPtr: Int32Array;
}

/**
 * The last support seen per MDP (1 for the (s, a) rows the policy weighs; terminal states' rows excluded:
 * their chain rows are empty), and its pattern once a second evaluation asked for it.
 */
const patterns = new WeakMap<TabularMdp, { readonly support: Uint8Array; pattern: ChainPattern | null }>();

function supportOf(m: TabularMdp, piSA: Float64Array): Uint8Array {
  const support = new Uint8Array(m.nS * m.nA);
  for (let s = 0; s < m.nS; s++) {
    if (m.terminalS[s] === 1) continue;
    for (let row = s * m.nA; row < (s + 1) * m.nA; row++) support[row] = piSA[row] !== 0 ? 1 : 0;
  }
  return support;
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * The chain's values summed straight into a dense per-state accumulator, in the order the pattern fill uses,
 * in the same pass that finds each state's distinct successors (NaN in the accumulator: not yet seen).
 */
function directChain(m: TabularMdp, support: Uint8Array, piSA: Float64Array, rSA: Float64Array): PolicyChain {
  const { nS, nA, rowPtr, next, prob } = m;
  const { bound, a, b, runs } = mergeScratch(m, support);
  const ptr = new Int32Array(nS + 1);
  const space = chainSpace(nS, bound);
  const col = space?.space.view.col ?? new Int32Array(bound);
  const val = space?.space.view.val ?? new Float64Array(bound);
  const rS = new Float64Array(nS);
  const acc = new Float64Array(nS).fill(Number.NaN);
  let nnz = 0;
  for (let s = 0; s < nS; s++) {
    let r = 0;
    let n = 0;
    let nRuns = 0;
    for (let row = s * nA; row < (s + 1) * nA; row++) {
      if (support[row] === 0) continue;
      runs[nRuns++] = n;
      const w = piSA[row]!;
      r += w * rSA[row]!;
      n = addRow(next, prob, rowPtr[row]!, rowPtr[row + 1]!, w, acc, a, n);
    }
    rS[s] = r;
    const sorted = mergeRuns(a, b, n, runs, nRuns);
    for (let i = 0; i < n; i++) {
      const t = sorted[i]!;
      col[nnz] = t;
      val[nnz++] = acc[t]!;
      acc[t] = Number.NaN;
    }
    ptr[s + 1] = nnz;
  }
  // The room past nnz (successors shared by several actions) is never written, so it takes no memory.
  const used = { col: col.subarray(0, nnz), val: val.subarray(0, nnz) };
  return { nS, start: ptr.subarray(0, nS), end: ptr.subarray(1), ...used, rS, space: space ?? undefined };
}

/**
 * acc[t] += w * prob[k] over one MDP row, appending successors seen for the first time to a (from n); returns
 * the new n. A function of its own so that V8 optimises it after a few rows: a one-off evaluation (the
 * command line's) otherwise runs this loop, most of its work, unoptimised until the whole of directChain is
 * recompiled, boxing every product on the way.
 */
function addRow(
  next: Int32Array,
  prob: Float64Array,
  lo: number,
  hi: number,
  w: number,
  acc: Float64Array,
  a: Int32Array,
  n: number,
): number {
  for (let k = lo; k < hi; k++) {
    const t = next[k]!;
    const sum = acc[t]!;
    if (Number.isNaN(sum)) {
      a[n++] = t;
      acc[t] = 0 + w * prob[k]!;
    } else acc[t] = sum + w * prob[k]!;
  }
  return n;
}

function chainPattern(m: TabularMdp, support: Uint8Array): ChainPattern {
  const { nS, nA, rowPtr, next } = m;
  const merge = successorMerge(m, support);
  const ptr = new Int32Array(nS + 1);
  const slot = new Int32Array(next.length);
  const col = new Int32Array(merge.bound);
  const position = new Int32Array(nS);
  let nnz = 0;
  for (let s = 0; s < nS; s++) {
    const sorted = merge.successors(s);
    for (let i = 0; i < sorted.length; i++) {
      col[nnz + i] = sorted[i]!;
      position[sorted[i]!] = nnz + i;
    }
    for (let row = s * nA; row < (s + 1) * nA; row++) {
      if (support[row] === 0) continue;
      for (let k = rowPtr[row]!; k < rowPtr[row + 1]!; k++) slot[k] = position[next[k]!]!;
    }
    nnz += sorted.length;
    ptr[s + 1] = nnz;
  }
  const rowsPtr = new Int32Array(nS + 1);
  const rows = new Int32Array(nS * nA);
  let nRows = 0;
  for (let s = 0; s < nS; s++) {
    for (let row = s * nA; row < (s + 1) * nA; row++) if (support[row] === 1) rows[nRows++] = row;
    rowsPtr[s + 1] = nRows;
  }
  return { ptr, col: col.slice(0, nnz), slot, rowsPtr, rows: rows.slice(0, nRows) };
}

/**
 * Each state's distinct successors over its supported rows, ascending. The MDP's rows are ascending
 * already, so the distinct successors arrive as one ascending run per row, and merging neighbouring runs
 * pairwise sorts them in n log(runs) steps, about three times fewer than a general sort of each state's
 * successors (at 10^5 states, 10^7 entries). `bound` is the entry count of the supported rows, the most the
 * merged rows can hold. The returned view is scratch, valid until the next call.
 */
function successorMerge(
  m: TabularMdp,
  support: Uint8Array,
): { readonly bound: number; successors(s: number): Int32Array } {
  const { nS, nA, rowPtr, next } = m;
  const { bound, a, b, runs } = mergeScratch(m, support);
  const seen = new Uint8Array(nS);
  const successors = (s: number): Int32Array => {
    let n = 0;
    let nRuns = 0;
    for (let row = s * nA; row < (s + 1) * nA; row++) {
      if (support[row] === 0) continue;
      runs[nRuns++] = n;
      for (let k = rowPtr[row]!; k < rowPtr[row + 1]!; k++) {
        const t = next[k]!;
        if (seen[t] === 0) {
          seen[t] = 1;
          a[n++] = t;
        }
      }
    }
    for (let i = 0; i < n; i++) seen[a[i]!] = 0;
    return mergeRuns(a, b, n, runs, nRuns).subarray(0, n);
  };
  return { bound, successors };
}

/** Entries of the supported rows (`bound`) and merge scratch sized for the widest state. */
function mergeScratch(
  m: TabularMdp,
  support: Uint8Array,
): { bound: number; a: Int32Array; b: Int32Array; runs: Int32Array } {
  const { nS, nA, rowPtr } = m;
  let bound = 0;
  let widest = 0;
  for (let s = 0; s < nS; s++) {
    let entries = 0;
    for (let row = s * nA; row < (s + 1) * nA; row++)
      if (support[row] === 1) entries += rowPtr[row + 1]! - rowPtr[row]!;
    bound += entries;
    widest = Math.max(widest, entries);
  }
  return { bound, a: new Int32Array(widest), b: new Int32Array(widest), runs: new Int32Array(nA + 1) };
}

/**
 * Sorts a[0, n), made of ascending runs starting at runs[0 .. nRuns), by merging neighbouring runs until one
 * is left, between a and b; returns the array that holds the result. `runs` needs room for nRuns + 1.
 */
function mergeRuns(a: Int32Array, b: Int32Array, n: number, runs: Int32Array, nRuns: number): Int32Array {
  let src = a;
  let dst = b;
  let count = nRuns;
  while (count > 1) {
    runs[count] = n;
    let out = 0;
    for (let i = 0; i < count; i += 2) {
      const lo = runs[i]!;
      const mid = runs[Math.min(i + 1, count)]!;
      const hi = runs[Math.min(i + 2, count)]!;
      mergeTwo(src, dst, lo, mid, hi);
      runs[out++] = lo;
    }
    count = out;
    const t = src;
    src = dst;
    dst = t;
  }
  return src;
}

/**
 * dst[lo, hi) = the ascending merge of src[lo, mid) and src[mid, hi), whose values are distinct. Without a
 * branch on the comparison: which run the next value comes from is as good as random, and a mispredicted
 * branch per value cost more than the merge's loads and stores.
 */
function mergeTwo(src: Int32Array, dst: Int32Array, lo: number, mid: number, hi: number): void {
  let i = lo;
  let j = mid;
  let k = lo;
  while (i < mid && j < hi) {
    const x = src[i]!;
    const y = src[j]!;
    const xFirst = (x - y) >> 31; // -1 when x < y, else 0 (both are states: no overflow)
    dst[k++] = y ^ ((x ^ y) & xFirst);
    i -= xFirst;
    j += 1 + xFirst;
  }
  while (i < mid) dst[k++] = src[i++]!;
  while (j < hi) dst[k++] = src[j++]!;
}
