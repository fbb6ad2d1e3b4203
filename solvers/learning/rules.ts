import type { GreedyCache } from "./greedy-cache.js";
import type { AlgoName } from "./params.js";
import { type ActionSets, argmaxIn, softmaxValue } from "./policy.js";

/**
 * What a rule may read. One mutable object per run, filled by the loop (no allocation per step).
 * `table` is the table this step updates (Double Q draws it per step; 0 otherwise).
 */
export interface RuleCtx {
  readonly q: readonly Float64Array[];
  readonly nA: number;
  readonly sets: ActionSets;
  /** Greedy cache of the acting table (q[0] for single-table rules). */
  readonly cache: GreedyCache;
  /** Current epsilon (or temperature when `boltzmann`). */
  explore: number;
  readonly boltzmann: boolean;
  table: number;
}

/**
 * A TD rule: the bootstrap value of the next state s2 (the loop forms r + gamma * bootstrap, or just r
 * when s2 is terminal, and applies q[table][s,a] += alpha * (target - q[table][s,a]), through traces for
 * the lambda rules). a2 is the action the behaviour policy already chose in s2.
 */
export type Bootstrap = (c: RuleCtx, s2: number, a2: number) => number;

export interface TdRule {
  readonly name: AlgoName;
  readonly tables: 1 | 2;
  /** Eligibility traces (lambda). */
  readonly traces: boolean;
  /** Watkins: traces are cut when the next action is exploratory (not greedy). */
  readonly cutOnExploration: boolean;
  readonly bootstrap: Bootstrap;
}

/** Watkins (1989): off-policy, max over next actions. */
export const qLearning: Bootstrap = (c, s2) => c.cache.max[s2]!;

/** Rummery & Niranjan (1994): on-policy, the action actually chosen next. */
export const sarsa: Bootstrap = (c, s2, a2) => c.q[0]![s2 * c.nA + a2]!;

/** van Seijen et al. (2009): expectation under the behaviour policy. */
export const expectedSarsa: Bootstrap = (c, s2) => {
  if (c.boltzmann) return softmaxValue(c.q[0]!, s2, c.nA, c.sets, c.explore);
  const n = c.sets.ptr[s2 + 1]! - c.sets.ptr[s2]!;
  return (c.explore * c.cache.sum[s2]!) / n + (1 - c.explore) * c.cache.max[s2]!;
};

/** van Hasselt (2010): one table picks the action, the other values it. */
export const doubleQ: Bootstrap = (c, s2) => {
  const pick = c.q[c.table]!;
  const judge = c.q[1 - c.table]!;
  return judge[s2 * c.nA + argmaxIn(pick, s2, c.nA, c.sets)]!;
};

export const RULES: Readonly<Record<AlgoName, TdRule>> = {
  "q-learning": {
    name: "q-learning",
    tables: 1,
    traces: false,
    cutOnExploration: false,
    bootstrap: qLearning,
  },
  sarsa: { name: "sarsa", tables: 1, traces: false, cutOnExploration: false, bootstrap: sarsa },
  "expected-sarsa": {
    name: "expected-sarsa",
    tables: 1,
    traces: false,
    cutOnExploration: false,
    bootstrap: expectedSarsa,
  },
  "double-q": { name: "double-q", tables: 2, traces: false, cutOnExploration: false, bootstrap: doubleQ },
  // Sutton & Barto (2018) 12.7: SARSA(lambda) with accumulating or replacing traces.
  "sarsa-lambda": {
    name: "sarsa-lambda",
    tables: 1,
    traces: true,
    cutOnExploration: false,
    bootstrap: sarsa,
  },
  // Watkins (1989), Sutton & Barto (1998) 7.6: Q(lambda), traces cut after an exploratory action.
  "watkins-q-lambda": {
    name: "watkins-q-lambda",
    tables: 1,
    traces: true,
    cutOnExploration: true,
    bootstrap: qLearning,
  },
};
