import { FastRng } from "../../src/core/fast-rng.js";
import { fieldSlot, type RecordValues, writeRecord } from "../../src/core/kernel-space.js";
import type { TabularMdp } from "../../src/model/mdp.js";
import {
  COMPACT_LEARNER_LAYOUTS,
  COMPACT_LEARNER_RULES,
  type CompactLearnerRule,
  compactLearnerSpace,
} from "./compact-learner-kernel.js";
import { makeGreedyCache } from "./greedy-cache.js";
import { EPISODE_ARRAYS, kernelPlay } from "./kernel-episodes.js";
import type { Learner } from "./learner.js";
import { pairOf, sharedPairLayout } from "./pair-layout.js";
import type { LearnParams } from "./params.js";
import { ruleOf } from "./rules.js";
import { POW_TABLE_SIZE, powTable } from "./schedules.js";

/**
 * The runs the WebAssembly loop (compact-learner-kernel.wat) covers: every rule, with epsilon-greedy
 * exploration and the "mean" inadmissible rule (Boltzmann exploration stays in JavaScript, and the other
 * inadmissible rules can end an episode in the death state, which only the JavaScript env implements).
 */
export function compactLearnerFits(p: LearnParams): boolean {
  return compiledRule(p.algo) !== null && p.explore === "epsilon" && p.inadmissible === "mean";
}

/** The kernel variant's name for a rule, or null when the kernel was not assembled for it. */
const compiledRule = (algo: string): CompactLearnerRule | null =>
  COMPACT_LEARNER_RULES.find((r) => r === algo) ?? null;

const { cfg: CFG, constants: CONSTANTS, state: STATE, pair: PAIR } = COMPACT_LEARNER_LAYOUTS;
const GREEDY = fieldSlot(STATE, "greedy");
const REWARD = fieldSlot(STATE, "reward");
const GREEDY_PAIR = fieldSlot(STATE, "greedyPair");
const FIRST_PAIR = fieldSlot(STATE, "firstPair");
const END_PAIR = fieldSlot(STATE, "endPair");
const TERMINAL = fieldSlot(STATE, "terminal");
const Q = fieldSlot(PAIR, "q");
const FIRST_RECORD = fieldSlot(PAIR, "firstRecord");
const RECORD_COUNT = fieldSlot(PAIR, "recordCount");

/**
 * The JavaScript loop (loop.ts) for the rules above as WebAssembly over tables indexed by allowed (state,
 * action) pair: the same generators seeded the same way and the same draws, so it gives the same bits. The
 * kernel owns the compact tables; after each call they are copied out to the S x A tables and greedy cache
 * the run reports (about 2,300 pairs on ICU-Sepsis, next to ~10,000 steps per call).
 */
