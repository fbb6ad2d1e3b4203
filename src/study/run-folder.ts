import { createHash } from "node:crypto";
import { mkdir, readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { UsageError } from "../core/errors.js";
import { atomicWrite } from "../io/atomic.js";
import type { JobResult, JobSpec } from "./job.js";
import type { Manifest, SweepSettings } from "./manifest.js";
import { reviver, toJson } from "./outputs.js";

/**
 * A run folder belongs to one sweep, recorded in sweep.json before any job runs. Job files are named by what
 * the job computes (algorithm, seed, trial and a hash of its settings), not by position, so a folder can be
 * resumed, shards can be merged from their job files alone (no manifest needed), and a different sweep can
 * never be folded in by accident.
 *
 * How resuming fits the whole-folder swap: a run never writes into --out. It fills a hidden sibling (sweep.json,
 * then each job file as the job finishes, then the outputs) and swaps it in at the end, also after a first
 * Ctrl-C. So --out is always a complete earlier run or the new one. --resume reads the finished jobs of --out
 * and copies them into the new folder; a run killed before its swap (kill -9, a second Ctrl-C, a crash) leaves
 * its sibling behind, and the next --resume of the same sweep takes the finished jobs from there too, so no
 * finished job is lost. Any other writer of --out deletes such leftovers.
 */
export const SWEEP_FORMAT = "tabmdp-sweep/1";

export interface SweepRecord {
  readonly format: typeof SWEEP_FORMAT;
  readonly mdp: Manifest["mdp"];
  readonly references: Manifest["references"];
  /** Everything that decides the jobs' results (shard and workers are not part of it). */
  readonly settings: Pick<SweepSettings, "episodes" | "evalEvery" | "window" | "rule" | "seeds">;
  /** The whole (unsharded) sweep, each job with its file key. */
  readonly jobs: readonly { readonly key: string; readonly spec: JobSpec }[];
}

/** What happens when --out already holds files. */
export type OutMode = "new" | "resume" | "force";

/** The files a run folder may hold: a folder holding anything else is never replaced, even with --force. */
const RUN_FILES = new Set([
  "sweep.json",
  "manifest.json",
  "results.csv",
  "summary.csv",
  "summary.json",
  "curves.svg",
  "returns.svg",
  "report.html",
  "trials.csv",
  "best.json",
  "jobs",
]);

/** The file key of a job: readable, and unique for what it computes. */
export function jobKey(spec: JobSpec): string {
  const { params, seed, trial, episodes, evalEvery, window, rule } = spec;
  const hash = createHash("sha256")
    .update(JSON.stringify({ params, seed, trial, episodes, evalEvery, window, rule }))
    .digest("hex")
    .slice(0, 12);
  return `${params.algo}-seed${seed}${trial === null ? "" : `-trial${trial}`}-${hash}`;
}

export const jobPath = (dir: string, spec: JobSpec): string => join(dir, "jobs", `${jobKey(spec)}.json`);

/** Save one finished job at once, so an interrupted or killed run keeps it. */
export const writeJob = (dir: string, r: JobResult): Promise<string> =>
  atomicWrite(jobPath(dir, r.spec), toJson(r));

export function sweepRecord(
  mdp: Manifest["mdp"],
  references: Manifest["references"],
  settings: SweepRecord["settings"],
  all: readonly JobSpec[],
): SweepRecord {
  const { episodes, evalEvery, window, rule, seeds } = settings;
  return {
    format: SWEEP_FORMAT,
    mdp,
    references,
    settings: { episodes, evalEvery, window, rule, seeds },
    jobs: all.map((spec) => ({ key: jobKey(spec), spec })),
  };
}

/** Two records describe the same sweep when the MDP and every job agree (where the MDP was read from may differ). */
const identity = (r: SweepRecord): string =>
  JSON.stringify([r.format, r.mdp.sha256, r.settings, r.jobs.map((j) => j.key)]);

async function readJson<T>(file: string): Promise<T | null> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch {
    return null;
  }
  try {
    return JSON.parse(text, reviver) as T;
  } catch {
    throw new UsageError(`${file}: not valid JSON (a damaged run folder: rerun with --force to start over)`);
  }
}

