import { UsageError } from "../../core/errors.js";
import { normal, seeded } from "../../core/rng.js";
import type { SimOptions, SimStep, Simulator } from "../types.js";
import {
  hourlyUpdate,
  isDead,
  isStable,
  type NormalDraw,
  observe,
  type PilotState,
  type Snapshot,
  snapshot,
} from "./dynamics.js";
import { type EpisodeRecord, grade, stepReward } from "./reward.js";
import { ACTION_NAMES, ACTIONS, OBSERVATION, type TaskProfile } from "./tasks.js";

/** A SepsisPilot patient: the generic Simulator plus the task grader and its inputs. */
export interface SepsisPilotSimulator extends Simulator {
  /** Grade in (0, 1) of the episode so far (final once done). */
  grade(): number;
  /** Grader inputs of the episode so far. */
  record(): EpisodeRecord;
}

interface Episode {
  state: PilotState;
  snap: Snapshot;
  record: EpisodeRecord;
  draw: NormalDraw;
  done: boolean;
}

export function createSepsisPilot(
  id: string,
  task: TaskProfile,
  options: SimOptions = {},
): SepsisPilotSimulator {
  const noise = options.noise ?? true;
  let ep: Episode | null = null;

  const current = (): Episode => {
    if (ep === null) throw new UsageError(`${id}: call reset(seed) before step()`);
    return ep;
  };

  return {
    id,
    observation: OBSERVATION,
    actions: { kind: "discrete", n: ACTIONS.length, names: ACTION_NAMES },
    maxSteps: task.maxSteps,

    reset(seed) {
      const rng = seeded(seed);
      const state: PilotState = { vitals: task.initial, lastAb: null, step: 0 };
      const snap = snapshot(task.initial);
      ep = {
        state,
        snap,
        draw: noise ? () => normal(rng) : () => 0,
        done: false,
        record: {
          initial: snap,
          final: snap,
          dead: false,
          stabilizedAt: null,
          usedBroad: false,
          usedNarrow: false,
          usedVaso: false,
          narrowAfterBroad: false,
          peakResistance: snap.resistance,
        },
      };
      return observe(snap, 0, task.maxSteps);
    },

    step(action): SimStep {
      const e = current();
      if (e.done) throw new UsageError(`${id}: episode is over; call reset(seed) before stepping again`);
      const a = action[0];
      if (action.length !== 1 || a === undefined || !Number.isInteger(a) || a < 0 || a >= ACTIONS.length) {
        throw new UsageError(
          `${id}: action must be one integer in 0..${ACTIONS.length - 1}, got [${action.join(", ")}]`,
        );
      }
      const tx = ACTIONS[a]!;
      const state = hourlyUpdate(task, e.state, tx, e.draw);
      const snap = snapshot(state.vitals);
      const dead = isDead(snap);
      const stable = !dead && isStable(snap);
      const timeOut = state.step >= task.maxSteps;
      const reward = stepReward(task, e.snap, snap, dead, stable);
      const r = e.record;
      e.record = {
        ...r,
        final: snap,
        dead,
        stabilizedAt: stable ? state.step : null,
        usedBroad: r.usedBroad || tx.ab === "broad",
        usedNarrow: r.usedNarrow || tx.ab === "narrow",
        usedVaso: r.usedVaso || tx.vaso !== null,
        narrowAfterBroad: r.narrowAfterBroad || (r.usedBroad && tx.ab === "narrow"),
        peakResistance: Math.max(r.peakResistance, snap.resistance),
      };
      e.state = state;
      e.snap = snap;
      e.done = dead || stable || timeOut;
      return {
        obs: observe(snap, state.step, task.maxSteps),
        reward,
        terminated: dead || stable,
        truncated: timeOut && !dead && !stable,
        outcome: dead ? "dead" : stable ? "stable" : "alive",
      };
    },

    grade: () => grade(task, current().record),
    record: () => current().record,
  };
}
