import type { GreedyCache } from "./greedy-cache.js";

/** A learner's tables and an engine that plays episodes `from .. to - 1`, returning the steps taken. */
export interface Learner {
  readonly tables: readonly Float64Array[];
  /** The acting table (Q, or (Q1 + Q2) / 2 for Double Q). */
  readonly qAct: Float64Array;
  readonly cache: GreedyCache;
  play(from: number, to: number, returns: Float64Array, lengths: Int32Array): number;
  /** Brings `tables`, `qAct` and `cache` up to date with the episodes played (before anyone reads them). */
  sync(): void;
  /** After the last sync: hands kernel memory on to the next run (nothing may be played after). */
  release?(): void;
}
