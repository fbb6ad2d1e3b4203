/**
 * The Markov chain a stochastic policy induces: P_pi(s, s') = sum_a pi(a|s) P(s'|s,a) for non-terminal s
 * (terminal rows are empty: the episode has ended), plus the expected one-step reward r_pi(s).
 * Row s is the entries [start[s], end[s]) of col / val, which for a deterministic policy are the MDP's own
 * arrays (no copy: the greedy policies of learning curves and policy iteration are evaluated often).
 */
import type { ChainSpace } from "./chain-space.js";

export interface PolicyChain {
  readonly nS: number;
  readonly start: Int32Array;
  readonly end: Int32Array;
  readonly col: Int32Array;
  readonly val: Float64Array;
  readonly rS: Float64Array;
  /** Set when col / val live in kernel memory with room for the first solve over them (chain-space.ts). */
  readonly space?: ChainSpace | undefined;
}
