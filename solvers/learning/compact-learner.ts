import { FastRng } from "../../src/core/fast-rng.js";
import { initialStateRecords, transitionSampler } from "../../src/env/sampler.js";
import type { TabularMdp } from "../../src/model/mdp.js";
import {
  COMPACT_LAYOUT,
  COMPACT_LEARNER_CONFIG,
  compactLearnerSpace,
} from "../../src/wasm/compact-learner.js";
import type { ActionSets } from "../bellman.js";
import { makeGreedyCache } from "./greedy-cache.js";
import { EPISODE_ARRAYS, kernelPlay } from "./kernel-episodes.js";
import type { Learner } from "./loop.js";
import type { AlgoName, LearnParams } from "./params.js";
import { learnerActions } from "./policy.js";
import { POW_TABLE_SIZE, powTable } from "./schedules.js";

const RULE_CODES: Partial<Record<AlgoName, number>> = { "q-learning": 0, sarsa: 1, "expected-sarsa": 2 };

/**
 * The runs the compact kernel (src/wasm/compact-learner.wat) covers: Q-learning, SARSA and Expected SARSA
 * with epsilon-greedy exploration and the "mean" inadmissible rule, on MDPs of at most 65,536 states whose
 * episodes never start in a terminal state (the kernel marks terminal states by having no greedy pair).
 */
export function compactLearnerFits(m: TabularMdp, p: LearnParams): boolean {
  const rule = RULE_CODES[p.algo] !== undefined;
  return (
    rule &&
    p.explore === "epsilon" &&
    p.inadmissible === "mean" &&
    m.nS <= COMPACT_LAYOUT.maxStates &&
    m.d0.every((w, s) => w === 0 || m.terminalS[s] === 0)
  );
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
  // The first four arrays land at the kernel's fixed addresses (checked below); the rest anywhere after.
  const space = compactLearnerSpace({
    cfg: { type: "i32", length: COMPACT_LAYOUT.powTable / 4 },
    powTable: { type: "f64", length: POW_TABLE_SIZE },
    states: { type: "f64", length: 4 * (COMPACT_LAYOUT.maxStates + 1) },
    pairs: { type: "f64", length: 4 * nPairs },
    envRng: { type: "u32", length: 4 },
    learnerRng: { type: "u32", length: 4 },
    rec: { type: "u32", length: records.rec.length },
    d0rec: { type: "u32", length: d0.length },
    ...EPISODE_ARRAYS,
  });
  const { view, at } = space;
  if (at.states !== COMPACT_LAYOUT.states || at.pairs !== COMPACT_LAYOUT.pairs) {
    throw new Error("internal: the compact learner's memory layout does not match its kernel");
  }
  // The state and pair records as the kernel reads them (32 bytes each; f64 fields, then i32 fields).
  const stateF64 = view.states;
  const stateI32 = new Int32Array(stateF64.buffer, at.states, 8 * (m.nS + 1));
  const pairF64 = view.pairs;
  const pairI32 = new Int32Array(pairF64.buffer, at.pairs, 8 * nPairs);
  // Seeded exactly as the JavaScript loop seeds its env and learner generators; the cache's first scan
  // (which draws for ties) runs in JavaScript, then the kernel carries both streams on.
  const qAct = new Float64Array(m.nS * m.nA).fill(p.q0);
  const learnerRng = new FastRng(`${seed}/learner`);
  const cache = makeGreedyCache(qAct, m.nS, m.nA, sets, learnerRng);
  new FastRng(`${seed}/env`).copyStateTo(view.envRng, 0);
  learnerRng.copyStateTo(view.learnerRng, 0);
  for (let s = 0; s <= m.nS; s++) {
    stateI32[8 * s + 7] = sets.ptr[s]!; // first pair; the record past the last state closes the last range
    if (s === m.nS) break;
    stateF64[4 * s] = cache.max[s]!;
    stateF64[4 * s + 1] = m.reward.kind === "next-state" ? m.reward.rS[s]! : 0;
    stateF64[4 * s + 2] = cache.sum[s]!;
    stateI32[8 * s + 6] = m.terminalS[s] ? -1 : pairOf(sets, s, cache.best[s]!);
  }
  for (let k = 0; k < nPairs; k++) {
    pairF64[4 * k] = p.q0;
    if (m.reward.kind === "state-action")
      pairF64[4 * k + 1] = m.reward.rSA[pairState[k]! * nA + sets.actions[k]!]!;
    pairI32[8 * k + 4] = at.rec + 8 * records.start[k]!;
    pairI32[8 * k + 5] = records.length[k]!;
  }
  view.rec.set(records.rec);
  view.d0rec.set(d0);
  if (visits) view.powTable.set(powTable(p.omega));
  const config: Record<(typeof COMPACT_LEARNER_CONFIG)[number], number> = {
    d0rec: at.d0rec,
    d0len: d0.length / 3,
    maxEpisodeSteps: p.maxEpisodeSteps,
    visits: visits ? 1 : 0,
    byPair: byPair ? 1 : 0,
    rule: RULE_CODES[p.algo]!,
    envRng: at.envRng,
    learnerRng: at.learnerRng,
    alphas: at.alphas,
    epsilons: at.epsilons,
    returns: at.returns,
    lengths: at.lengths,
  };
  COMPACT_LEARNER_CONFIG.forEach((name, i) => {
    view.cfg[i] = config[name];
  });
  const numbers = new Float64Array(view.cfg.buffer, 48, 2);
  numbers[0] = gamma;
  numbers[1] = p.omega;
  // The S x A view the run reports: Q per allowed pair, the greedy action, its value and the row sum
  // (Expected SARSA's running sum as the kernel kept it; the other rules never read it, so it is summed
  // here). Terminal states are never updated: their entries keep the first scan's values.
  const copyOut = (): void => {
    for (let s = 0; s < m.nS; s++) {
      if (m.terminalS[s]) continue;
      const row = s * nA;
      let sum = 0;
      for (let k = sets.ptr[s]!; k < sets.ptr[s + 1]!; k++) {
        const v = pairF64[4 * k]!;
        qAct[row + sets.actions[k]!] = v;
        sum += v;
      }
      cache.best[s] = sets.actions[stateI32[8 * s + 6]!]!;
      cache.max[s] = stateF64[4 * s]!;
      cache.sum[s] = expected ? stateF64[4 * s + 2]! : sum;
    }
  };
  const play = kernelPlay(p, view, (n) => space.kernels.run(n), copyOut);
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
