import { UsageError } from "../../src/core/errors.js";
import { FastRng } from "../../src/core/fast-rng.js";
import { TabularEnv } from "../../src/env/tabular-env.js";
import { resolveGamma, type TabularMdp } from "../../src/model/mdp.js";
import { compactLearner, compactLearnerFits } from "./compact-learner.js";
import { makeGreedyCache, writeQ } from "./greedy-cache.js";
import type { Learner } from "./learner.js";
import { type LearnParams, resolveParams } from "./params.js";
import { boltzmann, epsilonGreedy, learnerActions } from "./policy.js";
import { type RuleCtx, ruleOf } from "./rules.js";
import { alphaAt, exploreAt, powTable, visitStep } from "./schedules.js";
import { applyTraces, clearTraces, makeTraces, visitTrace } from "./traces.js";

export interface Checkpoint {
  /** Episodes finished so far. */
  readonly episode: number;
  /** Env steps taken so far. */
  readonly steps: number;
  /** The table the agent acts on (Q, or (Q1 + Q2) / 2 for Double Q). A live view: copy it to keep it. */
  readonly qSA: Float64Array;
  /** The agent's greedy action per state (live view). */
  readonly greedyS: Int32Array;
  /** Epsilon (or temperature) the behaviour policy uses from here on. */
  readonly explore: number;
}

export interface RunOptions {
  readonly episodes: number;
  readonly seed: number | string;
  /** Call onCheckpoint after episode 0 (initial Q) and every evalEvery episodes, and after the last one. */
  readonly evalEvery?: number;
  readonly onCheckpoint?: (c: Checkpoint) => void;
  /** Polled every 1,024 episodes at most; true stops the run early (the result then has fewer episodes). */
  readonly shouldStop?: () => boolean;
  /**
   * "auto" (default) runs every rule with epsilon-greedy exploration and the "mean" inadmissible rule in a
   * WebAssembly loop, everything else in the JavaScript loop; "js" always uses the JavaScript loop (the
   * reference the WebAssembly loops are tested against: all give the same bits).
   */
  readonly engine?: "auto" | "js";
}

export interface RunResult {
  readonly params: LearnParams;
  readonly gamma: number;
  /** The acting table (Q, or (Q1 + Q2) / 2). */
  readonly qSA: Float64Array;
  readonly tables: readonly Float64Array[];
  /** The agent's greedy action per state (ties broken at random when rows were last rescanned). */
  readonly greedyS: Int32Array;
  /** Discounted return and length (steps) of every episode. */
  readonly episodeReturn: Float64Array;
  readonly episodeLength: Int32Array;
  readonly episodes: number;
  readonly steps: number;
}

/** Episodes between polls of `shouldStop` (and the most a compiled chunk runs without returning). */
const CHUNK = 1024;

/**
 * The learners' episode counts, returns and learning curves would each need a convention for episodes that
 * end before their first step; none is worth the cost of a second meaning, so such MDPs are refused.
 */
function rejectTerminalStarts(m: TabularMdp): void {
  const starts: number[] = [];
  for (let s = 0; s < m.nS; s++) if (m.terminalS[s] === 1 && m.d0[s]! > 0) starts.push(s);
  if (starts.length > 0) {
    throw new UsageError(
      `the initial state distribution puts mass on terminal state${starts.length > 1 ? "s" : ""} ${starts.join(", ")}: ` +
        "such episodes have length 0 and teach a learner nothing, and the learners do not count them; " +
        "move that mass to non-terminal states to learn on this MDP",
    );
  }
}

/**
 * Runs a learner: the episodes, checkpoints and early stop around an engine that plays episodes. The engine
 * is the one JavaScript episode loop of every learner (`jsLearner`), or for Q-learning, SARSA, Expected
 * SARSA and Double Q with epsilon-greedy exploration its WebAssembly copy over allowed (state, action)
 * pairs (`compactLearner`), which gives the same bits.
 */
export function runEpisodes(m: TabularMdp, given: Partial<LearnParams>, o: RunOptions): RunResult {
  const p = resolveParams(given);
  if (!(Number.isInteger(o.episodes) && o.episodes >= 0)) {
    throw new UsageError(`episodes must be a non-negative integer, got ${o.episodes}`);
  }
  rejectTerminalStarts(m);
  const evalEvery = o.evalEvery ?? 0;
  const gamma = resolveGamma(m, p.gamma);
  const learner =
    o.engine === "js"
      ? jsLearner(m, p, gamma, o.seed)
      : compactLearnerFits(p)
        ? compactLearner(m, p, gamma, o.seed)
        : jsLearner(m, p, gamma, o.seed);
  const episodeReturn = new Float64Array(o.episodes);
  const episodeLength = new Int32Array(o.episodes);
  let steps = 0;
  let ep = 0;
  const checkpoint = (): void => {
    learner.sync();
    o.onCheckpoint?.({
      episode: ep,
      steps,
      qSA: learner.qAct,
      greedyS: learner.cache.best,
      explore: exploreAt(p, ep),
    });
  };
  if (evalEvery > 0) checkpoint();
  while (ep < o.episodes) {
    if (o.shouldStop?.()) {
      if (evalEvery > 0 && ep % evalEvery !== 0) checkpoint(); // the partial run still ends on a checkpoint
      break;
    }
    const boundary = evalEvery > 0 ? (Math.floor(ep / evalEvery) + 1) * evalEvery : o.episodes;
    const to = Math.min(o.episodes, boundary, ep + CHUNK);
    steps += learner.play(ep, to, episodeReturn, episodeLength);
    ep = to;
    if (evalEvery > 0 && (ep % evalEvery === 0 || ep === o.episodes)) checkpoint();
  }
  learner.sync();
  // The results below are the learner's JavaScript tables, brought up to date by sync.
  learner.release?.();
  return {
    params: p,
    gamma,
    qSA: learner.qAct,
    tables: learner.tables,
    greedyS: learner.cache.best,
    episodeReturn: ep === o.episodes ? episodeReturn : episodeReturn.slice(0, ep),
    episodeLength: ep === o.episodes ? episodeLength : episodeLength.slice(0, ep),
    episodes: ep,
    steps,
  };
}

