import type { LearnParams } from "../../solvers/learning/params.js";
import { deterministicTable, expectedReturnOf, uniformTable } from "../../solvers/policy-evaluation.js";
import { valueIteration } from "../../solvers/value-iteration.js";
import { UsageError } from "../core/errors.js";
import { VERSION } from "../core/version.js";
import { defaultGamma, type TabularMdp } from "../model/mdp.js";
import type { JobResult, JobSpec } from "./job.js";
import {
  gitVersion,
  jobEntries,
  type Manifest,
  mdpHash,
  RUN_FORMAT,
  type SweepSettings,
  shardJobs,
} from "./manifest.js";
import { readJobs, readManifest, writeJob, writeOutputs } from "./outputs.js";
import { runJobs } from "./pool.js";
import type { GroupSummary } from "./summary.js";

export interface SweepConfig extends SweepSettings {
  /** How the MDP was named on the command line (recorded, not read). */
  readonly source: string;
  readonly command: string;
  readonly out: string;
}

/** Jobs of the whole sweep in a fixed order: each parameter set (algorithm or trial), then each seed. */
export function buildJobs(
  sets: readonly { readonly params: LearnParams; readonly trial: number | null }[],
  c: Pick<SweepConfig, "episodes" | "evalEvery" | "window" | "rule" | "seeds">,
): JobSpec[] {
  const jobs: JobSpec[] = [];
  for (const { params, trial } of sets) {
    for (const seed of c.seeds) {
      jobs.push({
        index: jobs.length,
        params,
        seed,
        trial,
        episodes: c.episodes,
        evalEvery: c.evalEvery,
        window: c.window,
        rule: c.rule,
      });
    }
  }
  return jobs;
}

export interface SweepOutcome {
  readonly manifest: Manifest;
  readonly results: JobResult[];
  readonly summary: GroupSummary[];
}

/** Exact optimal and uniform-random returns: the reference lines of every plot. */
export function reference(m: TabularMdp, gamma: number): Manifest["reference"] {
  const opt = valueIteration(m, { gamma, tolerance: 1e-10, gaussSeidel: true });
  const value = (pi: Float64Array): number => {
    try {
      return expectedReturnOf(m, pi, { gamma });
    } catch (err) {
      if (err instanceof UsageError) return Number.NaN; // e.g. a random walk that may never end under gamma = 1
      throw err;
    }
  };
  return { optimal: value(deterministicTable(m, opt.policyS)), random: value(uniformTable(m)), gamma };
}

/**
 * Run this shard's jobs (in parallel on worker threads), saving each job as it finishes, then write every
 * output. Aborting `signal` (SIGINT in the CLI) keeps and reports the finished jobs.
 */
export async function runSweep(
  m: TabularMdp,
  all: readonly JobSpec[],
  c: SweepConfig,
  o: { signal?: AbortSignal; onJob?: (done: number, total: number) => void } = {},
): Promise<SweepOutcome> {
  const t0 = performance.now();
  const jobs = shardJobs(all, c.shard);
  if (jobs.length === 0)
    throw new UsageError(`shard ${c.shard.join("/")} has no jobs (the sweep has ${all.length})`);
  const gamma = jobs[0]!.params.gamma ?? defaultGamma(m);
  const ref = reference(m, gamma);
  let done = 0;
  o.onJob?.(0, jobs.length);
  const { results, interrupted } = await runJobs(m, jobs, {
    workers: c.workers,
    ...(o.signal === undefined ? {} : { signal: o.signal }),
    onResult: async (r) => {
      await writeJob(c.out, r);
      o.onJob?.(++done, jobs.length);
    },
  });
  const manifest: Manifest = {
    format: RUN_FORMAT,
    command: c.command,
    versions: {
      tabmdp: VERSION,
      node: process.versions.node,
      v8: process.versions.v8,
      git: gitVersion(),
    },
    mdp: { source: c.source, sha256: mdpHash(m), nS: m.nS, nA: m.nA },
    reference: ref,
    sweep: {
      episodes: c.episodes,
      evalEvery: c.evalEvery,
      window: c.window,
      rule: c.rule,
      seeds: c.seeds,
      shard: c.shard,
      workers: c.workers,
    },
    jobs: jobEntries(jobs),
    interrupted,
    finishedJobs: results.length,
    wallSeconds: (performance.now() - t0) / 1000,
  };
  const summary = await writeOutputs(c.out, manifest, results);
  return { manifest, results, summary };
}

/** Combine shard folders of one sweep (same MDP hash and sweep settings) into one run folder. */
export async function mergeRuns(dirs: readonly string[], out: string): Promise<SweepOutcome> {
  if (dirs.length === 0) throw new UsageError("bench merge needs at least one run folder");
  const manifests = await Promise.all(dirs.map(readManifest));
  const first = manifests[0]!;
  const key = (x: Manifest): string =>
    JSON.stringify([x.mdp.sha256, x.sweep.episodes, x.sweep.evalEvery, x.sweep.window, x.sweep.rule]);
  manifests.forEach((x, i) => {
    if (key(x) !== key(first)) {
      throw new UsageError(
        `${dirs[i]} is from a different sweep (MDP hash or settings differ from ${dirs[0]})`,
      );
    }
  });
  const byIndex = new Map<number, JobResult>();
  for (const d of dirs) for (const r of await readJobs(d)) byIndex.set(r.spec.index, r);
  const results = [...byIndex.values()].sort((a, b) => a.spec.index - b.spec.index);
  for (const r of results) await writeJob(out, r);
  const jobs = manifests.flatMap((x) => x.jobs).sort((a, b) => a.index - b.index);
  const manifest: Manifest = {
    ...first,
    sweep: { ...first.sweep, shard: [1, 1], seeds: [...new Set(manifests.flatMap((x) => x.sweep.seeds))] },
    jobs: jobs.filter((j, i) => i === 0 || j.index !== jobs[i - 1]!.index),
    interrupted: manifests.some((x) => x.interrupted),
    finishedJobs: results.length,
    wallSeconds: manifests.reduce((s, x) => s + x.wallSeconds, 0),
    mergedFrom: dirs,
  };
  const summary = await writeOutputs(out, manifest, results);
  return { manifest, results, summary };
}
