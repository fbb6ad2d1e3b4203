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
  if (p.exploreSchedule === "exp") return tabled(p, "explore", start, p.exploreEnd, p.exploreEpisodes, k);
  return scheduleValue(p.exploreSchedule, start, p.exploreEnd, p.exploreEpisodes, k);
}

/** Episode-level step size; for "visits" the loop divides by n(s,a)^omega per step instead. */
export function alphaAt(p: LearnParams, k: number): number {
  if (p.alphaSchedule === "visits") return p.alpha;
  if (p.alphaSchedule === "exp") return tabled(p, "alpha", p.alpha, p.alphaEnd, p.alphaEpisodes, k);
  return scheduleValue(p.alphaSchedule, p.alpha, p.alphaEnd, p.alphaEpisodes, k);
}

/**
 * An exponential schedule read from a table of its values (the same doubles). Why: its Math.pow per episode
 * took 4 % of a learning study's CPU time; the table is built once per schedule and shared by the runs that
 * use it (a study's seeds and algorithms). Tables are kept for the last few schedules only (tuning trials
 * each draw their own), and only up to 2^21 episodes (16 MB); past that the value is computed.
 */
function tabled(
  p: LearnParams,
  which: "explore" | "alpha",
  start: number,
  end: number,
  episodes: number,
  k: number,
) {
  let mine = tablesOf.get(p);
  if (mine === undefined) {
    mine = {};
    tablesOf.set(p, mine);
  }
  let table = mine[which];
  if (table === undefined) {
    table = expTable(start, end, episodes);
    mine[which] = table;
  }
  if (table === null || !(Number.isInteger(k) && k >= 0))
    return scheduleValue("exp", start, end, episodes, k);
  return table[Math.min(k, episodes)]!;
}

/**
 * A memo of the last `size` values made (the oldest dropped first). Why bounded: tuning trials each draw their
 * own schedule and omega, so a memo of every key would keep one table per trial for the life of the process.
 */
function lastFew<K, V>(size: number): (key: K, make: () => V) => V {
  const kept = new Map<K, V>();
  return (key, make) => {
    let v = kept.get(key);
    if (v === undefined) {
      v = make();
      if (kept.size >= size) kept.delete(kept.keys().next().value!);
      kept.set(key, v);
    }
    return v;
  };
}

const MAX_TABLED_EPISODES = 1 << 21;
const KEPT_TABLES = 4;
const expTables = lastFew<string, Float64Array>(KEPT_TABLES);
const tablesOf = new WeakMap<LearnParams, { explore?: Float64Array | null; alpha?: Float64Array | null }>();

function expTable(start: number, end: number, episodes: number): Float64Array | null {
  if (!Number.isInteger(episodes) || episodes < 1 || episodes > MAX_TABLED_EPISODES) return null;
  return expTables(`${start}/${end}/${episodes}`, () => {
    const t = new Float64Array(episodes + 1);
    for (let k = 0; k <= episodes; k++) t[k] = scheduleValue("exp", start, end, episodes, k);
    return t;
  });
}

/** Visit counts below this read n^-omega from a table (512 KB: stays in L2). */
export const POW_TABLE_SIZE = 1 << 16;
const powTables = lastFew<number, Float64Array>(KEPT_TABLES);

/** n^-omega for n < POW_TABLE_SIZE, shared by the runs of the last few omegas (a pure memo). */
export function powTable(omega: number): Float64Array {
  return powTables(omega, () => {
    const t = new Float64Array(POW_TABLE_SIZE);
    for (let n = 1; n < POW_TABLE_SIZE; n++) t[n] = n ** -omega;
    return t;
  });
}

/**
 * alpha / n^omega. Why a table: Math.pow took as long as the env step itself in profiles of Q-learning on
 * ICU-Sepsis (omega = 0.6); the table (powTable, passed by the loops) gives the same doubles as `n ** -omega`.
 */
export function visitStep(alpha: number, n: number, omega: number, table?: Float64Array): number {
  return alpha * (table !== undefined && n < POW_TABLE_SIZE ? table[n]! : n ** -omega);
}
