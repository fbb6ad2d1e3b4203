import { FastRng } from "../../src/core/fast-rng.js";
import { initialStateRecords, transitionSampler } from "../../src/env/sampler.js";
import type { TabularMdp } from "../../src/model/mdp.js";
import { COMPACT_LEARNER_CONFIG, compactLearnerSpace } from "../../src/wasm/compact-learner.js";
import type { ActionSets } from "../bellman.js";
import { makeGreedyCache } from "./greedy-cache.js";
import { EPISODE_ARRAYS, kernelPlay } from "./kernel-episodes.js";
import type { Learner } from "./loop.js";
import type { AlgoName, LearnParams } from "./params.js";
import { learnerActions } from "./policy.js";
import { POW_TABLE_SIZE, powTable } from "./schedules.js";

/** Successor ids are stored as u16 in the kernel's 8-byte transition records. */
const MAX_STATES = 1 << 16;

const RULE_CODES: Partial<Record<AlgoName, number>> = { "q-learning": 0, sarsa: 1, "expected-sarsa": 2 };

/**
 * The runs the compact kernel (src/wasm/compact-learner.wat) covers: Q-learning, SARSA and Expected SARSA
 * with epsilon-greedy exploration and the "mean" inadmissible rule, on MDPs of at most 65,536 states.
 */
export function compactLearnerFits(m: TabularMdp, p: LearnParams): boolean {
  const rule = RULE_CODES[p.algo] !== undefined;
  return rule && p.explore === "epsilon" && p.inadmissible === "mean" && m.nS <= MAX_STATES;
}

/**
 * The JavaScript loop (loop.ts) for the rules above as WebAssembly over tables indexed by allowed (state,
 * action) pair: the same generators seeded the same way and the same draws, so it gives the same bits. The kernel
 * owns the compact tables; after each call they are copied out to the S x A table and greedy cache the run
 * reports (about 2,300 pairs on ICU-Sepsis, next to ~10,000 steps per call).
 */
