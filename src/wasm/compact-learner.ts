import { wasmBase64 } from "./compact-learner.generated.js";
import { type KernelSpace, type Layout, wasmModule, wasmSpace } from "./kernel-space.js";

/** The exported kernel of compact-learner.wat (its configuration block sits at address 0). */
export interface CompactLearnerKernel {
  /** Runs `episodes` episodes; returns the steps taken. */
  run(episodes: number): number;
}

/** Word order of the configuration block (see compact-learner.wat); gamma and omega follow as f64. */
export const COMPACT_LEARNER_CONFIG = [
  "d0rec",
  "d0len",
  "maxEpisodeSteps",
  "visits",
  "byPair",
  "rule",
  "envRng",
  "learnerRng",
  "alphas",
  "epsilons",
  "returns",
  "lengths",
] as const;

/** Fixed addresses the kernel reads without base registers (see compact-learner.wat). */
export const COMPACT_LAYOUT = {
  /** Most states the layout has room for (successor ids are u16 in the transition records). */
  maxStates: 65_536,
  powTable: 256,
  states: 524_544,
  pairs: 2_621_728,
} as const;

const module = wasmModule(wasmBase64);

export function compactLearnerSpace<L extends Layout>(layout: L): KernelSpace<CompactLearnerKernel, L> {
  // n^-omega past the step-size table: the same Math.pow the JavaScript loop's `**` uses.
  return wasmSpace<CompactLearnerKernel, L>(module, layout, { pow: Math.pow });
}
