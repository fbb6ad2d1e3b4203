// Worker thread of the learning sweeps: receives the MDP once, then runs one job per message.
import { parentPort, workerData } from "node:worker_threads";
import type { TabularMdp } from "../model/mdp.js";
import { type JobSpec, runJob } from "./job.js";
import type { WorkerMessage } from "./pool.js";

const { mdp, stop } = workerData as { mdp: TabularMdp; stop: Int32Array };
const stopped = (): boolean => Atomics.load(stop, 0) === 1;
const post = (m: WorkerMessage): void => parentPort?.postMessage(m);
parentPort?.on("message", (job: JobSpec) => {
  const result = runJob(mdp, job, stopped, (episode) =>
    post({ kind: "progress", index: job.index, episode }),
  );
  post({ kind: "result", result });
});
