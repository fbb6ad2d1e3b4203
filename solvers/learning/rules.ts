import type { FastRng } from "../../src/core/fast-rng.js";
import type { GreedyCache } from "./greedy-cache.js";
import { type ActionSets, argmaxIn, softmaxValue } from "./policy.js";

/**
 * What a rule may read. One mutable object per run, filled by the loop (no allocation per step).
 * `table` is the table this step updates (drawn per step by `pickTable`; 0 otherwise).
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

/**
 * Everything that sets one learner apart; the JavaScript loop (loop.ts), the compiled loop's sizes and
 * variant (compact-learner.ts), `usesTraces` and the algorithm list all read it from here. The compiled
 * kernel's counterpart is compact-learner-rules.part.wat with one bootstrap fragment per bootstrap.
 */
export interface TdRule {
  readonly name: string;
  readonly tables: 1 | 2;
  /**
   * The table this step updates, drawn after a' is chosen and before the bootstrap (the compiled loop draws
   * in the same place); null: always table 0, with no draw.
   */
  readonly pickTable: ((rng: FastRng) => number) | null;
  readonly bootstrap: Bootstrap;
  /** Whether the bootstrap reads the greedy cache's row sums (the compiled loop then keeps them per step). */
  readonly rowSums: boolean;
  /** Eligibility traces (lambda). */
  readonly traces: boolean;
  /** Whether a' cuts the traces (called only when s2 is not terminal); null: traces are never cut. */
  readonly cutsTraces: ((c: RuleCtx, s2: number, a2: number) => boolean) | null;
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

/** Double Q's coin: the first table below 1/2, one draw on every step. */
export const coinTable = (rng: FastRng): number => (rng.next() < 0.5 ? 0 : 1);

/** Watkins' cut: a' is exploratory when its value is below the greedy value of s2. */
export const exploratory = (c: RuleCtx, s2: number, a2: number): boolean =>
  c.q[c.table]![s2 * c.nA + a2]! < c.cache.max[s2]!;

const ONE_STEP = { tables: 1, pickTable: null, rowSums: false, traces: false, cutsTraces: null } as const;

/** The learners, by the name the CLI and the parameters use (this order is the order they are listed in). */
export const RULES = {
  "q-learning": { ...ONE_STEP, name: "q-learning", bootstrap: qLearning },
  sarsa: { ...ONE_STEP, name: "sarsa", bootstrap: sarsa },
  "expected-sarsa": { ...ONE_STEP, name: "expected-sarsa", bootstrap: expectedSarsa, rowSums: true },
  "double-q": { ...ONE_STEP, name: "double-q", tables: 2, pickTable: coinTable, bootstrap: doubleQ },
  // Sutton & Barto (2018) 12.7: SARSA(lambda) with accumulating or replacing traces.
  "sarsa-lambda": { ...ONE_STEP, name: "sarsa-lambda", bootstrap: sarsa, traces: true },
  // Watkins (1989), Sutton & Barto (1998) 7.6: Q(lambda), traces cut after an exploratory action.
  "watkins-q-lambda": {
    ...ONE_STEP,
    name: "watkins-q-lambda",
    bootstrap: qLearning,
    traces: true,
    cutsTraces: exploratory,
  },
} as const satisfies Readonly<Record<string, TdRule>>;

export type AlgoName = keyof typeof RULES;

/** The learners' names, in the order of RULES. */
export const ALGOS = Object.keys(RULES) as readonly AlgoName[];

/** The rule of a learner, typed as the common shape. */
export const ruleOf = (algo: AlgoName): TdRule => RULES[algo];
