import type { SimPolicy } from "../types.js";
import { ACTIONS, type Antibiotic, type TaskProfile, type Vasopressor } from "./tasks.js";

const actionOf = (ab: Antibiotic, vaso: Vasopressor): number =>
  ACTIONS.findIndex((t) => t.ab === ab && t.vaso === vaso);

/**
 * Clinician-like rule: the antibiotic that fits the infection (alternating broad/narrow against the
 * mixed resistant one, which avoids breeding resistance), and a vasopressor only while MAP is low,
 * because vasopressor effects accumulate and overshoot MAP and drag HR down.
 */
export function sepsisPilotHeuristic(task: TaskProfile): SimPolicy {
  return (obs, t) => {
    const map = obs[0] ?? 0;
    const hr = obs[4] ?? 0;
    const ab: Antibiotic =
      task.infection === "gram_negative"
        ? "broad"
        : task.infection === "gram_positive"
          ? "narrow"
          : t % 2 === 0
            ? "broad"
            : "narrow";
    let vaso: Vasopressor = null;
    if (map < 55 && hr > 45) vaso = "high";
    else if (map < 70 && hr > 35) vaso = "low";
    return [actionOf(ab, vaso)];
  };
}
