import { UsageError } from "../core/errors.js";
import type { TabularMdp } from "../model/mdp.js";
import { type ActionAdapter, encodeDigits, nActionsOf } from "./actions.js";
import { ADMISSIBILITY_RULE, pruneStates } from "./admissibility.js";
import type { BehaviourOptions } from "./behaviour.js";
import { binOf, type DoseBins, fitBins } from "./binning.js";
import type { Cohort } from "./cohort.js";
import { type CohortOutcome, cohortOutcome, pairCounts, predictBeforeThreshold } from "./cohort-truth.js";
import { type Counts, countTransitions } from "./counting.js";
import { recipeDefaults } from "./defaults.js";
import { type KmeansResult, kmeans } from "./kmeans.js";
import { fitNormalizer, type Normalizer, normalizeRows } from "./normalize.js";
import { recipeCohort } from "./recipe-cohort.js";
import { type AssembleExtras, assembleMdp, keptStateIds } from "./to-mdp.js";

/** Recipe version written to metadata.json: bump when the same options would give a different MDP. */
export const BUILDER_RECIPE = 3;

export interface BuildOptions {
  readonly simulator: string;
  readonly tier?: string;
  readonly patients: number;
  readonly seed: number;
  /** Clusters; default sized to the cohort (see defaultK). ICU-Sepsis used 750. */
  readonly k?: number;
  /** k-means restarts (best inertia kept). Default: defaultRestarts (3, or 1 for large cohorts). */
  readonly restarts?: number;
  /** Admissibility: taken more than this many times (ICU-Sepsis's rule). Default 20. */
  readonly threshold?: number;
  /** Simulator hours per MDP step. Default per simulator (recipeDefaults; mostly ICU-Sepsis's 4 hours). */
  readonly blockHours?: number;
  /** Behaviour variability (see behaviour.ts); defaults per simulator (recipeDefaults). */
  readonly epsilon?: number;
  readonly jitter?: number;
  readonly abxDelay?: number;
  readonly abxMiss?: number;
  readonly maxIter?: number;
  readonly tol?: number;
  /** Written into metadata (the CLI passes the package version). */
  readonly toolVersion?: string;
  /** Progress: phase name and completed fraction of it. */
  readonly onProgress?: (phase: BuildPhase, fraction: number) => void;
}

export type BuildPhase = "simulate" | "cluster" | "count" | "assemble";
export const BUILD_PHASES: readonly BuildPhase[] = ["simulate", "cluster", "count", "assemble"];

export interface BuildResult {
  readonly mdp: TabularMdp;
  readonly cohort: Cohort;
  /** MDP state of each block (-1 when its cluster was pruned). */
  readonly stateOfBlock: Int32Array;
  /** k-means cluster of each block (the states before pruning). */
  readonly clusterOfBlock: Int32Array;
  readonly actionOfBlock: Int32Array;
}

/** About 300 blocks per cluster (enough for a threshold of 20 on a few actions), between 2 and 750. */
export const defaultK = (nBlocks: number): number => Math.max(2, Math.min(750, Math.round(nBlocks / 300)));

/** Above this many point-centre pairs (blocks x k) one k-means restart is the default. */
export const LARGE_KMEANS = 5e7;

/**
 * 3 restarts, or 1 when blocks x k > LARGE_KMEANS: there a restart costs about 30 s on 2 cores (20,000
 * SepsiSim stays, k = 750) and the restarts' inertias differ by well under 1 %, so 1 keeps the build
 * within a minute. `--restarts` overrides either way.
 */
export const defaultRestarts = (nBlocks: number, k: number): number => (nBlocks * k > LARGE_KMEANS ? 1 : 3);

