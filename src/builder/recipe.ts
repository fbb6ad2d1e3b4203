import { UsageError } from "../core/errors.js";
import type { TabularMdp } from "../model/mdp.js";
import { type BuildOptions, type Prepared, prepareStates } from "./build.js";

interface RecordedRecipe {
  readonly simulator: string;
  readonly tier: string | null;
  readonly seed: number;
  readonly patients: number;
  readonly block_hours: number;
  readonly threshold?: number;
  readonly k: number;
  readonly restarts: number;
  readonly kmeans: { readonly max_iter: number; readonly tol: number };
  readonly behaviour: {
    readonly epsilon: number;
    readonly jitter: number;
    readonly abx_start: { readonly mean_hours: number; readonly miss: number } | null;
  };
}

/** The build options metadata.json records (what `tabmdp build` was given, defaults filled in). */
export function recipeOf(m: TabularMdp): BuildOptions & { readonly threshold: number } {
  const b = m.metadata.builder as RecordedRecipe | undefined;
  if (b?.simulator === undefined || b.kmeans === undefined || b.behaviour === undefined)
    throw new UsageError("this MDP was not made by `tabmdp build` (metadata.json has no builder recipe)");
  if (b.threshold === undefined)
    throw new UsageError(
      "metadata.json has no builder.threshold (built by an older tabmdp): rebuild the MDP with `tabmdp build`",
    );
  return {
    simulator: b.simulator,
    ...(b.tier === null ? {} : { tier: b.tier }),
    patients: b.patients,
    seed: b.seed,
    k: b.k,
    restarts: b.restarts,
    threshold: b.threshold,
    blockHours: b.block_hours,
    epsilon: b.behaviour.epsilon,
    jitter: b.behaviour.jitter,
    abxDelay: b.behaviour.abx_start?.mean_hours ?? 0,
    abxMiss: b.behaviour.abx_start?.miss ?? 0,
    maxIter: b.kmeans.max_iter,
    tol: b.kmeans.tol,
  };
}

/**
 * Re-run the recorded recipe up to the counts (the same cohort and clusters: builds are deterministic) and
 * check that it reproduces this MDP's centroids (to the CSV's precision), so resampling its cohort describes this MDP.
 */
export function prepareFromMetadata(m: TabularMdp, onProgress?: BuildOptions["onProgress"]): Prepared {
  const recipe = recipeOf(m);
  const prep = prepareStates(onProgress === undefined ? recipe : { ...recipe, onProgress });
  const cent = m.centroids;
  const dim = prep.extras.dim;
  let same = cent !== null && cent.dim === dim;
  let K = 0;
  for (let c = 0; same && c < prep.k; c++) {
    const row = prep.km.centroids.subarray(c * dim, (c + 1) * dim);
    const at = cent!.data.subarray(K * dim, (K + 1) * dim);
    if (K < m.nS - 3 && row.every((x, i) => Math.abs(x - at[i]!) <= 1e-9 * (1 + Math.abs(x)))) K++;
  }
  same &&= K === m.nS - 3;
  if (!same)
    throw new UsageError(
      "rebuilding this MDP's recorded recipe gives other states (edited folder, or another tabmdp version): " +
        "rebuild it with `tabmdp build` before bootstrapping",
    );
  return prep;
}
