// Worker thread of the learning sweeps: receives the MDP once, then runs one job per message.
import { parentPort, workerData } from "node:worker_threads";
import type { TabularMdp } from "../model/mdp.js";
import { type JobSpec, runJob } from "./job.js";

const { mdp, stop } = workerData as { mdp: TabularMdp; stop: Int32Array };
const stopped = (): boolean => Atomics.load(stop, 0) === 1;
parentPort?.on("message", (job: JobSpec) => {
  parentPort?.postMessage(runJob(mdp, job, stopped));
});
