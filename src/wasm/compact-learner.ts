import { wasmBase64 } from "./compact-learner.generated.js";
import { type KernelSpace, type Layout, wasmModule, wasmSpace } from "./kernel-space.js";

/** The exported kernel of compact-learner.wat; `cfg` is the address of the configuration block it documents. */
export interface CompactLearnerKernel {
  /** Runs `episodes` episodes; returns the steps taken. */
  run(cfg: number, episodes: number): number;
}

/** Word order of the configuration block (see compact-learner.wat). */
export const COMPACT_LEARNER_CONFIG = [
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
  "rule",
  "sums",
  "q1",
  "q2",
  "wide",
] as const;

const module = wasmModule(wasmBase64);

export function compactLearnerSpace<L extends Layout>(layout: L): KernelSpace<CompactLearnerKernel, L> {
  // n^-omega past the step-size table: the same Math.pow the JavaScript loop's `**` uses.
  return wasmSpace<CompactLearnerKernel, L>(module, layout, { pow: Math.pow });
}