export function compactLearner(m: TabularMdp, p: LearnParams, gamma: number, seed: number | string): Learner {
  const nA = m.nA;
  const { sets, pairState, records, d0 } = sharedPairLayout(m, p.actions === "admissible");
  const nPairs = sets.actions.length;
  const rS = m.reward.kind === "next-state" ? m.reward.rS : null; // else R(s, a), kept per pair
  const rSA = m.reward.kind === "state-action" ? m.reward.rSA : null;
  const visits = p.alphaSchedule === "visits";
  const rule = ruleOf(p.algo);
  const rowSums = rule.rowSums;
  const double = rule.tables === 2;
  const traces = rule.traces;
  const variant = {
    rule: compiledRule(p.algo) ?? fail(p.algo),
    wide: records.words === 4,
    pairRewards: rSA !== null,
    visits,
  };
  const space = compactLearnerSpace(
    variant,
    {
      states: { type: "f64", length: (STATE.bytes / 8) * m.nS }, // first, at address 0 (see the kernel)
      pairs: { type: "f64", length: (PAIR.bytes / 8) * nPairs },
      cfg: { type: "i32", length: CFG.bytes / 4 },
      constants: { type: "f64", length: CONSTANTS.bytes / 8 },
      envRng: { type: "u32", length: 4 },
      learnerRng: { type: "u32", length: 4 },
      visits: { type: "i32", length: visits ? nPairs : 0 },
      q1: { type: "f64", length: double ? nPairs : 0 },
      q2: { type: "f64", length: double ? nPairs : 0 },
      traced: { type: "i32", length: traces ? nPairs : 0 },
      traceValues: { type: "f64", length: traces ? nPairs : 0 },
      tracePositions: { type: "i32", length: traces ? nPairs : 0 },
      pairStates: { type: "i32", length: traces ? nPairs : 0 },
      pairSteps: { type: "f64", length: traces && visits ? nPairs : 0 },
      sums: { type: "f64", length: rowSums ? m.nS : 0 },
      nonGreedyBounds: { type: "f64", length: m.nS },
      pairRewards: { type: "f64", length: rSA ? nPairs : 0 },
      rec: { type: "u32", length: records.rec.length },
      d0rec: { type: "u32", length: d0.length },
      powTable: { type: "f64", length: visits ? POW_TABLE_SIZE : 0 },
      ...EPISODE_ARRAYS,
    },
    // Copied in whole below: not zero-filled when the memory is reused.
    new Set(["rec"] as const),
  );
  const { view, at } = space;
  // The state and pair records as the kernel reads them (compact-learner-records.part.wat).
  const stateF64 = view.states;
  const stateI32 = new Int32Array(stateF64.buffer, at.states, (STATE.bytes / 4) * m.nS);
  const pairF64 = view.pairs;
  const pairI32 = new Int32Array(pairF64.buffer, at.pairs, (PAIR.bytes / 4) * nPairs);
  // Seeded exactly as the JavaScript loop seeds its env and learner generators; the cache's first scan
  // (which draws for ties) runs in JavaScript, then the kernel carries both streams on.
  const qAct = new Float64Array(m.nS * m.nA).fill(p.q0);
  const tables = double ? [new Float64Array(qAct), new Float64Array(qAct)] : [qAct];
  const learnerRng = new FastRng(`${seed}/learner`);
  const cache = makeGreedyCache(qAct, m.nS, m.nA, sets, learnerRng);
  new FastRng(`${seed}/env`).copyStateTo(view.envRng, 0);
  learnerRng.copyStateTo(view.learnerRng, 0);
  for (let s = 0; s < m.nS; s++) {
    stateF64[GREEDY.stride * s + GREEDY.index] = cache.max[s]!;
    stateF64[REWARD.stride * s + REWARD.index] = rS ? rS[s]! : 0;
    stateI32[GREEDY_PAIR.stride * s + GREEDY_PAIR.index] = pairOf(sets, s, cache.best[s]!);
    stateI32[FIRST_PAIR.stride * s + FIRST_PAIR.index] = sets.ptr[s]!;
    stateI32[END_PAIR.stride * s + END_PAIR.index] = sets.ptr[s + 1]!;
    stateI32[TERMINAL.stride * s + TERMINAL.index] = m.terminalS[s]!;
  }
  for (let k = 0; k < nPairs; k++) {
    pairF64[Q.stride * k + Q.index] = p.q0;
    pairI32[FIRST_RECORD.stride * k + FIRST_RECORD.index] = at.rec + 4 * records.words * records.start[k]!;
    pairI32[RECORD_COUNT.stride * k + RECORD_COUNT.index] = records.length[k]!;
  }
  if (rowSums) view.sums.set(cache.sum);
  view.nonGreedyBounds.set(cache.second);
  view.q1.fill(p.q0);
  view.q2.fill(p.q0);
  view.rec.set(records.rec);
  view.d0rec.set(d0);
  if (rSA) {
    for (let k = 0; k < nPairs; k++) view.pairRewards[k] = rSA[pairState[k]! * nA + sets.actions[k]!]!;
  }
  if (visits) view.powTable.set(powTable(p.omega));
  // gamma * lambda: the JavaScript loop's trace decay, the same double.
  writeRecord(view.constants.buffer, at.constants, CONSTANTS, {
    gamma,
    omega: p.omega,
    traceDecay: gamma * p.lambda,
  });
  if (traces) view.pairStates.set(pairState);
  const config: RecordValues<typeof CFG> = {
    pairs: at.pairs,
    visits: visits ? at.visits : 0,
    pairRewards: rSA ? at.pairRewards : 0,
    d0rec: at.d0rec,
    d0len: d0.length / 3,
    maxEpisodeSteps: p.maxEpisodeSteps,
    powTable: at.powTable,
    envRng: at.envRng,
    learnerRng: at.learnerRng,
    alphas: at.alphas,
    epsilons: at.epsilons,
    returns: at.returns,
    lengths: at.lengths,
    constants: at.constants,
    sums: rowSums ? at.sums : 0,
    q1: double ? at.q1 : 0,
    q2: double ? at.q2 : 0,
    traced: at.traced,
    traceValues: at.traceValues,
    tracePositions: at.tracePositions,
    pairStates: at.pairStates,
    pairSteps: at.pairSteps,
    replacing: p.trace === "replacing" ? 1 : 0,
    nonGreedyBounds: at.nonGreedyBounds,
  };
  writeRecord(view.cfg.buffer, at.cfg, CFG, config);
  // Views and tables read once, not per pair: reading `view.q1` and `view.q2` inside the loop cost Double Q
  // 8-12 % of its speed (alternating runs in one process; the kernel itself was byte-identical).
  const { q1, q2, sums, nonGreedyBounds } = view;
  const [table1, table2] = tables;
  // The S x A tables the run reports: Q per allowed pair (Double Q: both tables and their mean), the greedy
  // action, its value and the row sum (Expected SARSA's running sum as the kernel kept it; the other rules
  // never read it, so it is summed here).
  const copyOut = (): void => {
    for (let s = 0; s < m.nS; s++) {
      const row = s * nA;
      let sum = 0;
      for (let k = sets.ptr[s]!; k < sets.ptr[s + 1]!; k++) {
        const v = pairF64[Q.stride * k + Q.index]!;
        const sa = row + sets.actions[k]!;
        qAct[sa] = v;
        sum += v;
        if (double) {
          table1![sa] = q1[k]!;
          table2![sa] = q2[k]!;
        }
      }
      cache.best[s] = sets.actions[stateI32[GREEDY_PAIR.stride * s + GREEDY_PAIR.index]!]!;
      cache.max[s] = stateF64[GREEDY.stride * s + GREEDY.index]!;
      cache.second[s] = nonGreedyBounds[s]!;
      cache.sum[s] = rowSums ? sums[s]! : sum;
    }
  };
  // Copied out only when read (checkpoints, the end of a run), not after every 1,024 episodes.
  let copied = true;
  const kernelRun = (n: number): number => {
    copied = false;
    return space.kernels.run(at.cfg, n);
  };
  const sync = (): void => {
    if (!copied) copyOut();
    copied = true;
  };
  return { tables, qAct, cache, play: kernelPlay(p, view, kernelRun), sync, release: space.release };
}

function fail(algo: string): never {
  throw new Error(`internal: the compiled learner has no variant for "${algo}" (check compactLearnerFits)`);
}
