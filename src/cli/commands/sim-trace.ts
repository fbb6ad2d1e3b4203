import { stringify } from "csv-stringify/sync";
import { atomicWrite } from "../../io/index.js";
import type { EpisodeResult } from "../../sim/rollout.js";
import type { Simulator } from "../../sim/types.js";

/** Header: episode, t, the action components, the observation components, reward, terminated, truncated. */
export function traceHeader(sim: Simulator): string[] {
  const obsNames = sim.observation.map((f) => f.name);
  const actionNames = sim.actions.kind === "discrete" ? ["action"] : [...sim.actions.names];
  // Prefix action columns only if a name would clash with an observation column.
  const clash = actionNames.some((a) => obsNames.includes(a) || ["episode", "t", "reward"].includes(a));
  const actionCols = clash ? actionNames.map((a) => `action_${a}`) : actionNames;
  return ["episode", "t", ...actionCols, ...obsNames, "reward", "terminated", "truncated"];
}

/** One row per step; t = 0 is the reset observation with empty action and reward. */
export function traceRows(sim: Simulator, results: readonly EpisodeResult[]): (string | number)[][] {
  const width = sim.actions.kind === "discrete" ? 1 : sim.actions.names.length;
  const rows: (string | number)[][] = [];
  for (const r of results) {
    for (const s of r.trace ?? []) {
      const action = s.action === null ? new Array<string>(width).fill("") : [...s.action];
      rows.push([
        r.episode,
        s.t,
        ...action,
        ...s.obs,
        s.reward ?? "",
        s.terminated ? 1 : 0,
        s.truncated ? 1 : 0,
      ]);
    }
  }
  return rows;
}

/** Atomic (temporary sibling + rename), so readers never see a half-written trace. */
export async function writeTraceAtomic(
  file: string,
  sim: Simulator,
  results: readonly EpisodeResult[],
): Promise<void> {
  await atomicWrite(file, stringify([traceHeader(sim), ...traceRows(sim, results)]));
}
