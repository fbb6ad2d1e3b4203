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

/** The configuration block and records env-records.part.wat declares (offsets generated from it). */
export { layouts as ENV_LAYOUTS } from "./env-kernels.layout.generated.js";

const modules = [wasmModule(wasmBase64), wasmModule(actionsBase64)];

export function envKernelSpace<L extends Layout>(layout: L): KernelSpace<EnvKernels, L> {
  return wasmSpace<EnvKernels, L>(modules, layout);
}
