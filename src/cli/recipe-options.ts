import { type Command, InvalidArgumentError } from "@commander-js/extra-typings";
import type { BuildOptions } from "../builder/build.js";
import { parseNonNegativeInt, parsePositive, parsePositiveInt } from "./parse.js";
import { deprecatedAlias } from "./vocabulary.js";

export function parseUnitInterval(text: string): number {
  const x = Number(text);
  if (!(x >= 0 && x <= 1)) throw new InvalidArgumentError(`expected a number in [0, 1], got "${text}"`);
  return x;
}

export function parseNonNegative(text: string): number {
  const x = Number(text);
  if (!(x >= 0 && Number.isFinite(x)))
    throw new InvalidArgumentError(`expected a non-negative number, got "${text}"`);
  return x;
}

/**
 * The recipe flags shared by `build` and the builder studies (everything but the cohort size, seed and
 * threshold, which each command states itself). Defaults that depend on the simulator are left undefined
 * here and filled by recipeDefaults; the values used go into metadata.json.
 */
export function addRecipeOptions(c: Command<[string]>): Command<[string], RecipeFlagValues> {
  deprecatedAlias(c, "max-iter", "--max-iterations <n>", parsePositiveInt);
  deprecatedAlias(c, "tol", "--tolerance <t>", parsePositive);
  // The annotated result keeps declaration emit from spelling out the whole inferred option chain (which
  // grows past what the compiler can print).
  const typed: Command<[string], RecipeFlagValues> = c
    .option("--tier <t>", "difficulty tier (easy | medium | hard) where the simulator has tiers")
    .option(
      "--k <k>",
      "number of k-means states (default: blocks / 300, between 2 and 750)",
      parsePositiveInt,
    )
    .option(
      "--restarts <n>",
      "k-means restarts, lowest inertia kept (default 3; 1 when blocks x k > 5e7)",
      parsePositiveInt,
    )
    .option(
      "--block-hours <h>",
      "simulator hours per MDP step (default 4; SepsisPilot severe MODS 1)",
      parsePositiveInt,
    )
    .option(
      "--epsilon <e>",
      "behaviour: probability of a uniformly random action (default 0.25; septic shock 0.8, severe MODS 0.4)",
      parseUnitInterval,
    )
    .option(
      "--jitter <sigma>",
      "behaviour: log-normal dose jitter (default 0.3; SepsiSim Management 0.5)",
      parseNonNegative,
    )
    .option(
      "--abx-delay <hours>",
      "behaviour: mean of the geometric antibiotic start delay (default 0; SepsiSim Management 3)",
      parseNonNegative,
    )
    .option(
      "--abx-miss <p>",
      "behaviour: probability that antibiotics are never started (default 0; SepsiSim Management 0.1)",
      parseUnitInterval,
    )
    .option("--max-iterations <n>", "Lloyd iterations per restart", parsePositiveInt, 100)
    .option("--tolerance <t>", "Lloyd stops when no centroid moves more than this", parsePositive, 1e-4);
  return typed;
}

/** The option values addRecipeOptions adds (absent ones take the simulator's defaults). */
export type RecipeFlagValues = {
  tier?: string | undefined;
  k?: number | undefined;
  restarts?: number | undefined;
  blockHours?: number | undefined;
  epsilon?: number | undefined;
  jitter?: number | undefined;
  abxDelay?: number | undefined;
  abxMiss?: number | undefined;
  maxIterations: number;
  tolerance: number;
};

/** `--threshold`'s help, shared by `build` and `study threshold`'s description. */
export const THRESHOLD_HELP =
  "admissible iff taken more than t times in a state (ICU-Sepsis's rule; 0 keeps every pair seen)";
export { parseNonNegativeInt as parseThreshold };

export interface RecipeFlags {
  readonly tier?: string;
  readonly k?: number;
  readonly restarts?: number;
  readonly blockHours?: number;
  readonly epsilon?: number;
  readonly jitter?: number;
  readonly abxDelay?: number;
  readonly abxMiss?: number;
  readonly maxIterations: number;
  readonly tolerance: number;
}

/** The build options the flags ask for (absent flags stay absent: the simulator's defaults apply). */
export function recipeFromFlags(
  simulator: string,
  o: RecipeFlags,
): Omit<BuildOptions, "patients" | "seed" | "threshold"> {
  const picked = {
    tier: o.tier,
    k: o.k,
    restarts: o.restarts,
    blockHours: o.blockHours,
    epsilon: o.epsilon,
    jitter: o.jitter,
    abxDelay: o.abxDelay,
    abxMiss: o.abxMiss,
  };
  const present = Object.fromEntries(Object.entries(picked).filter(([, v]) => v !== undefined));
  return { simulator, ...present, maxIter: o.maxIterations, tol: o.tolerance };
}
