import { UsageError } from "../core/errors.js";
import { FastRng } from "../core/fast-rng.js";
import { admissibleActions, type TabularMdp } from "../model/mdp.js";
import { deathState } from "../model/terminals-named.js";
import { draw, initialStateRecords, type TransitionSampler, transitionSampler } from "./sampler.js";

/** What to do when the agent takes an action that is not admissible in the current state. */
export type InadmissibleStrategy = "mean" | "terminate" | "raise";

export interface EnvOptions {
  /** Time limit: `truncated` is set on the step that reaches it. Default 500 (ICU-Sepsis). */
  readonly maxEpisodeSteps?: number;
  /** Default "mean": use the stored row (ICU-Sepsis stores the mean of the admissible rows there). */
  readonly inadmissible?: InadmissibleStrategy;
}

export interface StepInfo {
  readonly admissibleActions: number[];
  readonly centroid?: Float64Array;
  readonly sofa?: number;
}

export type StepResult = [
  nextState: number,
  reward: number,
  terminated: boolean,
  truncated: boolean,
  info: StepInfo,
];

/** Options checked and resolved against the MDP, with d0's alias records: what both env classes start from. */
export interface EnvSettings {
  readonly maxEpisodeSteps: number;
  readonly inadmissible: InadmissibleStrategy;
  /** The death state, or null when the MDP names or implies none. */
  readonly death: number | null;
  readonly d0Rec: Uint32Array;
  /** d0 given a non-terminal start (null when every start is terminal), and d0's mass on terminal states. */
  readonly nonTerminalStartRec: Uint32Array | null;
  readonly terminalStartProbability: number;
}

export function envSettings(mdp: TabularMdp, options: EnvOptions): EnvSettings {
  const maxEpisodeSteps = options.maxEpisodeSteps ?? 500;
  const inadmissible = options.inadmissible ?? "mean";
  if (!Number.isInteger(maxEpisodeSteps) || maxEpisodeSteps < 1) {
    throw new UsageError(`maxEpisodeSteps must be a positive integer, got ${maxEpisodeSteps}`);
  }
  const d0Rec = initialStateRecords(mdp);
  const death = deathState(mdp);
  if (inadmissible === "terminate" && death === null) {
    throw new UsageError("inadmissible strategy 'terminate' needs a death state (metadata death_state)");
  }
  let terminalStartProbability = 0;
  let nonTerminalMass = 0;
  for (let s = 0; s < mdp.nS; s++) {
    if (mdp.terminalS[s] === 1) terminalStartProbability += mdp.d0[s]!;
    else nonTerminalMass += mdp.d0[s]!;
  }
  const nonTerminalStartRec =
    terminalStartProbability === 0
      ? d0Rec
      : nonTerminalMass > 0
        ? initialStateRecords(mdp, (s) => mdp.terminalS[s] === 0)
        : null;
  terminalStartProbability /= terminalStartProbability + nonTerminalMass;
  return { maxEpisodeSteps, inadmissible, death, d0Rec, nonTerminalStartRec, terminalStartProbability };
}

/**
 * Gymnasium-style environment over a TabularMdp.
 * An episode that starts in a terminal state (d0 may put mass there) has already ended: `reset` returns that
 * state with `terminated` set, length 0 and return 0, and `step` refuses to move out of it.
 * Two paths: `reset`/`step` return tuples with info (convenient); `resetFast`/`stepFast` allocate nothing and
 * leave reward and flags in public fields (what learners and `simulate` use).
 */
export class TabularEnv {
  readonly maxEpisodeSteps: number;
  readonly inadmissible: InadmissibleStrategy;
  /** Fields set by every step. */
  state = -1;
  reward = 0;
  terminated = false;
  truncated = false;
  elapsed = 0;

  private gen: FastRng | null = null;
  private readonly sampler: TransitionSampler;
  private readonly d0Rec: Uint32Array;
  private readonly death: number | null;
  private readonly rS: Float64Array | null;
  private readonly rSA: Float64Array | null;

