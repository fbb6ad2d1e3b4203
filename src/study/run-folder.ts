import { createHash } from "node:crypto";
import { mkdir, readdir, readFile, rm, stat } from "node:fs/promises";
import { join } from "node:path";
import { UsageError } from "../core/errors.js";
import { atomicWrite } from "../io/atomic.js";
import type { JobResult, JobSpec } from "./job.js";
import type { Manifest, SweepSettings } from "./manifest.js";
import { reviver, toJson } from "./outputs.js";

/**
 * A run folder belongs to one sweep, recorded in sweep.json before any job runs. Job files are named by what
 * the job computes (algorithm, seed, trial and a hash of its settings), not by position, so a folder can be
 * resumed, shards can be merged from their job files alone (a killed run leaves no manifest), and a
 * different sweep can never be folded in by accident.
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

/** The files a run folder may hold; --force removes these and nothing else. */
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

async function entries(dir: string): Promise<string[] | null> {
  try {
    if (!(await stat(dir)).isDirectory()) throw new UsageError(`--out ${dir} is a file, not a folder`);
  } catch (e) {
    if (e instanceof UsageError) throw e;
    return null;
  }
  return readdir(dir);
}

/**
 * Make `dir` ready for `record` and return the jobs it already holds that can be kept: none for a new or
 * forced run, the complete ones for --resume (a job stopped early runs again, from its start, with the same
 * seeds, so the result is the same as an uninterrupted run).
 */
export async function prepareRunFolder(
  dir: string,
  record: SweepRecord,
  mode: OutMode,
): Promise<JobResult[]> {
  const names = await entries(dir);
  const existing = names === null || names.length === 0 ? null : await readSweepRecord(dir);
  if (names !== null && names.length > 0) {
    const foreign = names.filter((n) => !RUN_FILES.has(n) && !n.startsWith("."));
    if (existing === null && mode !== "force")
      throw new UsageError(
        `--out ${dir} is not empty and holds no sweep.json (not a run folder of this version): choose another --out, or --force to replace its run files`,
      );
    if (mode === "force") {
      if (foreign.length > 0)
        throw new UsageError(
          `--out ${dir} holds files that are not run outputs (${foreign.slice(0, 3).join(", ")}${foreign.length > 3 ? ", …" : ""}): --force only replaces run folders`,
        );
      for (const n of names) if (RUN_FILES.has(n)) await rm(join(dir, n), { recursive: true, force: true });
    } else if (existing !== null && identity(existing) !== identity(record)) {
      throw new UsageError(
        `--out ${dir} holds a different sweep (MDP or settings differ): choose another --out, or --force to replace it`,
      );
    } else if (existing !== null && mode === "new") {
      const done = (await readRecordedJobs(dir, record)).filter((r) => r.complete).length;
      throw new UsageError(
        `--out ${dir} already holds this sweep (${done} of ${record.jobs.length} jobs finished): --resume to finish it, or --force to start over`,
      );
    }
  }
  await mkdir(join(dir, "jobs"), { recursive: true });
  await atomicWrite(join(dir, "sweep.json"), toJson(record));
  if (mode !== "resume" || existing === null) return [];
  return (await readRecordedJobs(dir, record)).filter((r) => r.complete);
}