export function compactLearner(m: TabularMdp, p: LearnParams, gamma: number, seed: number | string): Learner {
  const nA = m.nA;
  const sets = learnerActions(m, p);
  const nPairs = sets.actions.length;
  const pairState = statesOfPairs(sets, m.nS);
  const records = compactRecords(m, sets, pairState);
  const d0 = initialStateRecords(m);
  const byPair = m.reward.kind === "state-action";
  const visits = p.alphaSchedule === "visits";
  const expected = p.algo === "expected-sarsa";
  const space = compactLearnerSpace({
    states: { type: "f64", length: 4 * m.nS }, // first, at address 0 (see the kernel)
    pairs: { type: "f64", length: 2 * nPairs },
    cfg: { type: "i32", length: COMPACT_LEARNER_CONFIG.length },
    numbers: { type: "f64", length: 2 },
    envRng: { type: "u32", length: 4 },
    learnerRng: { type: "u32", length: 4 },
    visits: { type: "i32", length: visits ? nPairs : 0 },
    sums: { type: "f64", length: expected ? m.nS : 0 },
    pairRewards: { type: "f64", length: byPair ? nPairs : 0 },
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
  const learnerRng = new FastRng(`${seed}/learner`);
  const cache = makeGreedyCache(qAct, m.nS, m.nA, sets, learnerRng);
  new FastRng(`${seed}/env`).copyStateTo(view.envRng, 0);
  learnerRng.copyStateTo(view.learnerRng, 0);
  for (let s = 0; s < m.nS; s++) {
    stateF64[4 * s] = cache.max[s]!;
    stateF64[4 * s + 1] = m.reward.kind === "next-state" ? m.reward.rS[s]! : 0;
    stateI32[8 * s + 4] = pairOf(sets, s, cache.best[s]!);
    stateI32[8 * s + 5] = sets.ptr[s]!;
    stateI32[8 * s + 6] = sets.ptr[s + 1]!;
    stateI32[8 * s + 7] = m.terminalS[s]!;
  }
  for (let k = 0; k < nPairs; k++) {
    pairF64[2 * k] = p.q0;
    pairI32[4 * k + 2] = at.rec + 8 * records.start[k]!;
    pairI32[4 * k + 3] = records.length[k]!;
  }
  if (expected) view.sums.set(cache.sum);
  view.rec.set(records.rec);
  view.d0rec.set(d0);
  if (m.reward.kind === "state-action") {
    const rSA = m.reward.rSA;
    for (let k = 0; k < nPairs; k++) view.pairRewards[k] = rSA[pairState[k]! * nA + sets.actions[k]!]!;
  }
  if (visits) view.powTable.set(powTable(p.omega));
  view.numbers[0] = gamma;
  view.numbers[1] = p.omega;
  const config: Record<(typeof COMPACT_LEARNER_CONFIG)[number], number> = {
    pairs: at.pairs,
    visits: visits ? at.visits : 0,
    pairRewards: byPair ? at.pairRewards : 0,
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
    rule: RULE_CODES[p.algo]!,
    sums: expected ? at.sums : 0,
  };
  COMPACT_LEARNER_CONFIG.forEach((name, i) => {
    view.cfg[i] = config[name];
  });
  // The S x A view the run reports: Q per allowed pair, the greedy action, its value and the row sum
  // (Expected SARSA's running sum as the kernel kept it; the other rules never read it, so it is summed here).
  const copyOut = (): void => {
    for (let s = 0; s < m.nS; s++) {
      const row = s * nA;
      let sum = 0;
      for (let k = sets.ptr[s]!; k < sets.ptr[s + 1]!; k++) {
        const v = pairF64[2 * k]!;
        qAct[row + sets.actions[k]!] = v;
        sum += v;
      }
      cache.best[s] = sets.actions[stateI32[8 * s + 4]!]!;
      cache.max[s] = stateF64[4 * s]!;
      cache.sum[s] = expected ? view.sums[s]! : sum;
    }
  };
  const play = kernelPlay(p, view, (n) => space.kernels.run(at.cfg, n), copyOut);
  return { tables: [qAct], qAct, cache, play };
}

function statesOfPairs(sets: ActionSets, nS: number): Int32Array {
  const out = new Int32Array(sets.actions.length);
  for (let s = 0; s < nS; s++) out.fill(s, sets.ptr[s]!, sets.ptr[s + 1]!);
  return out;
}

/** The pair index of action a in state s. */
function pairOf(sets: ActionSets, s: number, a: number): number {
  for (let k = sets.ptr[s]!; k < sets.ptr[s + 1]!; k++) if (sets.actions[k] === a) return k;
  throw new Error(`internal: action ${a} is not allowed in state ${s}`);
}

/**
 * The alias records of the allowed pairs' rows only, packed to 8 bytes (threshold, then own and alias
 * successor as u16 halves of one word); rows the sampler shares (e.g. one mean row per state) stay shared.
 */
function compactRecords(
  m: TabularMdp,
  sets: ActionSets,
  pairState: Int32Array,
): { rec: Uint32Array; start: Int32Array; length: Int32Array } {
  const sampler = transitionSampler(m);
  const nPairs = sets.actions.length;
  const start = new Int32Array(nPairs);
  const length = new Int32Array(nPairs);
  const placed = new Map<number, { at: number; len: number }>(); // sampler record -> packed record
  let total = 0;
  for (let k = 0; k < nPairs; k++) {
    const row = pairState[k]! * m.nA + sets.actions[k]!;
    const from = sampler.rowStart[row]!;
    const len = sampler.rowLen[row]!;
    let place = placed.get(from);
    if (place === undefined) {
      place = { at: total, len };
      placed.set(from, place);
      total += len;
    }
    start[k] = place.at;
    length[k] = len;
  }
  const rec = new Uint32Array(2 * total);
  for (const [from, { at, len }] of placed) {
    for (let j = 0; j < len; j++) {
      const o = 3 * (from + j);
      rec[2 * (at + j)] = sampler.rec[o]!;
      rec[2 * (at + j) + 1] = sampler.rec[o + 1]! | (sampler.rec[o + 2]! << 16);
    }
  }
  return { rec, start, length };
}
