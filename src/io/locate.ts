/** Finding the ICU-Sepsis files in a folder: flat or under extras/, plain or gzipped. */
import { stat } from "node:fs/promises";
import { join } from "node:path";
import { type ProblemSink, report } from "./problems.js";

/** The tables of the layout, by base name (the file on disk may add `.gz`). */
export const FILES = {
  transitions: "transitionFunction.csv",
  /** The sparse layout of the same table: one `state,action,next_state,probability` row per non-zero. */
  sparseTransitions: "transitions.csv",
  reward: "rewardFunction.csv",
  d0: "initialStateDistribution.csv",
  expert: "expertPolicy.csv",
  admissible: "admissibleActions.txt",
  centers: "stateClusterCenters.csv",
  sofa: "sofaScores.csv",
  metadata: "metadata.json",
} as const;

export type FileKey = keyof typeof FILES;
export const REQUIRED: readonly FileKey[] = ["transitions", "reward", "d0"];
/** Files the original release keeps under extras/. */
export const EXTRAS: readonly FileKey[] = ["centers", "sofa", "admissible"];

const isFile = async (p: string): Promise<boolean> => {
  try {
    return (await stat(p)).isFile();
  } catch {
    return false;
  }
};

/** Every place a base name may live, in order of preference. */
export function candidates(dir: string, base: string): string[] {
  const names = base.endsWith(".json") ? [base] : [base, `${base}.gz`];
  return [...names.map((n) => join(dir, n)), ...names.map((n) => join(dir, "extras", n))];
}

/** Path of each file present; problems for missing required files and for ambiguous duplicates. */
export async function locateFiles(dir: string, sink: ProblemSink): Promise<Partial<Record<FileKey, string>>> {
  if (
    !(await stat(dir)
      .then((s) => s.isDirectory())
      .catch(() => false))
  ) {
    report(sink, dir, null, null, "not a folder, expected a folder of ICU-Sepsis-style CSV files");
    return {};
  }
  const found: Partial<Record<FileKey, string>> = {};
  const keys = Object.keys(FILES) as FileKey[];
  // Every candidate asked at once: one wait for the file system instead of one per name.
  const paths = keys.map((key) => candidates(dir, FILES[key]));
  const exists = await Promise.all(paths.map((all) => Promise.all(all.map(isFile))));
  for (const [i, key] of keys.entries()) {
    const base = FILES[key];
    const all = paths[i]!;
    const present = all.filter((_, j) => exists[i]![j]);
    if (present.length === 0) {
      if (key === "sparseTransitions") continue;
      if (key === "transitions" && exists[keys.indexOf("sparseTransitions")]!.includes(true)) continue;
      if (REQUIRED.includes(key))
        report(
          sink,
          base,
          null,
          null,
          `missing required file (looked for ${all.join(", ")}${key === "transitions" ? `; or the sparse ${FILES.sparseTransitions}` : ""})`,
        );
      continue;
    }
    if (present.length > 1)
      report(sink, present[1]!, null, null, `duplicate of ${present[0]}: keep exactly one copy of ${base}`);
    found[key] = present[0]!;
  }
  if (found.transitions && found.sparseTransitions)
    report(
      sink,
      found.sparseTransitions,
      null,
      null,
      `both layouts present (dense ${found.transitions}): keep either ${FILES.transitions} or ${FILES.sparseTransitions}`,
    );
  return found;
}
