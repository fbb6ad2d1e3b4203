import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { dirname } from "node:path";
import { fileURLToPath } from "node:url";
import type { ReleasedRuleOptions } from "../../solvers/learning/convergence.js";
import type { LearnParams } from "../../solvers/learning/params.js";
import { fixed } from "../core/format.js";
import type { TabularMdp } from "../model/mdp.js";
import type { JobSpec } from "./job.js";

/**
 * Version 3: one reference per discount, the released convergence rule's settings, and jobs that keep the
 * block sums that rule needs (earlier run folders cannot be summarised again: their jobs lack the sums).
 */
export const RUN_FORMAT = "tabmdp-learning-run/3";

/** Exact optimal and uniform-random returns under one discount: plot reference lines, "near optimal". */
export interface Reference {
  readonly gamma: number;
  readonly optimal: number;
  readonly random: number;
}

/** The sweep settings a run records in its manifest. */
export interface SweepSettings {
  readonly episodes: number;
  readonly evalEvery: number;
  /** Moving-average window (episodes) of the curves' sampled averages. */
  readonly window: number;
  /** Settings of the released ICU-Sepsis convergence rule. */
  readonly rule: ReleasedRuleOptions;
  readonly seeds: readonly number[];
  /** `[i, n]`: this run holds every n-th job starting at i (1-based); `[1, 1]` = all. */
  readonly shard: readonly [number, number];
  readonly workers: number;
}

/** Everything needed to repeat a run bit-exactly (plus what it cost). */
export interface Manifest {
  readonly format: typeof RUN_FORMAT;
  readonly command: string;
  readonly versions: {
    readonly tabmdp: string;
    readonly node: string;
    readonly v8: string;
    /** Source commit when run from a git checkout (null otherwise), and whether the tree had local changes. */
    readonly git: { readonly commit: string; readonly dirty: boolean } | null;
  };
  readonly mdp: {
    readonly source: string;
    readonly sha256: string;
    readonly nS: number;
    readonly nA: number;
    /** The MDP's own discount, used by jobs that set none. */
    readonly gamma: number;
  };
  /** One per distinct discount among the sweep's jobs, in job order: each job is compared with its own. */
  readonly references: readonly Reference[];
  readonly sweep: SweepSettings;
  /** One entry per job of this run (after sharding). */
  readonly jobs: readonly {
    readonly index: number;
    readonly seed: number;
    readonly trial: number | null;
    readonly params: LearnParams;
  }[];
  /** True when some job of this run is missing or was stopped early. */
  readonly interrupted: boolean;
  /** Jobs run to their last episode (kept from an earlier run with --resume included). */
  readonly finishedJobs: number;
  /** Jobs kept from an earlier run of the same sweep (--resume). */
  readonly resumedJobs?: number;
  readonly wallSeconds: number;
  /** Merged runs: the source run folders. */
  readonly mergedFrom?: readonly string[];
}

/** The checkout's commit, best effort: random streams depend on the exact code, so record it. */
export function gitVersion(): { commit: string; dirty: boolean } | null {
  const cwd = dirname(fileURLToPath(import.meta.url));
  try {
    const run = (args: string[]): string =>
      execFileSync("git", args, {
        cwd,
        encoding: "utf8",
        stdio: ["ignore", "pipe", "ignore"],
        timeout: 5000,
      }).trim();
    return {
      commit: run(["rev-parse", "HEAD"]),
      dirty: run(["status", "--porcelain", "--untracked-files=no"]) !== "",
    };
  } catch {
    return null;
  }
}

/** SHA-256 over the model's arrays and shape: equal hashes mean the learners saw the same MDP. */
export function mdpHash(m: TabularMdp): string {
  const h = createHash("sha256");
  h.update(JSON.stringify({ nS: m.nS, nA: m.nA, reward: m.reward.kind }));
  const reward = m.reward.kind === "next-state" ? m.reward.rS : m.reward.rSA;
  for (const a of [m.rowPtr, m.next, m.prob, reward, m.d0, m.terminalS, m.admissibleSA]) {
    h.update(new Uint8Array(a.buffer, a.byteOffset, a.byteLength));
  }
  return h.digest("hex");
}

export const jobEntries = (jobs: readonly JobSpec[]): Manifest["jobs"] =>
  jobs.map((j) => ({ index: j.index, seed: j.seed, trial: j.trial, params: j.params }));

/** Parse "i/n" (1-based). */
export function parseShard(text: string): [number, number] {
  const m = /^(\d+)\/(\d+)$/.exec(text.trim());
  const i = Number(m?.[1]);
  const n = Number(m?.[2]);
  if (m === null || !(n >= 1 && i >= 1 && i <= n)) return [Number.NaN, Number.NaN];
  return [i, n];
}

/** Jobs of shard i of n: every n-th job of the sweep, starting with job i - 1. */
export const shardJobs = <T extends { index: number }>(
  jobs: readonly T[],
  [i, n]: readonly [number, number],
): T[] => jobs.filter((j) => j.index % n === i - 1);

/** The discount a job of this run learned under. */
export const jobGamma = (m: Manifest, params: LearnParams): number => params.gamma ?? m.mdp.gamma;

/** The reference a job is measured against: the one computed under the job's own discount. */
export function referenceFor(m: Manifest, params: LearnParams): Reference {
  const gamma = jobGamma(m, params);
  const ref = m.references.find((r) => r.gamma === gamma);
  if (ref === undefined) throw new Error(`run manifest has no reference for gamma ${gamma}`);
  return ref;
}

/** "optimal 0.8123", or with several discounts "optimal 0.8123 (gamma 0.99), 0.4100 (gamma 0.5)". */
export function describeOptimum(refs: readonly Reference[], digits = 4): string {
  if (refs.length === 1) return `optimal ${fixed(refs[0]!.optimal, digits)}`;
  return `optimal ${refs.map((r) => `${fixed(r.optimal, digits)} (gamma ${r.gamma})`).join(", ")}`;
}
