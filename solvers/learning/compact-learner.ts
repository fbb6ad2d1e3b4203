import { FastRng } from "../../src/core/fast-rng.js";
import type { TabularMdp } from "../../src/model/mdp.js";
import {
  COMPACT_LEARNER_CONFIG,
  COMPACT_LEARNER_RULES,
  compactLearnerSpace,
} from "./compact-learner-kernel.js";
import { makeGreedyCache } from "./greedy-cache.js";
import { EPISODE_ARRAYS, kernelPlay } from "./kernel-episodes.js";
import type { Learner } from "./learner.js";
import { pairOf, sharedPairLayout } from "./pair-layout.js";
import { type LearnParams, usesTraces } from "./params.js";
import { POW_TABLE_SIZE, powTable } from "./schedules.js";

/**
 * The runs the WebAssembly loop (compact-learner-kernel.wat) covers: every rule, with epsilon-greedy
 * exploration and the "mean" inadmissible rule (Boltzmann exploration stays in JavaScript, and the other
 * inadmissible rules can end an episode in the death state, which only the JavaScript env implements).
 */
export function compactLearnerFits(p: LearnParams): boolean {
  return COMPACT_LEARNER_RULES.has(p.algo) && p.explore === "epsilon" && p.inadmissible === "mean";
}

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
  const expected = p.algo === "expected-sarsa";
  const double = p.algo === "double-q";
  const traces = usesTraces(p.algo);
  const variant = {
    rule: p.algo,
    wide: records.words === 4,
    pairRewards: rSA !== null,
    visits,
  };
  const space = compactLearnerSpace(variant, {
    states: { type: "f64", length: 4 * m.nS }, // first, at address 0 (see the kernel)
    pairs: { type: "f64", length: 2 * nPairs },
    cfg: { type: "i32", length: COMPACT_LEARNER_CONFIG.length },
    numbers: { type: "f64", length: 3 },
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
    sums: { type: "f64", length: expected ? m.nS : 0 },
    seconds: { type: "f64", length: m.nS },
    pairRewards: { type: "f64", length: rSA ? nPairs : 0 },
    rec: { type: "u32", length: records.rec.length },
    d0rec: { type: "u32", length: d0.length },
    powTable: { type: "f64", length: visits ? POW_TABLE_SIZE : 0 },
    ...EPISODE_ARRAYS,
  });
  const { view, at } = space;
  // The state and pair records as the kernel reads them: 32 and 16 bytes, f64 fields then i32 fields.
  const stateF64 = view.states;
  const stateI32 = new Int32Array(stateF64.buffer, at.states, 8 * m.nS);
  const pairF64 = view.pairs;
  const pairI32 = new Int32Array(pairF64.buffer, at.pairs, 4 * nPairs);
  // Seeded exactly as the JavaScript loop seeds its env and learner generators; the cache's first scan
  // (which draws for ties) runs in JavaScript, then the kernel carries both streams on.
  const qAct = new Float64Array(m.nS * m.nA).fill(p.q0);
  const tables = double ? [new Float64Array(qAct), new Float64Array(qAct)] : [qAct];
  const learnerRng = new FastRng(`${seed}/learner`);
  const cache = makeGreedyCache(qAct, m.nS, m.nA, sets, learnerRng);
  new FastRng(`${seed}/env`).copyStateTo(view.envRng, 0);
  learnerRng.copyStateTo(view.learnerRng, 0);
  for (let s = 0; s < m.nS; s++) {
    stateF64[4 * s] = cache.max[s]!;
    stateF64[4 * s + 1] = rS ? rS[s]! : 0;
    stateI32[8 * s + 4] = pairOf(sets, s, cache.best[s]!);
    stateI32[8 * s + 5] = sets.ptr[s]!;
    stateI32[8 * s + 6] = sets.ptr[s + 1]!;
    stateI32[8 * s + 7] = m.terminalS[s]!;
  }
  for (let k = 0; k < nPairs; k++) {
    pairF64[2 * k] = p.q0;
    pairI32[4 * k + 2] = at.rec + 4 * records.words * records.start[k]!;
    pairI32[4 * k + 3] = records.length[k]!;
  }
  if (expected) view.sums.set(cache.sum);
  view.seconds.set(cache.second);
  view.q1.fill(p.q0);
  view.q2.fill(p.q0);
  view.rec.set(records.rec);
  view.d0rec.set(d0);
  if (rSA) {
    for (let k = 0; k < nPairs; k++) view.pairRewards[k] = rSA[pairState[k]! * nA + sets.actions[k]!]!;
  }
  if (visits) view.powTable.set(powTable(p.omega));
  view.numbers[0] = gamma;
  view.numbers[1] = p.omega;
  view.numbers[2] = gamma * p.lambda; // the JavaScript loop's trace decay, the same double
  if (traces) view.pairStates.set(pairState);
  const config: Record<(typeof COMPACT_LEARNER_CONFIG)[number], number> = {
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
    numbers: at.numbers,
    sums: expected ? at.sums : 0,
    q1: double ? at.q1 : 0,
    q2: double ? at.q2 : 0,
    traced: at.traced,
    traceValues: at.traceValues,
    tracePositions: at.tracePositions,
    pairStates: at.pairStates,
    pairSteps: at.pairSteps,
    replacing: p.trace === "replacing" ? 1 : 0,
    seconds: at.seconds,
  };
  COMPACT_LEARNER_CONFIG.forEach((name, i) => {
    view.cfg[i] = config[name];
  });
  // Views and tables read once, not per pair: reading `view.q1` and `view.q2` inside the loop cost Double Q
  // 8-12 % of its speed (alternating runs in one process; the kernel itself was byte-identical).
  const { q1, q2, sums, seconds } = view;
  const [table1, table2] = tables;
  // The S x A tables the run reports: Q per allowed pair (Double Q: both tables and their mean), the greedy
  // action, its value and the row sum (Expected SARSA's running sum as the kernel kept it; the other rules
  // never read it, so it is summed here).
  const copyOut = (): void => {
    for (let s = 0; s < m.nS; s++) {
      const row = s * nA;
      let sum = 0;
      for (let k = sets.ptr[s]!; k < sets.ptr[s + 1]!; k++) {
        const v = pairF64[2 * k]!;
        const sa = row + sets.actions[k]!;
        qAct[sa] = v;
        sum += v;
        if (double) {
          table1![sa] = q1[k]!;
          table2![sa] = q2[k]!;
        }
      }
      cache.best[s] = sets.actions[stateI32[8 * s + 4]!]!;
      cache.max[s] = stateF64[4 * s]!;
      cache.second[s] = seconds[s]!;
      cache.sum[s] = expected ? sums[s]! : sum;
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
  return { tables, qAct, cache, play: kernelPlay(p, view, kernelRun), sync };
}
