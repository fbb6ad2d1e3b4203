import { UsageError } from "../core/errors.js";
import { makeMdp } from "./build.js";
import type { TabularMdp } from "./mdp.js";

/** Sparse rows, s-major by (s, a): row r holds next[rowPtr[r]..rowPtr[r + 1]) with their probabilities. */
export interface Csr {
  readonly rowPtr: Int32Array;
  readonly next: Int32Array;
  readonly prob: Float64Array;
}

/** Working arrays for `admissibleMean`, one per problem size (zero between calls). */
export interface MeanScratch {
  readonly sum: Float64Array;
  readonly seen: Uint8Array;
}

export const meanScratch = (nS: number): MeanScratch => ({
  sum: new Float64Array(nS),
  seen: new Uint8Array(nS),
});

/**
 * ICU-Sepsis's "mean" rule for one state: the mean of its admissible rows, the one place it is computed (the
 * builder writes it into inadmissible rows; the env's sampler draws from it). Per successor the admissible
 * rows' probabilities are summed in action order, then divided once by their count. Returns every successor
 * of an admissible row, ascending (a successor whose probabilities are all 0 keeps a 0), or null when the
 * state has no admissible action.
 */
export function admissibleMean(
  src: Csr,
  nA: number,
  admissibleSA: ArrayLike<number>,
  s: number,
  scratch: MeanScratch,
): { readonly next: Int32Array; readonly prob: Float64Array } | null {
  const { sum, seen } = scratch;
  const support: number[] = [];
  let n = 0;
  for (let a = 0; a < nA; a++) {
    const r = s * nA + a;
    if (admissibleSA[r] !== 1) continue;
    n++;
    for (let j = src.rowPtr[r]!; j < src.rowPtr[r + 1]!; j++) {
      const t = src.next[j]!;
      if (seen[t] === 0) {
        seen[t] = 1;
        support.push(t);
      }
      sum[t]! += src.prob[j]!;
    }
  }
  support.sort((x, y) => x - y);
  const next = Int32Array.from(support);
  const prob = Float64Array.from(support, (t) => sum[t]! / n);
  for (const t of support) {
    sum[t] = 0;
    seen[t] = 0;
  }
  return n === 0 ? null : { next, prob };
}

/**
 * The mean rule over a whole table: the row of an inadmissible (s, a) is the mean of the state's admissible
 * rows. Admissible rows are copied as they are; inadmissible rows of the input are ignored. A state with no
 * admissible action is an error (pruning removes such states first).
 */
export function meanRuleCsr(nS: number, nA: number, src: Csr, admissibleSA: Uint8Array): Csr {
  const scratch = meanScratch(nS);
  const rowPtr = new Int32Array(nS * nA + 1);
  const next: number[] = [];
  const prob: number[] = [];
  for (let s = 0; s < nS; s++) {
    const mean = admissibleMean(src, nA, admissibleSA, s, scratch);
    if (mean === null) throw new UsageError(`state ${s} has no admissible action`);
    for (let a = 0; a < nA; a++) {
      const r = s * nA + a;
      const row =
        admissibleSA[r] === 1
          ? {
              next: src.next.subarray(src.rowPtr[r]!, src.rowPtr[r + 1]!),
              prob: src.prob.subarray(src.rowPtr[r]!, src.rowPtr[r + 1]!),
            }
          : mean;
      for (let j = 0; j < row.next.length; j++) {
        next.push(row.next[j]!);
        prob.push(row.prob[j]!);
      }
      rowPtr[r + 1] = next.length;
    }
  }
  return { rowPtr, next: Int32Array.from(next), prob: Float64Array.from(prob) };
}

/** A copy of `m` with a new admissibility mask and its inadmissible rows rebuilt by the mean rule. */
export function withAdmissible(m: TabularMdp, admissibleSA: Uint8Array): TabularMdp {
  const csr = meanRuleCsr(m.nS, m.nA, m, admissibleSA);
  return makeMdp({
    nS: m.nS,
    nA: m.nA,
    ...csr,
    reward: m.reward,
    d0: m.d0,
    terminalS: m.terminalS,
    admissibleSA,
    expertPolicy: m.expertPolicy,
    centroids: m.centroids,
    sofa: m.sofa,
    metadata: m.metadata,
  });
}
