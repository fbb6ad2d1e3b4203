import { UsageError } from "../core/errors.js";
import { FastRng } from "../core/fast-rng.js";
import { fieldSlot, writeRecord } from "../core/kernel-space.js";
import { admissibleActions, type TabularMdp } from "../model/mdp.js";
import { ENV_LAYOUTS, type EnvKernels, envKernelSpace } from "./env-kernels.js";
import { packedRecordWords, packRecords, tableAliasRecords, transitionSampler } from "./sampler.js";
import { type EnvOptions, envSettings } from "./tabular-env.js";

/** The configuration word that holds the policy records' address (0: uniform actions). */
const POLICY_WORD = ENV_LAYOUTS.cfg.fields.policy.offset / 4;
const FIRST_RECORD = fieldSlot(ENV_LAYOUTS.row, "firstRecord");
const RECORD_COUNT = fieldSlot(ENV_LAYOUTS.row, "recordCount");

export interface VectorEnvOptions extends EnvOptions {
  /** Number of independent episodes stepped together. Default 64. */
  readonly numEnvs?: number;
}

/**
 * Many independent episodes of one MDP, stepped together into preallocated buffers: the fast path for
 * Monte Carlo and batched agents (Gymnasium's vector env with same-step autoreset, as in Stable-Baselines3).
 *
 * Write actions into `actions` (or call `sampleActions()`), call `step()`, then read `rewards`,
 * `terminated`, `truncated` and `finalStates` (the state each step entered); `sampleAndStep()` does the
 * sampling and the step in one faster call. An episode that ends starts again within the same step:
 * `states` then holds its new initial state and `elapsed` is 0.
 *
 * Semantics are TabularEnv's (reward R(s') or R(s, a), termination, truncation at maxEpisodeSteps,
 * inadmissible strategies) and so are the transition tables, but the random stream is the vector's own:
 * the same seed gives the same trajectories every time, not the ones a TabularEnv with that seed gives.
 *
 * Terminal starts: an episode that starts in a terminal state has length 0 and return 0, which a step cannot
 * show. So each (re)start draws from d0 given a non-terminal state, and `terminalStarts[e]` says how many
 * zero-length episodes came before it in slot e: a geometric count with the probability of a terminal
 * start, so that the slot's sequence of episodes is the same in law as drawing every start from d0.
 *
 * Why a vector: one episode at a time, each step waits for the memory read of the previous one (the next
 * state decides the row), so stepping is latency-bound; many episodes in one loop overlap those reads. The
 * loop runs as WebAssembly (env-kernels.wat), which keeps it free of bounds checks and boxing.
 */
export class TabularVectorEnv {
  readonly numEnvs: number;
  readonly maxEpisodeSteps: number;
  /** Actions of the next step, one per episode. */
  readonly actions: Int32Array;
  /** Current state of each episode (after a reset, its initial state). */
  readonly states: Int32Array;
  /** The state each episode entered on the last step (before any reset). */
  readonly finalStates: Int32Array;
  readonly rewards: Float64Array;
  /** 1 where the last step entered a terminal state. */
  readonly terminated: Uint8Array;
  /** 1 where the last step reached the time limit without terminating. */
  readonly truncated: Uint8Array;
  /** Steps taken in each episode so far (0 right after a reset). */
  readonly elapsed: Int32Array;
  /**
   * Zero-length episodes (terminal starts) that preceded the episode each slot (re)started on the last
   * reset or step; 0 where the slot did not restart, and always 0 when d0 puts no mass on terminal states.
   */
  readonly terminalStarts: Int32Array;

  private readonly kernels: EnvKernels;
  private readonly cfg: number;
  private readonly config: Int32Array;
  private readonly policyRecords: Uint32Array;
  private readonly policyAt: number;
  private readonly rng: Uint32Array;
  private readonly actionRng: Uint32Array;
  private seeded = false;
  private readonly terminalStartProbability: number;
  private startRng: FastRng | null = null;

