import { Worker } from "node:worker_threads";
import type { TabularMdp } from "../../model/mdp.js";
import { type JobResult, type JobSpec, runJob } from "./job.js";

export interface PoolOptions {
  /** Worker threads; 0 runs the jobs one by one on this thread. */
  readonly workers: number;
  /** Aborting stops dispatching, terminates the workers and keeps the finished jobs. */
  readonly signal?: AbortSignal;
  /** Called as each job finishes (e.g. to save it at once). */
  readonly onResult?: (r: JobResult) => void | Promise<void>;
}

export interface PoolOutcome {
  /** Finished jobs in sweep order (by spec.index). */
  readonly results: JobResult[];
  readonly interrupted: boolean;
}

/**
 * The worker script beside this module: compiled `.js` under dist/, or the `.ts` source under tsx/vitest,
 * where the worker needs tsx's loader to import TypeScript.
 */
export function workerEntry(): { url: URL; execArgv: string[] } {
  const fromSource = import.meta.url.endsWith(".ts");
  return {
    url: new URL(fromSource ? "./worker.ts" : "./worker.js", import.meta.url),
    execArgv: fromSource ? ["--import", "tsx"] : [],
  };
}

const byIndex = (a: JobResult, b: JobResult): number => a.spec.index - b.spec.index;

/** Run jobs, in parallel on worker threads when `workers` > 0. Every worker gets one copy of the MDP. */
export async function runJobs(m: TabularMdp, jobs: readonly JobSpec[], o: PoolOptions): Promise<PoolOutcome> {
  const results: JobResult[] = [];
  if (o.workers === 0 || jobs.length === 0) {
    for (const job of jobs) {
      if (o.signal?.aborted) break;
      const r = runJob(m, job);
      results.push(r);
      await o.onResult?.(r);
    }
    return { results: results.sort(byIndex), interrupted: o.signal?.aborted ?? false };
  }
  const { url, execArgv } = workerEntry();
  const queue = [...jobs];
  const pool = Array.from(
    { length: Math.min(o.workers, jobs.length) },
    () => new Worker(url, { workerData: { mdp: m }, execArgv }),
  );
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
      stopAll();
      resolve();
    };
    o.signal?.addEventListener("abort", onAbort, { once: true });
    for (const w of pool) {
      w.on("message", (r: JobResult) => {
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