/** Per-channel bins (null for flags and discrete indices) and the MDP action of every block. */
export function encodeActions(
  adapter: ActionAdapter,
  cohort: Cohort,
): { bins: (DoseBins | null)[]; actionOf: Int32Array } {
  const nCh = adapter.channels.length;
  const bins = adapter.channels.map((c, i) => {
    if (c.role !== "sum" && c.role !== "max") return null;
    const xs = new Float64Array(cohort.nBlocks);
    for (let b = 0; b < cohort.nBlocks; b++) xs[b] = cohort.channels[b * nCh + i]!;
    return fitBins(c.name, c.unit, xs);
  });
  const actionOf = new Int32Array(cohort.nBlocks);
  const digits = new Array<number>(nCh).fill(0);
  for (let b = 0; b < cohort.nBlocks; b++) {
    for (let i = 0; i < nCh; i++) {
      const x = cohort.channels[b * nCh + i]!;
      const bin = bins[i];
      digits[i] = bin ? binOf(bin, x) : adapter.channels[i]!.role === "flag" ? (x > 0.5 ? 1 : 0) : x;
    }
    actionOf[b] = encodeDigits(adapter.channels, digits);
  }
  return { bins, actionOf };
}

/** Mean of the observation feature named like "sofa" per cluster (ICU-Sepsis's sofaScores), or null. */
function severityByCluster(
  cohort: Cohort,
  names: readonly string[],
  assign: Int32Array,
  k: number,
): Float64Array | null {
  const j = names.findIndex((n) => n.toLowerCase().includes("sofa"));
  if (j < 0) return null;
  const sum = new Float64Array(k);
  const cnt = new Float64Array(k);
  for (let b = 0; b < cohort.nBlocks; b++) {
    sum[assign[b]!]! += cohort.obs[b * cohort.dim + j]!;
    cnt[assign[b]!]!++;
  }
  return sum.map((x, c) => (cnt[c]! > 0 ? x / cnt[c]! : 0));
}

/** Everything the recipe fixes before counting: the cohort, its clusters and its binned actions. */
export interface Prepared {
  readonly options: BuildOptions;
  readonly cohort: Cohort;
  readonly adapter: ActionAdapter;
  readonly tier: string | null;
  readonly blockHours: number;
  readonly behaviour: Required<BehaviourOptions>;
  readonly norm: Normalizer;
  readonly km: KmeansResult;
  readonly k: number;
  readonly restarts: number;
  readonly bins: (DoseBins | null)[];
  readonly actionOf: Int32Array;
  readonly nA: number;
  readonly extras: Omit<AssembleExtras, "metadata">;
}

/** The recipe up to the counts: cohort -> features -> k-means states -> binned actions. */
export function prepareStates(o: BuildOptions): Prepared {
  if (!Number.isInteger(o.patients) || o.patients < 1)
    throw new UsageError(`patients must be >= 1, got ${o.patients}`);
  const defaults = recipeDefaults(o.simulator);
  const blockHours = o.blockHours ?? defaults.blockHours;
  const behaviour = {
    epsilon: o.epsilon ?? defaults.epsilon,
    jitter: o.jitter ?? defaults.jitter,
    abxDelay: o.abxDelay ?? defaults.abxDelay,
    abxMiss: o.abxMiss ?? defaults.abxMiss,
  };
  const progress = o.onProgress ?? (() => {});
  const every = Math.max(1, Math.floor(o.patients / 100));
  const made = recipeCohort({
    simulator: o.simulator,
    ...(o.tier === undefined ? {} : { tier: o.tier }),
    behaviour,
    patients: o.patients,
    seed: o.seed,
    blockHours,
    onPatient: (p) => (p % every === 0 ? progress("simulate", p / o.patients) : undefined),
  });
  const { cohort, adapter } = made;
  progress("cluster", 0);
  const norm = fitNormalizer(made.simulator.observation, cohort.obs);
  const points = { data: normalizeRows(norm, cohort.obs), dim: cohort.dim };
  const k = o.k ?? defaultK(cohort.nBlocks);
  const restarts = o.restarts ?? defaultRestarts(cohort.nBlocks, k);
  const km = kmeans(points, { k, restarts, seed: o.seed, maxIter: o.maxIter ?? 100, tol: o.tol ?? 1e-4 });
  progress("count", 0);
  const { bins, actionOf } = encodeActions(adapter, cohort);
  const extras = {
    centroids: km.centroids,
    dim: cohort.dim,
    severity: severityByCluster(cohort, norm.names, km.assignment, k),
  };
  return {
    options: o,
    cohort,
    adapter,
    tier: made.tier,
    blockHours,
    behaviour,
    norm,
    km,
    k,
    restarts,
    bins,
    actionOf,
    nA: nActionsOf(adapter),
    extras,
  };
}

