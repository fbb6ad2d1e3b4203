import { UsageError } from "../core/errors.js";
import type { TabularMdp } from "../model/mdp.js";
import { createSimulator } from "../sim/registry.js";
import { type ActionAdapter, actionAdapter, encodeDigits, nActionsOf } from "./actions.js";
import { pruneStates } from "./admissibility.js";
import { behaviourPolicy } from "./behaviour.js";
import { binOf, type DoseBins, fitBins } from "./binning.js";
import { type Cohort, simulateCohort } from "./cohort.js";
import { countTransitions } from "./counting.js";
import { recipeDefaults } from "./defaults.js";
import { kmeans } from "./kmeans.js";
import { fitNormalizer, normalizeRows } from "./normalize.js";
import { assembleMdp } from "./to-mdp.js";

/** Recipe version written to metadata.json: bump when the same options would give a different MDP. */
export const BUILDER_RECIPE = 2;

export interface BuildOptions {
  readonly simulator: string;
  readonly tier?: string;
  readonly patients: number;
  readonly seed: number;
  /** Clusters; default sized to the cohort (see defaultK). ICU-Sepsis used 750. */
  readonly k?: number;
  /** k-means restarts (best inertia kept). Default: defaultRestarts (3, or 1 for large cohorts). */
  readonly restarts?: number;
  /** Admissibility: taken at least this many times. Default 20. */
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

/** The whole recipe: cohort -> features -> k-means states -> binned actions -> counts -> pruning -> MDP. */
export function buildFromSimulator(o: BuildOptions): BuildResult {
  if (!Number.isInteger(o.patients) || o.patients < 1)
    throw new UsageError(`patients must be >= 1, got ${o.patients}`);
  const defaults = recipeDefaults(o.simulator);
  const blockHours = o.blockHours ?? defaults.blockHours;
  const threshold = o.threshold ?? 20;
  const behaviour = {
    epsilon: o.epsilon ?? defaults.epsilon,
    jitter: o.jitter ?? defaults.jitter,
    abxDelay: o.abxDelay ?? defaults.abxDelay,
    abxMiss: o.abxMiss ?? defaults.abxMiss,
  };
  const progress = o.onProgress ?? (() => {});
  const created = createSimulator(o.simulator, o.tier === undefined ? {} : { tier: o.tier });
  const sim = created.simulator;
  const heuristic = created.definition.heuristics(created.options).heuristic;
  if (heuristic === undefined) throw new UsageError(`${o.simulator} has no "heuristic" policy`);
  const adapter = actionAdapter(sim);
  const policy = behaviourPolicy(sim, heuristic, adapter.jitter, behaviour, adapter.startFlag);
  const every = Math.max(1, Math.floor(o.patients / 100));
  const cohort = simulateCohort(sim, policy, adapter, {
    patients: o.patients,
    seed: o.seed,
    blockHours,
    onPatient: (p) => (p % every === 0 ? progress("simulate", p / o.patients) : undefined),
  });
  progress("cluster", 0);
  const norm = fitNormalizer(sim.observation, cohort.obs);
  const points = { data: normalizeRows(norm, cohort.obs), dim: cohort.dim };
  const k = o.k ?? defaultK(cohort.nBlocks);
  const restarts = o.restarts ?? defaultRestarts(cohort.nBlocks, k);
  const km = kmeans(points, { k, restarts, seed: o.seed, maxIter: o.maxIter ?? 100, tol: o.tol ?? 1e-4 });
  progress("count", 0);
  const { bins, actionOf } = encodeActions(adapter, cohort);
  const nA = nActionsOf(adapter);
  const counts = countTransitions(km.assignment, actionOf, cohort.patientStart, cohort.died, k, nA);
  const pruning = pruneStates(counts, threshold);
  progress("assemble", 0);
  let deaths = 0;
  for (const d of cohort.died) deaths += d;
  let admissiblePairs = 0;
  for (const f of pruning.admissibleSA) admissiblePairs += f;
  const metadata = {
    transition_threshold: threshold,
    builder: {
      recipe: BUILDER_RECIPE,
      tabmdp_version: o.toolVersion ?? null,
      simulator: o.simulator,
      tier: created.options.tier ?? null,
      seed: o.seed,
      patients: o.patients,
      block_hours: blockHours,
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
      k,
      restarts,
      kmeans: {
        inertia: km.inertia,
        restart: km.restart,
        inertias: km.inertias,
        ...km.report,
        max_iter: o.maxIter ?? 100,
        tol: o.tol ?? 1e-4,
      },
      normalization: norm,
      actions: adapter.channels.map((c, i) => ({ ...c, bins: bins[i] ?? null })),
      counts: {
        blocks: cohort.nBlocks,
        hours: cohort.hours,
        deaths,
        admissible_pairs: admissiblePairs,
        dropped_states: pruning.dropped,
        prune_rounds: pruning.rounds,
      },
    },
  };
  const { mdp, stateOfCluster } = assembleMdp(counts, pruning, {
    centroids: km.centroids,
    dim: cohort.dim,
    severity: severityByCluster(cohort, norm.names, km.assignment, k),
    metadata,
  });
  const stateOfBlock = km.assignment.map((c) => stateOfCluster[c]!);
  progress("assemble", 1);
  return { mdp, cohort, stateOfBlock, actionOfBlock: actionOf };
}
