import { UsageError } from "../src/core/errors.js";
import { expectedRewardSA, resolveGamma, type TabularMdp } from "../src/model/mdp.js";
import type { PolicyChain } from "./linear/policy-chain.js";
import { type RestrictedSystem, restrictedSystem } from "./linear/restricted-solve.js";
import { policyChain, terminationStructure } from "./policy-matrix.js";

export interface PolicyEvaluation {
  readonly gamma: number;
  /** V(s); NaN for states whose value is undefined (gamma = 1 and termination not certain from s). */
  readonly vS: Float64Array;
  /** d0 . V */
  readonly expectedReturn: number;
  /** Expected number of steps until a terminal state is entered (undiscounted), or null when unbounded. */
  readonly expectedLength: number | null;
  readonly lengthS: Float64Array | null;
  /** Why expectedLength is null. */
  readonly lengthReason: string | null;
  /** Probability, from d0, of the episode ending by entering each terminal state that can be entered. */
  readonly terminalProbabilities: readonly { readonly state: number; readonly probability: number }[];
  /** True when the episode ends with probability 1 from every state d0 can start in. */
  readonly terminatesSurely: boolean;
}

/** A deterministic policy as an S x A table of zeros and ones. */
export function deterministicTable(m: TabularMdp, policyS: Int32Array): Float64Array {
  const t = new Float64Array(m.nS * m.nA);
  for (let s = 0; s < m.nS; s++) t[s * m.nA + policyS[s]!] = 1;
  return t;
}

/** Uniform over all actions. */
export function uniformTable(m: TabularMdp): Float64Array {
  return new Float64Array(m.nS * m.nA).fill(1 / m.nA);
}

/** Reject tables of the wrong size, negative or non-finite entries, or non-terminal rows not summing to 1. */
export function checkPolicyTable(m: TabularMdp, piSA: Float64Array, tolerance = 1e-9): void {
  if (piSA.length !== m.nS * m.nA) {
    throw new UsageError(`policy has ${piSA.length} entries, expected ${m.nS} x ${m.nA} = ${m.nS * m.nA}`);
  }
  for (let s = 0; s < m.nS; s++) {
    let sum = 0;
    for (let a = 0; a < m.nA; a++) {
      const p = piSA[s * m.nA + a]!;
      if (!(Number.isFinite(p) && p >= 0))
        throw new UsageError(`policy(${a} | ${s}) = ${p}: expected a probability`);
      sum += p;
    }
    if (m.terminalS[s] === 0 && Math.abs(sum - 1) > tolerance) {
      throw new UsageError(`policy row of state ${s} sums to ${sum}, expected 1 (non-terminal state)`);
    }
  }
}

/**
 * Exact evaluation of a stochastic policy by linear algebra over the non-terminal states.
 * Termination is decided structurally (graph search on the policy's chain), never from a solver's behaviour:
 * with gamma = 1 a policy that may run forever from a start state is an error; with gamma < 1 it still has a
 * value and its expected length is reported as unbounded (null, with the reason).
 */
export function evaluatePolicy(
  m: TabularMdp,
  piSA: Float64Array,
  options: { gamma?: number } = {},
): PolicyEvaluation {
  const a = analyse(m, piSA, options.gamma);
  const vS = values(a);
  const { trapped, nonTerminal, sure, entered, absorption } = a;
  let lengthS: Float64Array | null = null;
  let lengthReason: string | null = null;
  if (trapped === null) {
    // The length solve's own residual bounds its relative error (||A^-1||_inf is the largest length), so
    // 1e-13 suffices; asking for less makes GMRES stall at the rounding floor of these larger solutions.
    lengthS = a.system(sure, 1).solve(() => 1, 1e-13);
  } else {
    lengthReason = `from start state ${trapped} the policy can avoid every terminal state forever, so the expected episode length is unbounded`;
  }
  // When termination is sure, one terminal's probability is one minus the others': skip the solve of one
  // not already solved for the values (on ICU-Sepsis: death = 1 - survival, no solve of its own).
  const skip = trapped === null ? entered.findLast((t) => !absorption.has(t)) : undefined;
  const terminalProbabilities = entered.map((t) => ({
    state: t,
    probability: t === skip ? 0 : dot(m.d0, a.absorb(t), nonTerminal),
  }));
  const skipped = terminalProbabilities.find((t) => t.state === skip);
  if (skipped !== undefined) {
    skipped.probability = 1 - terminalProbabilities.reduce((acc, t) => acc + t.probability, 0);
  }
  return {
    gamma: a.gamma,
    vS,
    expectedReturn: dot(m.d0, vS, nonTerminal),
    expectedLength: lengthS === null ? null : dot(m.d0, lengthS, nonTerminal),
    lengthS,
    lengthReason,
    terminalProbabilities,
    terminatesSurely: trapped === null,
  };
}

/**
 * Just the exact expected return from d0 (what learning curves need): the same checks and value solve as
 * evaluatePolicy, without the episode-length and terminal-probability solves.
 */
export function expectedReturnOf(
  m: TabularMdp,
  piSA: Float64Array,
  options: { gamma?: number } = {},
): number {
  const a = analyse(m, piSA, options.gamma);
  return dot(m.d0, values(a), a.nonTerminal);
}

