import { type Interval, meanInterval, wilson } from "../core/stats.js";
import type { EpisodeResult } from "./rollout.js";

export type { Interval } from "../core/stats.js";
export { meanInterval, wilson } from "../core/stats.js";

export interface RolloutSummary {
  readonly episodes: number;
  readonly outcomes: Readonly<{ alive: number; dead: number; stable: number }>;
  /** Survival = not dead (alive at time-out or discharged stable). */
  readonly survival: Interval;
  readonly return: Interval & { readonly sd: number };
  readonly length: number;
  readonly grade?: Interval & { readonly sd: number };
}

export function summarize(results: readonly EpisodeResult[]): RolloutSummary {
  const outcomes = { alive: 0, dead: 0, stable: 0 };
  for (const r of results) outcomes[r.outcome] += 1;
  const n = results.length;
  const grades = results.flatMap((r) => (r.grade === undefined ? [] : [r.grade]));
  const base = {
    episodes: n,
    outcomes,
    survival: wilson(n - outcomes.dead, n),
    return: meanInterval(results.map((r) => r.return)),
    length: n === 0 ? Number.NaN : results.reduce((a, r) => a + r.length, 0) / n,
  };
  return grades.length === n && n > 0 ? { ...base, grade: meanInterval(grades) } : base;
}
