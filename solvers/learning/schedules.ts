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

/** alpha / n^omega, with the common exponents special-cased (pow is the slow part of a step). */
export function visitStep(alpha: number, n: number, omega: number): number {
  if (omega === 1) return alpha / n;
  if (omega === 0.5) return alpha / Math.sqrt(n);
  if (omega === 0) return alpha;
  return alpha * n ** -omega;
}
