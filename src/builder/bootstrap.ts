import { derive } from "../core/rng.js";
import type { TabularMdp } from "../model/mdp.js";
import { pruneStates } from "./admissibility.js";
import { assembleAt, cohortCounts, type Prepared } from "./build.js";
import type { CohortOutcome } from "./cohort-truth.js";
import { countTransitions } from "./counting.js";
import { type BootstrapSamples, isNamedPolicy, policyTable, predictions } from "./fidelity-row.js";
import { keptStateIds } from "./to-mdp.js";

/**
 * Cohort bootstrap: resample the stays with replacement (n of n), count them on the SAME clusters and dose
 * bins (the k-means is not refitted), and rebuild the MDP at the same threshold. Replicate b draws from
 * derive(seed, "bootstrap-b"), so any replicate can be reproduced alone.
 */
export function resampledCounts(prep: Prepared, b: number, seed: number) {
  const { cohort, km, actionOf, k, nA } = prep;
  const n = cohort.nPatients;
  const rng = derive(seed, `bootstrap-${b}`);
  const picks = new Int32Array(n);
  let blocks = 0;
  for (let i = 0; i < n; i++) {
    const p = rng.int(n);
    picks[i] = p;
    blocks += cohort.patientStart[p + 1]! - cohort.patientStart[p]!;
  }
  const stateOf = new Int32Array(blocks);
  const actions = new Int32Array(blocks);
  const start = new Int32Array(n + 1);
  const died = new Uint8Array(n);
  let at = 0;
  for (let i = 0; i < n; i++) {
    const p = picks[i]!;
    const from = cohort.patientStart[p]!;
    const to = cohort.patientStart[p + 1]!;
    stateOf.set(km.assignment.subarray(from, to), at);
    actions.set(actionOf.subarray(from, to), at);
    at += to - from;
    start[i + 1] = at;
    died[i] = cohort.died[p]!;
  }
  let deaths = 0;
  for (const d of died) deaths += d;
  const outcome: CohortOutcome = {
    patients: n,
    deaths,
    survival: 1 - deaths / n,
    mean_stay_blocks: blocks / n,
  };
  return { counts: countTransitions(stateOf, actions, start, died, k, nA), outcome };
}

/**
 * The policy of replicate MDP `mb` that corresponds to `policy`: the cohort's own estimates (behaviour,
 * expert) are re-estimated from the replicate and random stays uniform; any other table (the optimal
 * policy, a file) is the original MDP's, carried over cluster by cluster. A cluster the original pruned but
 * the replicate kept has no original row: it takes the replicate's behaviour frequencies.
 */
function replicatePolicy(
  policy: string,
  original: Float64Array,
  origStateOfCluster: Int32Array,
  mb: TabularMdp,
  stateOfCluster: Int32Array,
): Float64Array {
  if (policy !== "optimal" && isNamedPolicy(policy)) return policyTable(mb, policy);
  const nA = mb.nA;
  const pi = policyTable(mb, "behaviour").slice();
  for (let c = 0; c < stateOfCluster.length; c++) {
    const sb = stateOfCluster[c]!;
    const so = origStateOfCluster[c]!;
    if (sb < 0 || so < 0) continue;
    pi.set(original.subarray(so * nA, (so + 1) * nA), sb * nA);
  }
  return pi;
}

/**
 * Predicted survival of each policy in each of `replicates` bootstrap MDPs, on the simulator's horizon of
 * `blocks` decisions and with no horizon.
 */
export function bootstrapPredictions(
  prep: Prepared,
  threshold: number,
  policies: readonly { readonly policy: string; readonly table: Float64Array }[],
  o: {
    readonly replicates: number;
    readonly seed: number;
    readonly blocks: number;
    readonly onReplicate?: (done: number) => void;
  },
): Map<string, BootstrapSamples> {
  const origIds = keptStateIds(pruneStates(cohortCounts(prep), threshold).keep);
  const out = new Map(
    policies.map(
      (p) =>
        [
          p.policy,
          { horizon: new Float64Array(o.replicates), infinite: new Float64Array(o.replicates) },
        ] as const,
    ),
  );
  for (let b = 0; b < o.replicates; b++) {
    const { counts, outcome } = resampledCounts(prep, b, o.seed);
    const mb = assembleAt(prep, threshold, counts, outcome).mdp;
    const ids = keptStateIds(pruneStates(counts, threshold).keep);
    for (const p of policies) {
      const pi = replicatePolicy(p.policy, p.table, origIds, mb, ids);
      const both = predictions(mb, pi, o.blocks);
      const samples = out.get(p.policy)!;
      samples.horizon[b] = both.horizon;
      samples.infinite[b] = both.infinite;
    }
    o.onReplicate?.(b + 1);
  }
  return out;
}
