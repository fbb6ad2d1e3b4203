import type { Counts } from "./counting.js";

/**
 * Admissibility and pruning, as ICU-Sepsis's create_matrices.py (which zeroes the rows whose count is <= the
 * threshold): (s, a) is admissible iff it was taken MORE than `threshold` times (counting only transitions
 * into states still kept or into death/survival), so threshold 0 keeps every pair seen. A state with no admissible
 * action is dropped; transitions into it are removed and the rows renormalised, which can leave other
 * states without admissible actions, so this repeats until nothing changes.
 */
export interface Pruning {
  /** 1 for kept cluster states, length k. */
  readonly keep: Uint8Array;
  /** k*nA flags (all zero for dropped states). */
  readonly admissibleSA: Uint8Array;
  /** k*nA counts into kept states and the two outcome states. */
  readonly nSA: Float64Array;
  readonly rounds: number;
  readonly dropped: number;
}

/** The rule as written into metadata.json (`builder.admissibility`). */
export const ADMISSIBILITY_RULE = "count > threshold";

export function pruneStates(c: Counts, threshold: number): Pruning {
  const { k, nA } = c;
  const keep = new Uint8Array(k).fill(1);
  const nSA = new Float64Array(k * nA);
  const admissibleSA = new Uint8Array(k * nA);
  let rounds = 0;
  for (;;) {
    rounds++;
    let droppedNow = 0;
    for (let s = 0; s < k; s++) {
      if (keep[s] === 0) continue;
      let any = false;
      for (let a = 0; a < nA; a++) {
        const r = s * nA + a;
        let n = 0;
        for (let j = c.rowPtr[r]!; j < c.rowPtr[r + 1]!; j++) {
          const t = c.next[j]!;
          if (t >= k || keep[t] === 1) n += c.count[j]!;
        }
        nSA[r] = n;
        const ok = n > threshold && n > 0;
        admissibleSA[r] = ok ? 1 : 0;
        any ||= ok;
      }
      if (!any) {
        keep[s] = 0;
        droppedNow++;
      }
    }
    if (droppedNow === 0) break;
  }
  for (let s = 0; s < k; s++) {
    if (keep[s] === 1) continue;
    for (let a = 0; a < nA; a++) {
      nSA[s * nA + a] = 0;
      admissibleSA[s * nA + a] = 0;
    }
  }
  let dropped = 0;
  for (let s = 0; s < k; s++) dropped += 1 - keep[s]!;
  return { keep, admissibleSA, nSA, rounds, dropped };
}
