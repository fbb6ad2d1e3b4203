import type { LearnParams } from "../../solvers/learning/params.js";
import { deterministicTable, expectedReturnOf, uniformTable } from "../../solvers/policy-evaluation.js";
import { valueIteration } from "../../solvers/value-iteration.js";
import { UsageError } from "../core/errors.js";
import { VERSION } from "../core/version.js";
import { replaceDir } from "../io/atomic-dir.js";
import { killPoint } from "../io/kill-points.js";
import { resolveGamma, type TabularMdp } from "../model/mdp.js";
import type { JobResult, JobSpec } from "./job.js";
import {
  gitVersion,
  jobEntries,
  type Manifest,
  mdpHash,
  type Reference,
  RUN_FORMAT,
  type SweepSettings,
  shardJobs,
} from "./manifest.js";
import { writeOutputs } from "./outputs.js";
import { runJobs } from "./pool.js";
import {
  isRunFile,
  jobKey,
  type OutMode,
  prepareRunFolder,
  readRecordedJobs,
  readSweepRecord,
  type SweepRecord,
  sweepRecord,
  writeJob,
} from "./run-folder.js";
import type { GroupSummary } from "./summary.js";

export interface SweepConfig extends SweepSettings {
  /** How the MDP was named on the command line (recorded, not read). */
  readonly source: string;
  readonly command: string;
  readonly out: string;
  /** What to do when `out` already holds files (see prepareRunFolder). */
  readonly mode: OutMode;
  /** Average runs stopped early together with complete ones (default: complete runs only). */
  readonly includePartial?: boolean;
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

/** Exact optimal and uniform-random returns under `gamma`: the reference lines of every plot. */
export function reference(m: TabularMdp, gamma: number): Reference {
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
 * output. `c.out` is replaced whole (see replaceDir and run-folder.ts): the jobs and outputs go to a hidden
 * sibling that is swapped in at the end, under a lock against a second writer. The folder is checked first,
 * so a different sweep is refused before any work; with `mode: "resume"` the jobs already finished there (or
 * in a killed run's leftover folder) are kept and not run again. Aborting `signal` (SIGINT in the CLI) keeps
 * and reports the finished jobs. `o.writeMore` adds files of the caller's to the folder before the swap.
 */
export async function runSweep(
  m: TabularMdp,
  all: readonly JobSpec[],
  c: SweepConfig,
  o: {
    signal?: AbortSignal;
    onJob?: (done: number, total: number) => void;
    onProgress?: (index: number, episode: number) => void;
    writeMore?: (dir: string, results: readonly JobResult[]) => Promise<void>;
  } = {},
): Promise<SweepOutcome> {
  const t0 = performance.now();
  const jobs = shardJobs(all, c.shard);
  if (jobs.length === 0)
    throw new UsageError(`shard ${c.shard.join("/")} has no jobs (the sweep has ${all.length})`);
  // Every job is measured under its own discount; the list comes from the whole sweep so shards agree.
  const gammas = [...new Set(all.map((j) => resolveGamma(m, j.params.gamma)))];
  const references = gammas.map((g) => reference(m, g));
  const mdp = { source: c.source, sha256: mdpHash(m), nS: m.nS, nA: m.nA, gamma: resolveGamma(m) };
  const record = sweepRecord(mdp, references, c, all);
  const mine = new Set(jobs.map(jobKey));
  return replaceDir(
    c.out,
    async (dir, leftovers) => {
      const carried = await prepareRunFolder(c.out, dir, record, c.mode, leftovers);
      const kept = carried.filter((r) => mine.has(jobKey(r.spec)));
      const keptKeys = new Set(kept.map((r) => jobKey(r.spec)));
      const todo = jobs.filter((j) => !keptKeys.has(jobKey(j)));
      let done = kept.length;
      o.onJob?.(done, jobs.length);
      const { results, interrupted } = await runJobs(m, todo, {
        workers: c.workers,
        ...(o.signal === undefined ? {} : { signal: o.signal }),
        ...(o.onProgress === undefined ? {} : { onProgress: o.onProgress }),
        onResult: async (r) => {
          await writeJob(dir, r);
          killPoint("job-saved");
          o.onJob?.(++done, jobs.length);
        },
      });
      const finished = [...kept, ...results].sort((a, b) => a.spec.index - b.spec.index);
      const manifest: Manifest = {
        format: RUN_FORMAT,
        command: c.command,
        versions: runVersions(),
        mdp,
        references,
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
        interrupted: interrupted || finished.filter((r) => r.complete).length < jobs.length,
        finishedJobs: finished.filter((r) => r.complete).length,
        resumedJobs: kept.length,
        wallSeconds: (performance.now() - t0) / 1000,
      };
      const summary = await writeOutputs(dir, manifest, finished, c.includePartial ?? false);
      await o.writeMore?.(dir, finished);
      return { manifest, results: finished, summary };
    },
    { ownNames: isRunFile, reuseLeftovers: c.mode === "resume" },
  );
}

const runVersions = (): Manifest["versions"] => ({
  tabmdp: VERSION,
  node: process.versions.node,
  v8: process.versions.v8,
  git: gitVersion(),
});

/**
 * Combine the run folders of one sweep (its shards, or an interrupted run and its resumption) into one
 * folder. Only the job files and sweep.json are read, so folders whose run was killed before writing a
 * manifest merge too; folders of different sweeps are refused.
 */
export async function mergeRuns(
  dirs: readonly string[],
  out: string,
  o: { readonly mode?: OutMode; readonly includePartial?: boolean; readonly command?: string } = {},
): Promise<SweepOutcome> {
  if (dirs.length === 0) throw new UsageError("bench merge needs at least one run folder");
  const records: SweepRecord[] = [];
  for (const d of dirs) {
    const r = await readSweepRecord(d);
    if (r === null)
      throw new UsageError(`${d} holds no sweep.json: not a run folder written by this version of tabmdp`);
    records.push(r);
  }
  const first = records[0]!;
  const same = (r: SweepRecord): string =>
    JSON.stringify([r.mdp.sha256, r.settings, r.jobs.map((j) => j.key)]);
  records.forEach((r, i) => {
    if (same(r) !== same(first))
      throw new UsageError(
        `${dirs[i]} is from a different sweep than ${dirs[0]} (MDP hash, settings or jobs differ)`,
      );
  });
  // A complete run of a job wins over one stopped early, wherever it was found.
  const byKey = new Map<string, JobResult>();
  for (const d of dirs) {
    for (const r of await readRecordedJobs(d, first)) {
      const k = jobKey(r.spec);
      const had = byKey.get(k);
      if (had === undefined || (!had.complete && r.complete)) byKey.set(k, r);
    }
  }
  const results = [...byKey.values()].sort((a, b) => a.spec.index - b.spec.index);
  const all = first.jobs.map((j) => j.spec);
  const complete = results.filter((r) => r.complete).length;
  const manifest: Manifest = {
    format: RUN_FORMAT,
    command: o.command ?? `tabmdp bench merge ${dirs.join(" ")} --out ${out}`,
    versions: runVersions(),
    mdp: first.mdp,
    references: first.references,
    sweep: { ...first.settings, shard: [1, 1], workers: 0 },
    jobs: jobEntries(all),
    interrupted: complete < all.length,
    finishedJobs: complete,
    wallSeconds: 0,
    mergedFrom: dirs,
  };
  // Like a run, the merged folder is filled beside --out and swapped in whole.
  return replaceDir(
    out,
    async (dir) => {
      await prepareRunFolder(out, dir, first, o.mode ?? "new");
      for (const r of results) await writeJob(dir, r);
      const summary = await writeOutputs(dir, manifest, results, o.includePartial ?? false);
      return { manifest, results, summary };
    },
    { ownNames: isRunFile },
  );
}
