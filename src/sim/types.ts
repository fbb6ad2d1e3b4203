import type { Rng } from "../core/rng.js";

/** How an episode ended (SepsisPilot also reports `stable`: discharged as stabilised). */
export type Outcome = "alive" | "dead" | "stable";

export interface FeatureSpec {
  readonly name: string;
  readonly unit: string;
  readonly low: number;
  readonly high: number;
  /** Binary features are centred (x - 0.5) by the MDP builder rather than z-scored. */
  readonly binary?: boolean;
  /** Heavy-tailed features are z-scored after log(x + 0.1) by the MDP builder. */
  readonly logScale?: boolean;
}

export type ActionSpace =
  | { readonly kind: "discrete"; readonly n: number; readonly names: readonly string[] }
  | {
      readonly kind: "box";
      readonly names: readonly string[];
      readonly units: readonly string[];
      readonly low: readonly number[];
      readonly high: readonly number[];
    };

/** What one `step` returns. Observations are fresh arrays the caller may keep. */
export interface SimStep {
  readonly obs: Float64Array;
  readonly reward: number;
  readonly terminated: boolean;
  readonly truncated: boolean;
  readonly outcome: Outcome;
}

/** A continuous (or discrete) patient simulator. One instance = one patient at a time. */
export interface Simulator {
  readonly id: string;
  readonly observation: readonly FeatureSpec[];
  readonly actions: ActionSpace;
  readonly maxSteps: number;
  /** Start a new patient; all randomness of the episode comes from this seed. */
  reset(seed: number | string): Float64Array;
  /** Apply an action: one number for a discrete space (the index), one per component for a box. */
  step(action: readonly number[]): SimStep;
  /** Episode score in (0, 1) so far (final once done), for simulators that grade episodes (SepsisPilot). */
  grade?(): number;
}

/** A policy over observations; `rng` is the policy's own stream (for random / epsilon behaviour). */
export type SimPolicy = (obs: Float64Array, t: number, rng: Rng) => number[];

export interface SimOptions {
  /** Noise switch: false replaces every random draw by its mean (the golden runs). Default true. */
  readonly noise?: boolean;
  /** Difficulty tier where the simulator has them. */
  readonly tier?: "easy" | "medium" | "hard";
}

/** A registry entry: how to make the simulator and its built-in heuristic ("clinician") policies. */
export interface SimDefinition {
  readonly id: string;
  readonly description: string;
  readonly tiers: readonly ("easy" | "medium" | "hard")[];
  create(options: SimOptions): Simulator;
  /** Named heuristic policies; "heuristic" must exist. */
  heuristics(options: SimOptions): Readonly<Record<string, SimPolicy>>;
}