interface Analysis {
  readonly m: TabularMdp;
  readonly gamma: number;
  readonly chain: PolicyChain;
  readonly mayAvoidT: Uint8Array;
  readonly trapped: number | null;
  readonly nonTerminal: (s: number) => boolean;
  readonly sure: (s: number) => boolean;
  readonly entered: number[];
  readonly absorption: Map<number, Float64Array>;
  /** Absorption probabilities x_t(s) = P(the episode ends by entering t | s), solved once per t. */
  readonly absorb: (t: number) => Float64Array;
  /** The chain's system over the selected states with discount g, built once per selection. */
  readonly system: (include: (s: number) => boolean, g: number) => RestrictedSystem;
}

/** The policy's chain, its termination structure (by graph search) and the gamma = 1 check. */
function analyse(m: TabularMdp, piSA: Float64Array, given: number | undefined): Analysis {
  const gamma = resolveGamma(m, given);
  checkPolicyTable(m, piSA);
  const chain = policyChain(m, piSA, expectedRewardSA(m));
  const { canReachT, mayAvoidT } = terminationStructure(m, chain);
  const trapped = firstStartState(m, mayAvoidT);
  if (gamma === 1 && trapped !== null) {
    throw new UsageError(
      `the policy does not reach a terminal state with probability 1 from start state ${trapped} ` +
        "(it can enter states from which no terminal state is reachable), so its undiscounted value is undefined; " +
        "use --gamma < 1 or change the policy",
    );
  }
  const nonTerminal = (s: number): boolean => m.terminalS[s] === 0;
  const canEnd = (s: number): boolean => nonTerminal(s) && canReachT[s] === 1;
  // Value, absorption and length solves usually share one state set: split and restrict the chain once.
  const systems = new Map<string, RestrictedSystem>();
  const system = (include: (s: number) => boolean, g: number): RestrictedSystem => {
    let key = `${g}:`;
    for (let s = 0; s < m.nS; s++) key += include(s) ? "1" : "0";
    let sys = systems.get(key);
    if (sys === undefined) {
      sys = restrictedSystem(chain, include, g);
      systems.set(key, sys);
    }
    return sys;
  };
  const absorption = new Map<number, Float64Array>();
  const absorb = (t: number): Float64Array => {
    let x = absorption.get(t);
    if (x === undefined) {
      x = system(canEnd, 1).solve((s) => entryMass(chain, s, t));
      absorption.set(t, x);
    }
    return x;
  };
  return {
    m,
    gamma,
    chain,
    mayAvoidT,
    trapped,
    nonTerminal,
    sure: (s) => nonTerminal(s) && mayAvoidT[s] === 0,
    entered: enteredTerminals(m, chain),
    absorption,
    absorb,
    system,
  };
}

/**
 * State values. Under gamma = 1 with rewards only on entering terminal states, V = sum_t R(t) x_t, so the
 * value needs no solve of its own beyond the absorption probabilities (on ICU-Sepsis: one solve, not two).
 */
function values(a: Analysis): Float64Array {
  const { m, gamma, chain, nonTerminal } = a;
  let vS: Float64Array;
  if (gamma === 1 && rewardOnlyOnTermination(m)) {
    vS = new Float64Array(m.nS);
    const rS = (m.reward as { rS: Float64Array }).rS;
    for (const t of a.entered) {
      if (rS[t] === 0) continue;
      const x = a.absorb(t);
      for (let s = 0; s < m.nS; s++) if (nonTerminal(s)) vS[s] = vS[s]! + rS[t]! * x[s]!;
    }
  } else {
    vS = a.system(gamma === 1 ? a.sure : nonTerminal, gamma).solve((s) => chain.rS[s]!);
  }
  if (gamma === 1)
    for (let s = 0; s < m.nS; s++) if (nonTerminal(s) && a.mayAvoidT[s] === 1) vS[s] = Number.NaN;
  return vS;
}

/** Rewards are R(s') and zero on entering every non-terminal state. */
function rewardOnlyOnTermination(m: TabularMdp): boolean {
  if (m.reward.kind !== "next-state") return false;
  for (let s = 0; s < m.nS; s++) if (m.terminalS[s] === 0 && m.reward.rS[s] !== 0) return false;
  return true;
}

function firstStartState(m: TabularMdp, mayAvoidT: Uint8Array): number | null {
  for (let s = 0; s < m.nS; s++) if (m.d0[s]! > 0 && m.terminalS[s] === 0 && mayAvoidT[s] === 1) return s;
  return null;
}

/** Terminal states some non-terminal state can step into. */
function enteredTerminals(m: TabularMdp, c: PolicyChain): number[] {
  const hit = new Uint8Array(m.nS);
  for (let s = 0; s < m.nS; s++)
    for (let k = c.start[s]!; k < c.end[s]!; k++) if (m.terminalS[c.col[k]!] === 1) hit[c.col[k]!] = 1;
  const out: number[] = [];
  for (let s = 0; s < m.nS; s++) if (hit[s] === 1) out.push(s);
  return out;
}

function entryMass(c: PolicyChain, s: number, t: number): number {
  for (let k = c.start[s]!; k < c.end[s]!; k++) if (c.col[k] === t) return c.val[k]!;
  return 0;
}

function dot(d0: Float64Array, x: Float64Array, include: (s: number) => boolean): number {
  let acc = 0;
  for (let s = 0; s < d0.length; s++) if (d0[s]! > 0 && include(s)) acc += d0[s]! * x[s]!;
  return acc;
}