  constructor(
    readonly mdp: TabularMdp,
    options: VectorEnvOptions = {},
  ) {
    const numEnvs = options.numEnvs ?? 64;
    if (!(Number.isInteger(numEnvs) && numEnvs >= 1)) {
      throw new UsageError(`numEnvs must be a positive integer, got ${numEnvs}`);
    }
    const settings = envSettings(mdp, options);
    const { maxEpisodeSteps: maxSteps, inadmissible, death, nonTerminalStartRec: d0 } = settings;
    if (d0 === null) {
      throw new UsageError(
        "every initial state is terminal, so every episode has length 0 and there is nothing to step",
      );
    }
    this.terminalStartProbability = settings.terminalStartProbability;
    this.terminalStarts = new Int32Array(numEnvs);
    this.numEnvs = numEnvs;
    this.maxEpisodeSteps = maxSteps;
    const sampler = transitionSampler(mdp);
    const byRow = mdp.reward.kind === "state-action";
    const rewardTable = mdp.reward.kind === "state-action" ? mdp.reward.rSA : mdp.reward.rS;
    const rows = mdp.nS * mdp.nA;
    const recordWords = packedRecordWords(mdp.nS);
    const space = envKernelSpace({
      cfg: { type: "i32", length: ENV_LAYOUTS.cfg.bytes / 4 },
      rng: { type: "u32", length: 4 },
      actionRng: { type: "u32", length: 4 },
      actions: { type: "i32", length: numEnvs },
      states: { type: "i32", length: numEnvs },
      finals: { type: "i32", length: numEnvs },
      elapsed: { type: "i32", length: numEnvs },
      rewards: { type: "f64", length: numEnvs },
      terminated: { type: "u8", length: numEnvs },
      truncated: { type: "u8", length: numEnvs },
      rowTable: { type: "i32", length: (ENV_LAYOUTS.row.bytes / 4) * rows },
      rec: { type: "u32", length: (sampler.rec.length / 3) * recordWords },
      terminal: { type: "u8", length: mdp.nS },
      admissible: { type: "u8", length: rows },
      rewardTable: { type: "f64", length: rewardTable.length },
      d0rec: { type: "u32", length: d0.length },
      policy: { type: "u32", length: 3 * rows },
      scratch: { type: "i32", length: 3 * numEnvs },
    });
    const { view, at } = space;
    for (let r = 0; r < rows; r++) {
      view.rowTable[FIRST_RECORD.stride * r + FIRST_RECORD.index] =
        at.rec + 4 * recordWords * sampler.rowStart[r]!;
      view.rowTable[RECORD_COUNT.stride * r + RECORD_COUNT.index] = sampler.rowLen[r]!;
    }
    packRecords(sampler.rec, 0, sampler.rec.length / 3, view.rec, 0, recordWords);
    view.terminal.set(mdp.terminalS);
    view.admissible.set(mdp.admissibleSA);
    view.rewardTable.set(rewardTable);
    view.d0rec.set(d0);
    writeRecord(view.cfg.buffer, at.cfg, ENV_LAYOUTS.cfg, {
      numEnvs,
      nA: mdp.nA,
      actions: at.actions,
      states: at.states,
      finals: at.finals,
      rewards: at.rewards,
      terminated: at.terminated,
      truncated: at.truncated,
      elapsed: at.elapsed,
      rowTable: at.rowTable,
      rec: at.rec,
      terminal: at.terminal,
      rewardTable: at.rewardTable,
      rewardKind: byRow ? 1 : 0,
      admissible: at.admissible,
      death: inadmissible === "terminate" ? death! : -1,
      maxEpisodeSteps: maxSteps,
      d0rec: at.d0rec,
      d0len: d0.length / 3,
      rng: at.rng,
      policy: 0,
      scratch: at.scratch,
      raise: inadmissible === "raise" ? 1 : 0,
      actionRng: at.actionRng,
      recordShift: recordWords === 2 ? 3 : 4,
    });
    this.kernels = space.kernels;
    this.cfg = at.cfg;
    this.config = view.cfg;
    this.policyRecords = view.policy;
    this.policyAt = at.policy;
    this.rng = view.rng;
    this.actionRng = view.actionRng;
    this.actions = view.actions;
    this.states = view.states;
    this.finalStates = view.finals;
    this.rewards = view.rewards;
    this.terminated = view.terminated;
    this.truncated = view.truncated;
    this.elapsed = view.elapsed;
  }

