import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { pathToFileURL } from "node:url";
import { Worker } from "node:worker_threads";
import type { TabularMdp } from "../model/mdp.js";
import { type JobResult, type JobSpec, runJob } from "./job.js";

export interface PoolOptions {
  /** Worker threads; 0 runs the jobs one by one on this thread. */
  readonly workers: number;
  /** Aborting stops dispatching, terminates the workers and keeps the finished jobs. */
  readonly signal?: AbortSignal;
  /** Called as each job finishes (e.g. to save it at once). */
  readonly onResult?: (r: JobResult) => void | Promise<void>;
  /** Called at each checkpoint of a running job with the episodes it has played. */
  readonly onProgress?: (index: number, episode: number) => void;
}

/** What a worker posts: a running job's checkpoint, or a finished job. */
export type WorkerMessage =
  | { readonly kind: "progress"; readonly index: number; readonly episode: number }
  | { readonly kind: "result"; readonly result: JobResult };

export interface PoolOutcome {
  /** Finished jobs in sweep order (by spec.index). */
  readonly results: JobResult[];
  readonly interrupted: boolean;
}

/**
 * The worker script beside this module: compiled `.js` under dist/, or the `.ts` source under tsx/vitest.
 * A TypeScript worker must load tsx's hooks itself: on Node 20 `execArgv: ["--import", "tsx"]` does not
 * reach worker threads (measured: "Unknown file extension .ts"), so a tiny bootstrap registers tsx's ESM
 * API and then imports the worker.
 */
export function workerEntry(here: string = import.meta.url): { url: URL; fromSource: boolean } {
  const fromSource = here.endsWith(".ts");
  return { url: new URL(fromSource ? "./worker.ts" : "./worker.js", here), fromSource };
}

function tsxApiUrl(): string {
  const pkgPath = createRequire(import.meta.url).resolve("tsx/package.json");
  const pkg = JSON.parse(readFileSync(pkgPath, "utf8")) as {
    exports?: Record<string, { import?: { default?: string } }>;
  };
  const rel = pkg.exports?.["./esm/api"]?.import?.default ?? "./dist/esm/api/index.mjs";
  return pathToFileURL(join(dirname(pkgPath), rel)).href;
}

/** `stop` is shared memory: setting stop[0] = 1 makes every worker end its current job early. */
function startWorker(mdp: TabularMdp, stop: Int32Array): Worker {
  const { url, fromSource } = workerEntry();
  const workerData = { mdp, stop };
  if (!fromSource) return new Worker(url, { workerData });
  const boot = `import(${JSON.stringify(tsxApiUrl())}).then((t) => { t.register(); return import(${JSON.stringify(url.href)}); });`;
  return new Worker(boot, { eval: true, workerData });
}

const byIndex = (a: JobResult, b: JobResult): number => a.spec.index - b.spec.index;

type Typed = Float64Array | Int32Array | Uint8Array;
function toShared<T extends Typed>(a: T): T {
  const out = new (a.constructor as new (b: SharedArrayBuffer) => T)(new SharedArrayBuffer(a.byteLength));
  out.set(a as never);
  return out;
}

/**
 * The model with its big arrays in shared memory: workers then read one copy instead of cloning ~18 MB
 * each (the env is memory-bound, so two private copies also compete for the same cache).
 */
export function shareMdp(m: TabularMdp): TabularMdp {
  const reward: TabularMdp["reward"] =
    m.reward.kind === "next-state"
      ? { kind: "next-state", rS: toShared(m.reward.rS) }
      : { kind: "state-action", rSA: toShared(m.reward.rSA) };
  return { ...m, rowPtr: toShared(m.rowPtr), next: toShared(m.next), prob: toShared(m.prob), reward };
}

/**
 * Run jobs, in parallel on worker threads when `workers` > 0. Every worker gets one copy of the MDP.
 * On abort no new job starts and running jobs stop after their current episode, returning what they
 * learned so far (`complete: false`); on the main thread (workers = 0) the running job cannot be stopped.
 */
export async function runJobs(m: TabularMdp, jobs: readonly JobSpec[], o: PoolOptions): Promise<PoolOutcome> {
  const results: JobResult[] = [];
  if (o.workers === 0 || jobs.length === 0) {
    for (const job of jobs) {
      if (o.signal?.aborted) break;
      const r = runJob(m, job, undefined, (episode) => o.onProgress?.(job.index, episode));
      results.push(r);
      await o.onResult?.(r);
    }
    return { results: results.sort(byIndex), interrupted: o.signal?.aborted ?? false };
  }
  const queue = [...jobs];
  const stop = new Int32Array(new SharedArrayBuffer(4));
  const shared = shareMdp(m);
  const pool = Array.from({ length: Math.min(o.workers, jobs.length) }, () => startWorker(shared, stop));
  let interrupted = false;
  const pending: Promise<void>[] = [];
  await new Promise<void>((resolve, reject) => {
    let busy = 0;
    const stopAll = (): void => {
      for (const w of pool) void w.terminate();
    };
    const feed = (w: Worker): void => {
      const job = interrupted ? undefined : queue.shift();
      if (job === undefined) {
        void w.terminate();
        if (busy === 0) resolve();
        return;
      }
      busy++;
      w.postMessage(job);
    };
    const onAbort = (): void => {
      interrupted = true;
      Atomics.store(stop, 0, 1);
      if (busy === 0) resolve();
    };
    if (o.signal?.aborted) {
      interrupted = true;
      Atomics.store(stop, 0, 1);
    }
    o.signal?.addEventListener("abort", onAbort, { once: true });
    for (const w of pool) {
      w.on("message", (msg: WorkerMessage) => {
        if (msg.kind === "progress") return o.onProgress?.(msg.index, msg.episode);
        const r = msg.result;
        busy--;
        results.push(r);
        const saved = o.onResult?.(r);
        if (saved instanceof Promise) pending.push(saved);
        feed(w);
      });
      w.on("error", (e) => {
        stopAll();
        reject(e);
      });
      feed(w);
    }
  });
  await Promise.all(pending);
  return { results: results.sort(byIndex), interrupted };
}
