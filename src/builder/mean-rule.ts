import { UsageError } from "../core/errors.js";
import { makeMdp } from "../model/build.js";
import type { TabularMdp } from "../model/mdp.js";

export interface Csr {
  readonly rowPtr: Int32Array;
  readonly next: Int32Array;
  readonly prob: Float64Array;
}

/**
 * ICU-Sepsis's "mean" rule: the row of an inadmissible (s, a) is the mean of the state's admissible rows.
 * Admissible rows are copied as they are; inadmissible rows of the input are ignored. A state with no
 * admissible action is an error (pruning removes such states first).
 */
export function meanRuleCsr(nS: number, nA: number, src: Csr, admissibleSA: Uint8Array): Csr {
  const dense = new Float64Array(nS);
  const touched = new Uint8Array(nS);
  const rowPtr = new Int32Array(nS * nA + 1);
  const next: number[] = [];
  const prob: number[] = [];
  for (let s = 0; s < nS; s++) {
    let nAdm = 0;
    const support: number[] = [];
    for (let a = 0; a < nA; a++) {
      const r = s * nA + a;
      if (admissibleSA[r] !== 1) continue;
      nAdm++;
      for (let j = src.rowPtr[r]!; j < src.rowPtr[r + 1]!; j++) {
        const t = src.next[j]!;
        if (touched[t] === 0) {
          touched[t] = 1;
          support.push(t);
        }
        dense[t]! += src.prob[j]!;
      }
    }
    if (nAdm === 0) throw new UsageError(`state ${s} has no admissible action`);
    support.sort((x, y) => x - y);
    for (let a = 0; a < nA; a++) {
      const r = s * nA + a;
      if (admissibleSA[r] === 1) {
        for (let j = src.rowPtr[r]!; j < src.rowPtr[r + 1]!; j++) {
          next.push(src.next[j]!);
          prob.push(src.prob[j]!);
        }
      } else {
        for (const t of support) {
          next.push(t);
          prob.push(dense[t]! / nAdm);
        }
      }
      rowPtr[r + 1] = next.length;
    }
    for (const t of support) {
      dense[t] = 0;
      touched[t] = 0;
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
