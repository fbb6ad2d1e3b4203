import type { LearnParams, ScheduleKind } from "./params.js";

/**
 * Value of a per-episode schedule at episode k (0-based): constant; linear from `start` to `end` over
 * `episodes`; exp = geometric interpolation start * (end/start)^(k/episodes). Both decays hold `end` after.
 * Schedules move once per episode so the step loop never evaluates them.
 */
export function scheduleValue(
  kind: ScheduleKind,
  start: number,
  end: number,
  episodes: number,
  k: number,
): number {
  if (kind === "constant") return start;
  const f = Math.min(1, k / episodes);
  if (kind === "linear") return start + (end - start) * f;
  return start * (end / start) ** f;
}

/** Exploration parameter (epsilon or temperature) at episode k. */
export function exploreAt(p: LearnParams, k: number): number {
  const start = p.explore === "epsilon" ? p.epsilon : p.tau;
  return scheduleValue(p.exploreSchedule, start, p.exploreEnd, p.exploreEpisodes, k);
}

/** Episode-level step size; for "visits" the loop divides by n(s,a)^omega per step instead. */
export function alphaAt(p: LearnParams, k: number): number {
  if (p.alphaSchedule === "visits") return p.alpha;
  return scheduleValue(p.alphaSchedule, p.alpha, p.alphaEnd, p.alphaEpisodes, k);
}

/** Visit counts below this read n^-omega from a table (512 KB: stays in L2). */
export const POW_TABLE_SIZE = 1 << 16;
const powTables = new Map<number, Float64Array>();

/** n^-omega for n < POW_TABLE_SIZE, built once per omega (a pure memo). */
export function powTable(omega: number): Float64Array {
  let t = powTables.get(omega);
  if (t === undefined) {
    t = new Float64Array(POW_TABLE_SIZE);
    for (let n = 1; n < POW_TABLE_SIZE; n++) t[n] = n ** -omega;
    powTables.set(omega, t);
  }
  return t;
}

/**
 * alpha / n^omega. Why a table: Math.pow took as long as the env step itself in profiles of Q-learning on
 * ICU-Sepsis (omega = 0.6); the table gives the same doubles as `n ** -omega`.
 */
export function visitStep(
  alpha: number,
  n: number,
  omega: number,
  table: Float64Array = powTable(omega),
): number {
  return alpha * (n < POW_TABLE_SIZE ? table[n]! : n ** -omega);
}
