import { UsageError } from "../core/errors.js";

/**
 * Transition counts between clustered states. States 0..k-1 are clusters; successor k is death and k+1
 * survival (the last block of a stay moves there). Row s*nA + a lists successors ascending.
 */
export interface Counts {
  readonly k: number;
  readonly nA: number;
  readonly rowPtr: Int32Array;
  readonly next: Int32Array;
  readonly count: Float64Array;
  /** Times each (s, a) was taken, k*nA. */
  readonly saCount: Float64Array;
  /** First blocks per state. */
  readonly d0Count: Float64Array;
}

/**
 * Count (s, a, s') over consecutive blocks of every stay.
 * @example
 * // one stay: blocks in states 0 -> 1, actions 2 then 0, patient survived (k = 2 states, 3 actions):
 * const c = countTransitions(Int32Array.of(0, 1), Int32Array.of(2, 0), Int32Array.of(0, 2), Uint8Array.of(0), 2, 3);
 * Array.from(c.next); //=> [1, 3] (row (0, 2) -> state 1; row (1, 0) -> survival, state k + 1)
 * Array.from(c.count); //=> [1, 1]
 * Array.from(c.d0Count); //=> [1, 0]
 */
export function countTransitions(
  stateOf: Int32Array,
  actionOf: Int32Array,
  patientStart: Int32Array,
  died: Uint8Array,
  k: number,
  nA: number,
): Counts {
  const width = k + 2;
  const nBlocks = stateOf.length;
  const keys = new Float64Array(nBlocks);
  const saCount = new Float64Array(k * nA);
  const d0Count = new Float64Array(k);
  let nk = 0;
  for (let p = 0; p + 1 < patientStart.length; p++) {
    const from = patientStart[p]!;
    const to = patientStart[p + 1]!;
    if (to <= from) throw new UsageError(`patient ${p} has no blocks`);
    d0Count[stateOf[from]!]!++;
    for (let b = from; b < to; b++) {
      const s = stateOf[b]!;
      const a = actionOf[b]!;
      if (s < 0 || s >= k || a < 0 || a >= nA)
        throw new UsageError(`block ${b}: state ${s} or action ${a} out of range`);
      const next = b + 1 < to ? stateOf[b + 1]! : died[p] === 1 ? k : k + 1;
      saCount[s * nA + a]!++;
      keys[nk++] = (s * nA + a) * width + next;
    }
  }
  keys.sort();
  const rowPtr = new Int32Array(k * nA + 1);
  const nextBuf: number[] = [];
  const countBuf: number[] = [];
  for (let i = 0; i < nk; ) {
    const key = keys[i]!;
    let j = i;
    while (j < nk && keys[j] === key) j++;
    const row = Math.floor(key / width);
    nextBuf.push(key - row * width);
    countBuf.push(j - i);
    rowPtr[row + 1]!++;
    i = j;
  }
  for (let r = 0; r < k * nA; r++) rowPtr[r + 1]! += rowPtr[r]!;
  return {
    k,
    nA,
    rowPtr,
    next: Int32Array.from(nextBuf),
    count: Float64Array.from(countBuf),
    saCount,
    d0Count,
  };
}
