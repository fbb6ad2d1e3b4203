import { wasmBase64 } from "./env-kernels.generated.js";
import { type KernelSpace, type Layout, wasmModule, wasmSpace } from "./kernel-space.js";

/** The exported kernels of env-kernels.wat; `cfg` is the address of the configuration block it documents. */
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

const module = wasmModule(wasmBase64);

export function envKernelSpace<L extends Layout>(layout: L): KernelSpace<EnvKernels, L> {
  return wasmSpace<EnvKernels, L>(module, layout);
}