/**
 * The one episode loop of every learner. Per step: take a, observe (r, s'), choose a' in s' with the
 * behaviour policy, then update Q(s, a) towards r + gamma * bootstrap(s', a') from the rule. Termination
 * stops bootstrapping (target r); time-limit truncation does not (the next state still has a value).
 *
 * Performance: nothing in the step allocates; acting and max/mean bootstraps read the greedy cache (O(1)).
 * The rule is called through `rule.bootstrap` even though the call site sees every rule in a sweep: measured
 * on ICU-Sepsis after running all six rules, Q-learning ran at 5.41 M steps/s through the call and 5.35 M
 * with the max inlined by hand, so the loop is not specialised per rule. The env step is the larger cost.
 */
function jsLearner(m: TabularMdp, p: LearnParams, gamma: number, seed: number | string): Learner {
  const rule = ruleOf(p.algo);
  const nA = m.nA;
  const nSA = m.nS * nA;
  const env = new TabularEnv(m, { maxEpisodeSteps: p.maxEpisodeSteps, inadmissible: p.inadmissible });
  env.seed(`${seed}/env`);
  const rng = new FastRng(`${seed}/learner`);
  const sets = learnerActions(m, p);
  const tables = Array.from({ length: rule.tables }, () => new Float64Array(nSA).fill(p.q0));
  const double = rule.tables === 2;
  const qAct = double ? new Float64Array(nSA).fill(p.q0) : tables[0]!; // Double Q acts on (Q1 + Q2) / 2
  const boltz = p.explore === "boltzmann";
  const cache = makeGreedyCache(qAct, m.nS, nA, sets, rng);
  const ctx: RuleCtx = { q: tables, nA, sets, cache, explore: 0, boltzmann: boltz, table: 0 };
  const writer = { cache, nA, sets, rng };
  const visits = p.alphaSchedule === "visits" ? new Int32Array(nSA) : null;
  const pows = visits !== null ? powTable(p.omega) : undefined; // built only for visit-count step sizes
  const stepSA = visits !== null && rule.traces ? new Float64Array(nSA) : null;
  const traces = rule.traces ? makeTraces(nSA) : null;
  const replacing = p.trace === "replacing";
  const decay = gamma * p.lambda;
  const { bootstrap, pickTable, cutsTraces } = rule;
  const play = (from: number, to: number, returns: Float64Array, lengths: Int32Array): number => {
    let steps = 0;
    for (let ep = from; ep < to; ep++) {
      const x = exploreAt(p, ep);
      const alpha = alphaAt(p, ep);
      ctx.explore = x;
      if (traces !== null) clearTraces(traces);
      let s = env.resetFast();
      let a = boltz ? boltzmann(qAct, s, nA, sets, x, rng) : epsilonGreedy(cache, s, sets, x, rng);
      let g = 0;
      let disc = 1;
      let len = 0;
      for (;;) {
        const s2 = env.stepFast(a);
        const r = env.reward;
        const term = env.terminated;
        len++;
        g += disc * r;
        disc *= gamma;
        // a' is chosen even on truncation: SARSA's bootstrap needs it; it is never taken.
        const a2 = term
          ? -1
          : boltz
            ? boltzmann(qAct, s2, nA, sets, x, rng)
            : epsilonGreedy(cache, s2, sets, x, rng);
        if (pickTable !== null) ctx.table = pickTable(rng);
        const q = tables[ctx.table]!;
        const sa = s * nA + a;
        const target = term ? r : r + gamma * bootstrap(ctx, s2, a2);
        let step = alpha;
        if (visits !== null) {
          const n = visits[sa]! + 1;
          visits[sa] = n;
          step = visitStep(alpha, n, p.omega, pows);
          if (stepSA !== null) stepSA[sa] = step;
        }
        if (traces === null) {
          const v = q[sa]! + step * (target - q[sa]!);
          if (double) {
            q[sa] = v;
            writeQ(cache, qAct, s, a, 0.5 * (tables[0]![sa]! + tables[1]![sa]!), nA, sets, rng);
          } else writeQ(cache, q, s, a, v, nA, sets, rng);
        } else {
          const delta = target - q[sa]!;
          visitTrace(traces, sa, replacing);
          // Watkins: after an exploratory a' the traces of earlier pairs no longer follow the greedy policy.
          const cut = cutsTraces !== null && !term && cutsTraces(ctx, s2, a2);
          applyTraces(traces, q, writer, delta, alpha, stepSA, cut ? 0 : decay);
        }
        if (term || env.truncated) break;
        s = s2;
        a = a2;
      }
      steps += len;
      returns[ep] = g;
      lengths[ep] = len;
    }
    return steps;
  };
  return { tables, qAct, cache, play, sync: () => {} };
}