export const readSweepRecord = (dir: string): Promise<SweepRecord | null> =>
  readJson<SweepRecord>(join(dir, "sweep.json"));

/** The finished jobs of a run folder that belong to `record` (complete or stopped early). */
export async function readRecordedJobs(dir: string, record: SweepRecord): Promise<JobResult[]> {
  const out: JobResult[] = [];
  for (const { key } of record.jobs) {
    const r = await readJson<JobResult>(join(dir, "jobs", `${key}.json`));
    if (r !== null) out.push(r);
  }
  return out.sort((a, b) => a.spec.index - b.spec.index);
}

/** Complete jobs of `record` found in `dirs`, the first copy of each kept. */
async function completeJobs(dirs: readonly string[], record: SweepRecord): Promise<JobResult[]> {
  const byKey = new Map<string, JobResult>();
  for (const d of dirs) {
    for (const r of await readRecordedJobs(d, record))
      if (r.complete && !byKey.has(jobKey(r.spec))) byKey.set(jobKey(r.spec), r);
  }
  return [...byKey.values()].sort((a, b) => a.spec.index - b.spec.index);
}

/** The temporary folders of killed runs that were filling this same sweep (others are simply dropped). */
async function sameSweep(leftovers: readonly string[], record: SweepRecord): Promise<string[]> {
  const same: string[] = [];
  for (const d of leftovers) {
    const r = await readSweepRecord(d).catch(() => null);
    if (r !== null && identity(r) === identity(record)) same.push(d);
  }
  return same;
}

/**
 * Check the existing run folder `out` against `record` and start its replacement `tmp` (sweep.json first,
 * then the jobs carried over), returning the carried jobs. A new or forced run carries none. --resume carries
 * every complete job of the same sweep from `out` and from `leftovers` (temporary folders of runs killed
 * before their swap, see replaceDir); a job stopped early runs again from its start with the same seeds, so
 * the result equals an uninterrupted run. `out` itself is only read: it is replaced whole once `tmp` is done.
 * @throws UsageError when `out` holds a different sweep, or this sweep without --resume or --force.
 */
export async function prepareRunFolder(
  out: string,
  tmp: string,
  record: SweepRecord,
  mode: OutMode,
  leftovers: readonly string[] = [],
): Promise<JobResult[]> {
  const names = await readdir(out).catch(() => [] as string[]);
  // --force replaces whatever run files are there, even a damaged sweep.json, so it reads none of them.
  const existing = names.length === 0 || mode === "force" ? null : await readSweepRecord(out);
  if (names.length > 0 && mode !== "force") {
    if (existing === null)
      throw new UsageError(
        `--out ${out} is not empty and holds no sweep.json (not a run folder of this version): choose another --out, or --force to replace its run files`,
      );
    if (identity(existing) !== identity(record))
      throw new UsageError(
        `--out ${out} holds a different sweep (MDP or settings differ): choose another --out, or --force to replace it`,
      );
    if (mode === "new") {
      const done = (await readRecordedJobs(out, record)).filter((r) => r.complete).length;
      throw new UsageError(
        `--out ${out} already holds this sweep (${done} of ${record.jobs.length} jobs finished): --resume to finish it, or --force to start over`,
      );
    }
  }
  await mkdir(join(tmp, "jobs"), { recursive: true });
  await atomicWrite(join(tmp, "sweep.json"), toJson(record));
  if (mode !== "resume") return [];
  const carried = await completeJobs(
    [...(existing === null ? [] : [out]), ...(await sameSweep(leftovers, record))],
    record,
  );
  for (const r of carried) await writeJob(tmp, r);
  return carried;
}

/** Whether tabmdp writes `name` at the top of a run folder (what a replaced run folder may hold). */
export const isRunFile = (name: string): boolean => RUN_FILES.has(name);
