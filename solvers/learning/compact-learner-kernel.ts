import { type Layout, type ReusableSpace, reusableSpace, wasmModule } from "../../src/core/kernel-space.js";
import { wasmVariants } from "./compact-learner-kernel.generated.js";
import { type Variant, variantKey, variantValues } from "./compact-learner-kernel.layout.generated.js";

export { layouts as COMPACT_LEARNER_LAYOUTS } from "./compact-learner-kernel.layout.generated.js";

/** The exported kernel of compact-learner-kernel.wat; `cfg` is the address of its configuration block. */
export interface CompactLearnerKernel {
  /** Runs `episodes` episodes; returns the steps taken. */
  run(cfg: number, episodes: number): number;
}

/** The update rules the kernel is assembled for (the `rule` values of its `;;#variants` line). */
export type CompactLearnerRule = Variant["rule"];
export const COMPACT_LEARNER_RULES: readonly CompactLearnerRule[] = variantValues.rule;

/**
 * Which loop to assemble: one per combination of the kernel's `;;#variants` line (the type and its key are
 * generated from that line): the rule; 16-byte transition records (state ids past 16 bits) instead of 8-byte
 * ones; rewards kept per pair, R(s, a), instead of per entered state; the step size alpha * n(s, a)^-omega
 * from visit counts instead of the episode's alpha.
 */
export type CompactLearnerVariant = Variant;

// One lazily compiled module per variant key (see kernel-space.ts's wasmModule).
const modules = new Map(Object.entries(wasmVariants).map(([key, base64]) => [key, wasmModule(base64)]));

export function compactLearnerSpace<L extends Layout>(
  variant: CompactLearnerVariant,
  layout: L,
  scratch: ReadonlySet<keyof L> = new Set(),
): ReusableSpace<CompactLearnerKernel, L> {
  const key = variantKey(variant);
  const module = modules.get(key);
  if (module === undefined) throw new Error(`internal: no compact learner kernel for ${key}`);
  // n^-omega past the step-size table: the same Math.pow the JavaScript loop's `**` uses.
  // Released at the end of a run, the memory serves the next one (see reusableSpace).
  return reusableSpace<CompactLearnerKernel, L>(module, layout, scratch, false, { pow: Math.pow });
}