  constructor(
    readonly mdp: TabularMdp,
    options: EnvOptions = {},
  ) {
    const settings = envSettings(mdp, options);
    this.maxEpisodeSteps = settings.maxEpisodeSteps;
    this.inadmissible = settings.inadmissible;
    this.death = settings.death;
    this.d0Rec = settings.d0Rec;
    this.sampler = transitionSampler(mdp);
    this.rS = mdp.reward.kind === "next-state" ? mdp.reward.rS : null;
    this.rSA = mdp.reward.kind === "state-action" ? mdp.reward.rSA : null;
  }

  /** Start an episode. A seed re-seeds the env's generator; without one the stream continues. */
  reset(options: { seed?: number | string } = {}): [state: number, info: StepInfo] {
    if (options.seed !== undefined) this.seed(options.seed);
    return [this.resetFast(), this.info(this.state)];
  }

  /** Take one action; throws on a bad action or after the episode ended. */
  step(action: number): StepResult {
    const s = this.stepFast(action);
    return [s, this.reward, this.terminated, this.truncated, this.info(s)];
  }

  seed(seed: number | string): void {
    this.gen = new FastRng(seed);
  }

  /** Allocation-free reset: returns the initial state. */
  resetFast(): number {
    const rng = this.rng();
    this.state = draw(rng, this.d0Rec, 0, this.d0Rec.length / 3);
    this.reward = 0;
    this.terminated = this.mdp.terminalS[this.state] === 1;
    this.truncated = false;
    this.elapsed = 0;
    return this.state;
  }

  /** Allocation-free step: returns s' and sets `reward`, `terminated`, `truncated`. */
  stepFast(action: number): number {
    const m = this.mdp;
    const s = this.state;
    if (s < 0) throw new UsageError("step() called before reset()");
    if (this.terminated || this.truncated)
      throw new UsageError("step() called after the episode ended: reset() first");
    if (!(action >= 0 && action < m.nA && (action | 0) === action)) {
      throw new UsageError(`action ${action} is out of range: expected an integer in [0, ${m.nA - 1}]`);
    }
    const row = s * m.nA + action;
    this.elapsed++;
    if (this.inadmissible !== "mean" && m.admissibleSA[row] === 0) {
      if (this.inadmissible === "raise") {
        throw new UsageError(
          `action ${action} is not admissible in state ${s} (admissible: ${admissibleActions(m, s)})`,
        );
      }
      this.state = this.death!;
      this.reward = 0;
      this.terminated = true;
      this.truncated = false;
      return this.state;
    }
    const sm = this.sampler;
    const s2 = draw(this.gen!, sm.rec, sm.rowStart[row]!, sm.rowLen[row]!);
    this.state = s2;
    this.reward = this.rS !== null ? this.rS[s2]! : this.rSA![row]!;
    this.terminated = m.terminalS[s2] === 1;
    this.truncated = !this.terminated && this.elapsed >= this.maxEpisodeSteps;
    return s2;
  }

  /** The env's generator, for callers that must draw from the same stream (e.g. random actions). */
  random(): number {
    return this.rng().next();
  }

  /** The env's generator itself, for hot loops that draw many numbers from the env's stream. */
  rng(): FastRng {
    if (this.gen === null) throw new UsageError("the env has no seed yet: call reset({ seed }) first");
    return this.gen;
  }

  private info(s: number): StepInfo {
    const m = this.mdp;
    const info: { admissibleActions: number[]; centroid?: Float64Array; sofa?: number } = {
      admissibleActions: admissibleActions(m, s),
    };
    if (m.centroids !== null)
      info.centroid = m.centroids.data.subarray(s * m.centroids.dim, (s + 1) * m.centroids.dim);
    if (m.sofa !== null) info.sofa = m.sofa[s]!;
    return info;
  }
}