  /** Start every episode; a seed re-seeds the vector's generator. Returns `states`. */
  reset(options: { seed?: number | string } = {}): Int32Array {
    if (options.seed !== undefined) {
      // Two generators, transitions and actions, so fused and separate action sampling agree.
      const words = new FastRng(`vector:${options.seed}`);
      for (let i = 0; i < 4; i++) this.rng[i] = words.nextU32();
      for (let i = 0; i < 4; i++) this.actionRng[i] = words.nextU32();
      this.seeded = true;
      this.startRng = new FastRng(`vector-terminal-starts:${options.seed}`);
    }
    if (!this.seeded) throw new UsageError("the vector env has no seed yet: call reset({ seed }) first");
    this.kernels.resetAll(this.cfg);
    this.terminated.fill(0);
    this.truncated.fill(0);
    this.rewards.fill(0);
    this.countTerminalStarts(true);
    return this.states;
  }

  /**
   * Act with a stochastic policy (an S x A table, rows summing to 1; all-zero rows, e.g. of terminal states,
   * count as uniform): `sampleActions()` then draws each episode's action for its current state. `null`
   * goes back to uniform actions.
   */
  setPolicy(piSA: Float64Array | null): void {
    const { nS, nA } = this.mdp;
    if (piSA === null) {
      this.config[POLICY_WORD] = 0;
      return;
    }
    if (piSA.length !== nS * nA) {
      throw new UsageError(`policy has ${piSA.length} entries, expected ${nS} x ${nA} = ${nS * nA}`);
    }
    this.policyRecords.set(tableAliasRecords(piSA, nS, nA));
    this.config[POLICY_WORD] = this.policyAt;
  }

  /**
   * Actions for every episode into `actions`: uniformly random over all A actions (Gymnasium's
   * action_space.sample()), or from the policy given to `setPolicy`.
   */
  sampleActions(): Int32Array {
    this.requireSeed();
    this.kernels.sampleActions(this.cfg);
    return this.actions;
  }

  /** One step of every episode with `actions` (copied into the buffer first when given). */
  step(actions?: ArrayLike<number>): void {
    this.requireSeed();
    if (actions !== undefined) {
      if (actions.length !== this.numEnvs) {
        throw new UsageError(`step() got ${actions.length} actions for ${this.numEnvs} episodes`);
      }
      for (let e = 0; e < this.numEnvs; e++) {
        const a = actions[e]!;
        if (!Number.isInteger(a)) throw new UsageError(`action ${a} of episode ${e} is not an integer`);
        this.actions[e] = a;
      }
    }
    this.checked(this.kernels.step(this.cfg, 0));
    this.countTerminalStarts(false);
  }

  /**
   * `sampleActions()` and `step()` in one call, with the same result (the same actions, left in `actions`,
   * and the same trajectories), but faster: the draws run inside the step's first pass.
   */
  sampleAndStep(): void {
    this.requireSeed();
    this.checked(this.kernels.step(this.cfg, 1));
    this.countTerminalStarts(false);
  }

  /** Draw terminalStarts for every slot that (re)started: P(k) = p^k (1 - p) by inverting the CDF. */
  private countTerminalStarts(all: boolean): void {
    const p = this.terminalStartProbability;
    if (p === 0) return;
    const rng = this.startRng!;
    const logP = Math.log(p);
    for (let e = 0; e < this.numEnvs; e++) {
      const restarted = all || this.terminated[e] === 1 || this.truncated[e] === 1;
      this.terminalStarts[e] = restarted ? Math.floor(Math.log(1 - rng.next()) / logP) : 0;
    }
  }

  private checked(status: number): void {
    if (status < 0) return;
    const m = this.mdp;
    const e = status % this.numEnvs;
    const a = this.actions[e]!;
    if (status < this.numEnvs) {
      throw new UsageError(
        `action ${a} of episode ${e} is out of range: expected an integer in [0, ${m.nA - 1}]`,
      );
    }
    const s = this.states[e]!;
    throw new UsageError(
      `action ${a} of episode ${e} is not admissible in state ${s} (admissible: ${admissibleActions(m, s)})`,
    );
  }

  private requireSeed(): void {
    if (!this.seeded) throw new UsageError("the vector env has no seed yet: call reset({ seed }) first");
  }
}
