// Worker thread of the learning sweeps: receives the MDP once, then runs one job per message.
import { parentPort, workerData } from "node:worker_threads";
import type { TabularMdp } from "../../model/mdp.js";
import { type JobSpec, runJob } from "./job.js";

const mdp = (workerData as { mdp: TabularMdp }).mdp;
parentPort?.on("message", (job: JobSpec) => {
  parentPort?.postMessage(runJob(mdp, job));
});