/** Counts of the prepared cohort's stays (all of them, or a resample: see bootstrap.ts). */
export function cohortCounts(prep: Prepared): Counts {
  const { km, actionOf, cohort, k, nA } = prep;
  return countTransitions(km.assignment, actionOf, cohort.patientStart, cohort.died, k, nA);
}

/** The whole recipe: cohort -> features -> k-means states -> binned actions -> counts -> pruning -> MDP. */
export function buildFromSimulator(o: BuildOptions): BuildResult {
  return assembleAt(prepareStates(o), o.threshold ?? 20);
}

/**
 * Admissibility, pruning and the MDP at one threshold, from the prepared states and counts (default: the
 * whole cohort's). `outcome` is what the counted stays showed.
 */
export function assembleAt(
  prep: Prepared,
  threshold: number,
  counts: Counts = cohortCounts(prep),
  outcome: CohortOutcome = cohortOutcome(prep.cohort),
): BuildResult {
  if (!(Number.isInteger(threshold) && threshold >= 0))
    throw new UsageError(`threshold must be a non-negative integer, got ${threshold}`);
  const o = prep.options;
  const { cohort, adapter, km, k, bins, behaviour, extras } = prep;
  const progress = o.onProgress ?? (() => {});
  const pruning = pruneStates(counts, threshold);
  progress("assemble", 0);
  const beforeThreshold = predictBeforeThreshold(
    counts,
    (c, pr) => assembleMdp(c, pr, { ...extras, metadata: {} }).mdp,
  );
  let admissiblePairs = 0;
  for (const f of pruning.admissibleSA) admissiblePairs += f;
  const metadata = {
    transition_threshold: threshold,
    builder: {
      recipe: BUILDER_RECIPE,
      tabmdp_version: o.toolVersion ?? null,
      simulator: o.simulator,
      tier: prep.tier,
      seed: o.seed,
      patients: o.patients,
      block_hours: prep.blockHours,
      behaviour: {
        policy: "heuristic",
        epsilon: behaviour.epsilon,
        jitter: behaviour.jitter,
        // Only meaningful where the action has a start flag (SepsiSim Management's antibiotics).
        abx_start:
          adapter.startFlag === null
            ? null
            : { delay: "geometric", mean_hours: behaviour.abxDelay, miss: behaviour.abxMiss },
      },
      admissibility: ADMISSIBILITY_RULE,
      threshold,
      cohort: outcome,
      // The behaviour's per-state action frequencies (pair_counts) evaluated with every pair seen admissible.
      behaviour_before_threshold: beforeThreshold,
      k,
      restarts: prep.restarts,
      kmeans: {
        inertia: km.inertia,
        restart: km.restart,
        inertias: km.inertias,
        ...km.report,
        max_iter: o.maxIter ?? 100,
        tol: o.tol ?? 1e-4,
      },
      normalization: prep.norm,
      actions: adapter.channels.map((c, i) => ({ ...c, bins: bins[i] ?? null })),
      counts: {
        blocks: cohort.nBlocks,
        hours: cohort.hours,
        deaths: outcome.deaths,
        admissible_pairs: admissiblePairs,
        dropped_states: pruning.dropped,
        prune_rounds: pruning.rounds,
      },
      pair_counts: pairCounts(counts, keptStateIds(pruning.keep)),
    },
  };
  const { mdp, stateOfCluster } = assembleMdp(counts, pruning, { ...extras, metadata });
  const stateOfBlock = km.assignment.map((c) => stateOfCluster[c]!);
  progress("assemble", 1);
  return { mdp, cohort, stateOfBlock, clusterOfBlock: km.assignment, actionOfBlock: prep.actionOf };
}
