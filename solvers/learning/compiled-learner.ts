import { FastRng } from "../../src/core/fast-rng.js";
import { initialStateRecords, transitionSampler } from "../../src/env/sampler.js";
import type { TabularMdp } from "../../src/model/mdp.js";
import { LEARNER_CONFIG, learnerKernelSpace } from "../../src/wasm/learner-kernels.js";
import { makeGreedyCache } from "./greedy-cache.js";
import { EPISODE_ARRAYS, kernelPlay } from "./kernel-episodes.js";
import type { Learner } from "./loop.js";
import type { AlgoName, LearnParams } from "./params.js";
import { learnerActions } from "./policy.js";
import { POW_TABLE_SIZE, powTable } from "./schedules.js";

const RULE_CODES: Partial<Record<AlgoName, number>> = {
  "q-learning": 0,
  sarsa: 1,
  "expected-sarsa": 2,
  "double-q": 3,
};

/**
 * The runs the WebAssembly loop (src/wasm/learner-kernels.wat) covers: Q-learning, SARSA, Expected SARSA
 * and Double Q-learning, epsilon-greedy, with the "mean" inadmissible rule (the others can end an episode in the death
 * state, which only the JavaScript env implements). The runner prefers the compact loop
 * (compact-learner.ts) where it fits; this one serves Double Q and MDPs past 65,536 states.
 */
export function compiledLearnerFits(p: LearnParams): boolean {
  return RULE_CODES[p.algo] !== undefined && p.explore === "epsilon" && p.inadmissible === "mean";
}

/**
 * The JavaScript loop's learner (loop.ts) for the rules above, run as WebAssembly: the same generators
 * seeded the same way, the same tables and draws, so it gives the same bits at about 2x the speed. Q, the
 * visit counts and the greedy cache live in the kernel's memory; the returned arrays are views of it.
 */
export function compiledLearner(
  m: TabularMdp,
  p: LearnParams,
  gamma: number,
  seed: number | string,
): Learner {
  const nA = m.nA;
  const nSA = m.nS * nA;
  const sampler = transitionSampler(m);
  const d0 = initialStateRecords(m);
  const sets = learnerActions(m, p);
  const byRow = m.reward.kind === "state-action";
  const rewards = m.reward.kind === "state-action" ? m.reward.rSA : m.reward.rS;
  const visits = p.alphaSchedule === "visits";
  const double = p.algo === "double-q";
  const space = learnerKernelSpace({
    cfg: { type: "i32", length: LEARNER_CONFIG.length },
    numbers: { type: "f64", length: 2 },
    envRng: { type: "u32", length: 4 },
    learnerRng: { type: "u32", length: 4 },
    q: { type: "f64", length: nSA },
    q1: { type: "f64", length: double ? nSA : 0 },
    q2: { type: "f64", length: double ? nSA : 0 },
    visits: { type: "i32", length: visits ? nSA : 0 },
    best: { type: "i32", length: m.nS },
    max: { type: "f64", length: m.nS },
    sum: { type: "f64", length: m.nS },
    setPtr: { type: "i32", length: m.nS + 1 },
    setAct: { type: "i32", length: sets.actions.length },
    rowStart: { type: "i32", length: nSA },
    rowLen: { type: "i32", length: nSA },
    rec: { type: "u32", length: sampler.rec.length },
    d0rec: { type: "u32", length: d0.length },
    terminal: { type: "u8", length: m.nS },
    rewards: { type: "f64", length: rewards.length },
    powTable: { type: "f64", length: visits ? POW_TABLE_SIZE : 0 },
    ...EPISODE_ARRAYS,
  });
  const { view, at } = space;
  // Seeded exactly as the JavaScript loop seeds its env and learner generators; the cache's first scan
  // (which draws for ties) runs in JavaScript, then the kernel carries both streams on.
  const learnerRng = new FastRng(`${seed}/learner`);
  view.q.fill(p.q0);
  view.q1.fill(p.q0);
  view.q2.fill(p.q0);
  const cache = makeGreedyCache(view.q, m.nS, nA, sets, learnerRng, {
    best: view.best,
    max: view.max,
    sum: view.sum,
  });
  new FastRng(`${seed}/env`).copyStateTo(view.envRng, 0);
  learnerRng.copyStateTo(view.learnerRng, 0);
  view.setPtr.set(sets.ptr);
  view.setAct.set(sets.actions);
  view.rowStart.set(sampler.rowStart);
  view.rowLen.set(sampler.rowLen);
  view.rec.set(sampler.rec);
  view.d0rec.set(d0);
  view.terminal.set(m.terminalS);
  view.rewards.set(rewards);
  if (visits) view.powTable.set(powTable(p.omega));
  view.numbers[0] = gamma;
  view.numbers[1] = p.omega;
  const config: Record<(typeof LEARNER_CONFIG)[number], number> = {
    nA,
    q: at.q,
    visits: visits ? at.visits : 0,
    best: at.best,
    max: at.max,
    sum: at.sum,
    setPtr: at.setPtr,
    setAct: at.setAct,
    rowStart: at.rowStart,
    rowLen: at.rowLen,
    rec: at.rec,
    d0rec: at.d0rec,
    d0len: d0.length / 3,
    terminal: at.terminal,
    rewards: at.rewards,
    byRow: byRow ? 1 : 0,
    maxEpisodeSteps: p.maxEpisodeSteps,
    powTable: at.powTable,
    envRng: at.envRng,
    learnerRng: at.learnerRng,
    rule: RULE_CODES[p.algo]!,
    alphas: at.alphas,
    epsilons: at.epsilons,
    returns: at.returns,
    lengths: at.lengths,
    numbers: at.numbers,
    q1: double ? at.q1 : 0,
    q2: double ? at.q2 : 0,
  };
  LEARNER_CONFIG.forEach((name, i) => {
    view.cfg[i] = config[name];
  });
  const play = kernelPlay(p, view, (n) => space.kernels.run(at.cfg, n));
  return { tables: double ? [view.q1, view.q2] : [view.q], qAct: view.q, cache, play };
}
