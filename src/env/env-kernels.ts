import { type KernelSpace, type Layout, wasmModule, wasmSpace } from "../core/kernel-space.js";
import { wasmBase64 as actionsBase64 } from "./env-action-kernels.generated.js";
import { wasmBase64 } from "./env-kernels.generated.js";

/**
 * The exported kernels of env-kernels.wat and env-action-kernels.wat (one memory); `cfg` is the address of
 * the configuration block env-kernels.wat documents.
 */
export interface EnvKernels {
  resetAll(cfg: number): void;
  sampleActions(cfg: number): void;
  /**
   * sample = 1 draws the actions first, as sampleActions would. Returns -1; or the first episode whose
   * action is out of range; or numEnvs + the first episode whose action is inadmissible under "raise" (no
   * state moved then).
   */
  step(cfg: number, sample: number): number;
}

/** Word order of the configuration block (see env-kernels.wat). */
export const ENV_CONFIG = [
  "numEnvs",
  "nA",
  "actions",
  "states",
  "finals",
  "rewards",
  "terminated",
  "truncated",
  "elapsed",
  "rowTable",
  "rec",
  "terminal",
  "rewardTable",
  "rewardKind",
  "admissible",
  "death",
  "maxEpisodeSteps",
  "d0rec",
  "d0len",
  "rng",
  "policy",
  "scratch",
  "raise",
  "actionRng",
  "recordShift",
] as const;

const modules = [wasmModule(wasmBase64), wasmModule(actionsBase64)];

export function envKernelSpace<L extends Layout>(layout: L): KernelSpace<EnvKernels, L> {
  return wasmSpace<EnvKernels, L>(modules, layout);
}
