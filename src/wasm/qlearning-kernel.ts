import { type KernelSpace, type Layout, wasmModule, wasmSpace } from "./kernel-space.js";
import { wasmBase64 } from "./qlearning-kernel.generated.js";

/** The exported kernel of qlearning-kernel.wat; `cfg` is the address of the configuration block it documents. */
export interface QLearningKernel {
  /** Runs `episodes` episodes; returns the steps taken. */
  run(cfg: number, episodes: number): number;
}

/** Word order of the configuration block (see qlearning-kernel.wat). */
export const QLEARNING_CONFIG = [
  "pairs",
  "visits",
  "pairRewards",
  "d0rec",
  "d0len",
  "maxEpisodeSteps",
  "powTable",
  "envRng",
  "learnerRng",
  "alphas",
  "epsilons",
  "returns",
  "lengths",
  "numbers",
] as const;

const module = wasmModule(wasmBase64);

export function qlearningKernelSpace<L extends Layout>(layout: L): KernelSpace<QLearningKernel, L> {
  // n^-omega past the step-size table: the same Math.pow the JavaScript loop's `**` uses.
  return wasmSpace<QLearningKernel, L>(module, layout, { pow: Math.pow });
}
