import {
  initialStateRecords,
  packedRecordWords,
  packRecords,
  transitionSampler,
} from "../../src/env/sampler.js";
import { type ActionSets, actionSets } from "../../src/model/action-sets.js";
import type { TabularMdp } from "../../src/model/mdp.js";

/** The state of each allowed pair (pairs are numbered state by state, as in `sets`). */
export function statesOfPairs(sets: ActionSets, nS: number): Int32Array {
  const out = new Int32Array(sets.actions.length);
  for (let s = 0; s < nS; s++) out.fill(s, sets.ptr[s]!, sets.ptr[s + 1]!);
  return out;
}

/** The pair index of action a in state s. */
export function pairOf(sets: ActionSets, s: number, a: number): number {
  for (let k = sets.ptr[s]!; k < sets.ptr[s + 1]!; k++) if (sets.actions[k] === a) return k;
  throw new Error(`internal: action ${a} is not allowed in state ${s}`);
}

/** Transition records of the allowed pairs' rows, and where each pair's row starts (in records). */
export interface PairRecords {
  readonly rec: Uint32Array;
  /** Words per record (see `packedRecordWords`). */
  readonly words: 2 | 4;
  readonly start: Int32Array;
  readonly length: Int32Array;
}

/**
 * The env's alias records for the allowed pairs' rows only, 8 bytes each when state ids fit in 16 bits
 * (16 otherwise); rows the sampler shares (e.g. one mean row per state) stay shared.
 */
export function pairRecords(m: TabularMdp, sets: ActionSets, pairState: Int32Array): PairRecords {
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
  const words = packedRecordWords(m.nS);
  const rec = new Uint32Array(words * total);
  for (const [from, { at, len }] of placed) packRecords(sampler.rec, from, len, rec, at, words);
  return { rec, words, start, length };
}

/** What the compiled learner needs of an MDP for one action set, before any run's own state. */
export interface PairLayout {
  readonly sets: ActionSets;
  readonly pairState: Int32Array;
  readonly records: PairRecords;
  /** The initial-state distribution's alias records (see `initialStateRecords`). */
  readonly d0: Uint32Array;
}

const layouts = new WeakMap<TabularMdp, Map<boolean, PairLayout>>();

/**
 * The pair layout of `m` with all or only admissible actions, built once per MDP and shared by its runs,
 * which only read it (like the env's sampler). Why: building it took about 3 ms on ICU-Sepsis (packing
 * ~93,000 transition records), about a tenth of a 100,000-episode Q-learning run, paid again by every run
 * of a study.
 */
export function sharedPairLayout(m: TabularMdp, admissibleOnly: boolean): PairLayout {
  let byActions = layouts.get(m);
  if (byActions === undefined) {
    byActions = new Map();
    layouts.set(m, byActions);
  }
  let layout = byActions.get(admissibleOnly);
  if (layout === undefined) {
    const sets = actionSets(m, admissibleOnly);
    const pairState = statesOfPairs(sets, m.nS);
    layout = { sets, pairState, records: pairRecords(m, sets, pairState), d0: initialStateRecords(m) };
    byActions.set(admissibleOnly, layout);
  }
  return layout;
}
