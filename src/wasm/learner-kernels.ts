import { type KernelSpace, type Layout, wasmModule, wasmSpace } from "./kernel-space.js";
import { wasmBase64 } from "./learner-kernels.generated.js";

/** The exported kernel of learner-kernels.wat; `cfg` is the address of the configuration block it documents. */
export interface LearnerKernels {
  /** Runs `episodes` episodes; returns the steps taken. */
  run(cfg: number, episodes: number): number;
}

/** Word order of the configuration block (see learner-kernels.wat). */
export const LEARNER_CONFIG = [
  "nA",
  "q",
  "visits",
  "best",
  "max",
  "sum",
  "setPtr",
  "setAct",
  "rowStart",
  "rowLen",
  "rec",
  "d0rec",
  "d0len",
  "terminal",
  "rewards",
  "byRow",
  "maxEpisodeSteps",
  "powTable",
  "envRng",
  "learnerRng",
  "rule",
  "alphas",
  "epsilons",
  "returns",
  "lengths",
  "numbers",
  "q1",
  "q2",
] as const;

const module = wasmModule(wasmBase64);

export function learnerKernelSpace<L extends Layout>(layout: L): KernelSpace<LearnerKernels, L> {
  // n^-omega past the step-size table: the same Math.pow the JavaScript loop's `**` uses.
  return wasmSpace<LearnerKernels, L>(module, layout, { pow: Math.pow });
}
