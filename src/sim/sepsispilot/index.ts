import type { SimDefinition } from "../types.js";
import { createSepsisPilot } from "./env.js";
import { sepsisPilotHeuristic } from "./heuristic.js";
import { TASKS, type TaskName } from "./tasks.js";

export type { PilotState, Snapshot } from "./dynamics.js";
export { antibioticEffect, hourlyUpdate, isDead, isStable, snapshot, sofa } from "./dynamics.js";
export { createSepsisPilot, type SepsisPilotSimulator } from "./env.js";
export { sepsisPilotHeuristic } from "./heuristic.js";
export { type EpisodeRecord, grade, lerp, passed, stepReward } from "./reward.js";
export { roundDp } from "./round.js";
export {
  ACTION_NAMES,
  ACTIONS,
  CLAMPS,
  OBSERVATION,
  TASKS,
  type TaskName,
  type TaskProfile,
} from "./tasks.js";

const SUMMARY: Readonly<Record<TaskName, string>> = {
  mild_sepsis: "mild sepsis, gram-negative, 24 h (easy)",
  septic_shock: "septic shock, gram-positive, 48 h (medium)",
  severe_mods: "severe MODS, mixed resistant infection, 72 h (hard)",
};

/** Registry id of a task, e.g. `sepsispilot/mild-sepsis`. */
export const sepsisPilotId = (task: TaskName): string => `sepsispilot/${task.replace("_", "-")}`;

function definition(name: TaskName): SimDefinition {
  const task = TASKS[name];
  const id = sepsisPilotId(name);
  return {
    id,
    description: `SepsisPilot hourly ICU patient: ${SUMMARY[name]}; 9 antibiotic/vasopressor actions, graded`,
    // The difficulty is fixed by the task, so there are no selectable tiers.
    tiers: [],
    create: (options) => createSepsisPilot(id, task, options),
    heuristics: () => ({ heuristic: sepsisPilotHeuristic(task) }),
  };
}

export const sepsispilotDefinitions: SimDefinition[] = [
  definition("mild_sepsis"),
  definition("septic_shock"),
  definition("severe_mods"),
];
