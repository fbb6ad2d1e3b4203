import { UsageError } from "../core/errors.js";
import { makeMdp } from "../model/build.js";
import type { Metadata, TabularMdp } from "../model/mdp.js";
import { meanRuleCsr } from "../model/mean-rule.js";
import type { Pruning } from "./admissibility.js";
import type { Counts } from "./counting.js";

export interface AssembleExtras {
  /** k x dim normalised centroids of the clusters. */
  readonly centroids: Float64Array;
  readonly dim: number;
  /** Mean severity score per cluster, or null. */
  readonly severity: Float64Array | null;
  readonly metadata: Metadata;
}

export interface Assembled {
  readonly mdp: TabularMdp;
  /** MDP state of each cluster (-1 when dropped). */
  readonly stateOfCluster: Int32Array;
}

/** MDP state of each cluster: kept clusters numbered 0..K-1 in cluster order, -1 for dropped ones. */
export function keptStateIds(keep: Uint8Array): Int32Array {
  const ids = new Int32Array(keep.length).fill(-1);
  let K = 0;
  for (let s = 0; s < keep.length; s++) if (keep[s] === 1) ids[s] = K++;
  return ids;
}

/**
 * The ICU-Sepsis shape: kept clusters become states 0..K-1 (in cluster order), then death K, survival K+1
 * and the absorbing sink K+2. Reward 1 on entering survival (next-state reward), gamma 1. Death and survival
 * move to the sink under every action; the sink loops on itself; the three terminals list every action as
 * admissible. Admissible rows are normalised counts; the others follow the mean rule. d0 = first blocks,
 * expert policy = the behaviour's action frequencies per state (inadmissible actions included).
 */
export function assembleMdp(c: Counts, pr: Pruning, x: AssembleExtras): Assembled {
  const { k, nA } = c;
  const stateOfCluster = keptStateIds(pr.keep);
  let K = 0;
  for (const s of stateOfCluster) if (s >= 0) K++;
  if (K === 0) throw new UsageError("every state was pruned: lower --threshold or simulate more patients");
  const nS = K + 3;
  const [death, survival, sink] = [K, K + 1, K + 2];
  const mapNext = (t: number): number => (t === k ? death : t === k + 1 ? survival : stateOfCluster[t]!);
  const rowPtr = new Int32Array(nS * nA + 1);
  const next: number[] = [];
  const prob: number[] = [];
  const admissibleSA = new Uint8Array(nS * nA);
  const expert = new Float64Array(nS * nA);
  for (let s = 0; s < k; s++) {
    const ns = stateOfCluster[s]!;
    if (ns < 0) continue;
    let visits = 0;
    for (let a = 0; a < nA; a++) visits += pr.nSA[s * nA + a]!;
    for (let a = 0; a < nA; a++) {
      const r = s * nA + a;
      const out = ns * nA + a;
      expert[out] = pr.nSA[r]! / visits;
      if (pr.admissibleSA[r] === 1) {
        admissibleSA[out] = 1;
        const total = pr.nSA[r]!;
        for (let j = c.rowPtr[r]!; j < c.rowPtr[r + 1]!; j++) {
          const t = mapNext(c.next[j]!);
          if (t < 0) continue; // into a dropped state: removed, the row is renormalised by `total`
          next.push(t);
          prob.push(c.count[j]! / total);
        }
      }
      rowPtr[out + 1] = next.length;
    }
  }
  for (let s = K; s < nS; s++) {
    for (let a = 0; a < nA; a++) {
      next.push(sink);
      prob.push(1);
      admissibleSA[s * nA + a] = 1;
      rowPtr[s * nA + a + 1] = next.length;
    }
  }
  const csr = meanRuleCsr(
    nS,
    nA,
    { rowPtr, next: Int32Array.from(next), prob: Float64Array.from(prob) },
    admissibleSA,
  );
  const d0 = new Float64Array(nS);
  let d0Total = 0;
  for (let s = 0; s < k; s++) if (stateOfCluster[s]! >= 0) d0Total += c.d0Count[s]!;
  if (d0Total === 0) throw new UsageError("no stay starts in a kept state: lower --threshold");
  for (let s = 0; s < k; s++) if (stateOfCluster[s]! >= 0) d0[stateOfCluster[s]!] = c.d0Count[s]! / d0Total;
  const rS = new Float64Array(nS);
  rS[survival] = 1;
  const terminalS = new Uint8Array(nS);
  terminalS[death] = terminalS[survival] = terminalS[sink] = 1;
  const cent = new Float64Array(nS * x.dim);
  const sofa = x.severity ? new Float64Array(nS) : null;
  for (let s = 0; s < k; s++) {
    const ns = stateOfCluster[s]!;
    if (ns < 0) continue;
    cent.set(x.centroids.subarray(s * x.dim, (s + 1) * x.dim), ns * x.dim);
    if (sofa && x.severity) sofa[ns] = x.severity[s]!;
  }
  const mdp = makeMdp({
    nS,
    nA,
    ...csr,
    reward: { kind: "next-state", rS },
    d0,
    terminalS,
    admissibleSA,
    expertPolicy: expert,
    centroids: { dim: x.dim, data: cent },
    sofa,
    metadata: {
      n_states: nS,
      n_actions: nA,
      r_survive: 1,
      r_death: 0,
      transition_threshold: 0,
      gamma: 1,
      death_state: death,
      survival_state: survival,
      sink_state: sink,
      terminal_states: [death, survival, sink],
      ...x.metadata,
    },
  });
  return { mdp, stateOfCluster };
}
