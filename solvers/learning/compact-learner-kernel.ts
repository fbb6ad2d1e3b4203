import { type KernelSpace, type Layout, wasmModule, wasmSpace } from "../../src/core/kernel-space.js";
import { wasmVariants } from "./compact-learner-kernel.generated.js";

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
  "sums",
  "q1",
  "q2",
  "traced",
  "traceValues",
  "tracePositions",
  "pairStates",
  "pairSteps",
  "replacing",
  "seconds",
] as const;

/** The update rules the kernel was assembled for (the `rule` values of its variants). */
export const COMPACT_LEARNER_RULES: ReadonlySet<string> = new Set(
  Object.keys(wasmVariants).map((key) => /(?:^|,)rule=([^,]+)/.exec(key)?.[1] ?? ""),
);

/** Which loop to assemble: one per combination (see compact-learner.wat). */
export interface CompactLearnerVariant {
  /** One of COMPACT_LEARNER_RULES. */
  readonly rule: string;
  /** 16-byte transition records (state ids past 16 bits) instead of 8-byte ones. */
  readonly wide: boolean;
  /** Rewards kept per pair, R(s, a), instead of per entered state. */
  readonly pairRewards: boolean;
  /** Step size alpha * n(s, a)^-omega from visit counts instead of the episode's alpha. */
  readonly visits: boolean;
}

// One lazily compiled module per variant key (see kernel-space.ts's wasmModule).
const modules = new Map(Object.entries(wasmVariants).map(([key, base64]) => [key, wasmModule(base64)]));

function variantKey(v: CompactLearnerVariant): string {
  const bit = (b: boolean): string => (b ? "1" : "0");
  // The order and spelling of the kernel's `;;#variants` line.
  return `rule=${v.rule},wide=${bit(v.wide)},pair-rewards=${bit(v.pairRewards)},visits=${bit(v.visits)}`;
}

export function compactLearnerSpace<L extends Layout>(
  variant: CompactLearnerVariant,
  layout: L,
): KernelSpace<CompactLearnerKernel, L> {
  const key = variantKey(variant);
  const module = modules.get(key);
  if (module === undefined) throw new Error(`internal: no compact learner kernel for ${key}`);
  // n^-omega past the step-size table: the same Math.pow the JavaScript loop's `**` uses.
  return wasmSpace<CompactLearnerKernel, L>(module, layout, { pow: Math.pow });
}
