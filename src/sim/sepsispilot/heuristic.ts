import type { SimPolicy } from "../types.js";
import { ACTIONS, type Antibiotic, type TaskProfile, type Vasopressor } from "./tasks.js";

const actionOf = (ab: Antibiotic, vaso: Vasopressor): number =>
  ACTIONS.findIndex((t) => t.ab === ab && t.vaso === vaso);

/**
 * Clinician-like rule: the antibiotic that fits the infection (alternating broad/narrow against the
 * mixed resistant one: efficiency 0.8/0.7 without breeding resistance), high vasopressor while MAP is
 * below 55, otherwise low vasopressor while HR allows it. Because vasopressor effects accumulate, each
 * hour of it costs HR for good; the HR floor keeps the patient clear of the HR < 25 death rule.
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
    if (map < 55 && hr > 70) vaso = "high";
    else if (hr > 50) vaso = "low";
    return [actionOf(ab, vaso)];
  };
}
