import { UsageError } from "../src/core/errors.js";
import { expectedRewardSA, resolveGamma, type TabularMdp } from "../src/model/mdp.js";
import type { PolicyChain } from "./linear/policy-chain.js";
import { type BoundedSolution, type RestrictedSystem, restrictedSystem } from "./linear/restricted-solve.js";
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
  /**
   * A bound on the absolute error of the values, the expected return and each terminal probability, from
   * each solve's residual and ||(I - gP)^-1||_inf (see RestrictedSystem.solveWithBound); Infinity when
   * none could be established. Above PROMISED_ACCURACY the answer is flagged as less accurate.
   */
  readonly errorBound: number;
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
  const a = analyse(m, piSA, options.gamma, true);
  try {
    return evaluated(a);
  } finally {
    released(a);
  }
}

function evaluated(a: Analysis): PolicyEvaluation {
  const { m } = a;
  const { vS, errorBound: valueBound } = values(a, true);
  const { trapped, nonTerminal, sure, entered, absorption } = a;
  let lengthS: Float64Array | null = null;
  let lengthReason: string | null = null;
  if (trapped === null) {
    lengthS = a.system(sure, 1).ones();
  } else {
    lengthReason = `from start state ${trapped} the policy can avoid every terminal state forever, so the expected episode length is unbounded`;
  }
  // When termination is sure, one terminal's probability is one minus the others': skip the solve of one
  // not already solved for the values (on ICU-Sepsis: death = 1 - survival, no solve of its own).
  const skip = trapped === null ? entered.findLast((t) => !absorption.has(t)) : undefined;
  let probabilityBound = 0;
  const terminalProbabilities = outcomes(m, entered).map((t) => {
    if (t === skip) return { state: t, probability: 0 };
    // An episode that starts in a terminal state has ended there, without a step (see "Terminal starts").
    let probability = m.d0[t]!;
    if (entered.includes(t)) {
      const x = a.absorb(t);
      probability += dot(m.d0, x.x, nonTerminal);
      probabilityBound = Math.max(probabilityBound, x.errorBound);
    }
    return { state: t, probability };
  });
  const skipped = terminalProbabilities.find((t) => t.state === skip);
  if (skipped !== undefined) {
    const rest = terminalProbabilities.reduce((acc, t) => acc + t.probability, 0);
    skipped.probability = Math.min(1, Math.max(0, 1 - rest));
    probabilityBound *= terminalProbabilities.length - 1;
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
    errorBound: Math.max(valueBound, probabilityBound),
  };
}

/** Accuracy the evaluation promises; coarser answers are flagged (see accuracyOf). */
export const PROMISED_ACCURACY = 1e-10;

/**
 * The evaluation's error bound and whether it misses the promise: 1e-10 absolute, or relative to the return
 * when that exceeds 1 (a return of 1e15 cannot carry ten decimals in double precision).
 */
export function accuracyOf(e: PolicyEvaluation): { readonly errorBound: number; readonly flagged: boolean } {
  const scale = Math.max(1, Math.abs(e.expectedReturn));
  return { errorBound: e.errorBound, flagged: !(e.errorBound <= PROMISED_ACCURACY * scale) };
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
  const a = analyse(m, piSA, options.gamma, false);
  try {
    return dot(m.d0, values(a, false).vS, a.nonTerminal);
  } finally {
    released(a);
  }
}

/** Hands the systems' and the chain's kernel memory on to the next evaluation: results are copies. */
function released(a: Analysis): void {
  for (const system of a.systems.values()) system.release();
  a.chain.space?.space.release();
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
  readonly absorption: Map<number, BoundedSolution>;
  /** Absorption probabilities x_t(s) = P(the episode ends by entering t | s), solved once per t. */
  readonly absorb: (t: number) => BoundedSolution;
  /** The chain's system over the selected states with discount g, built once per selection. */
  readonly system: (include: (s: number) => boolean, g: number) => RestrictedSystem;
  readonly systems: ReadonlyMap<string, RestrictedSystem>;
}

/** The policy's chain, its termination structure (by graph search) and the gamma = 1 check. */
function analyse(m: TabularMdp, piSA: Float64Array, given: number | undefined, bounded: boolean): Analysis {
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
  const absorption = new Map<number, BoundedSolution>();
  const absorb = (t: number): BoundedSolution => {
    let x = absorption.get(t);
    if (x === undefined) {
      const sys = system(canEnd, 1);
      const b = (s: number): number => entryMass(chain, s, t);
      x = bounded ? sys.solveWithBound(b) : { x: sys.solve(b), errorBound: Number.NaN };
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
    systems,
  };
}

/**
 * State values and a bound on their error (computed only when `bounded`: it costs a solve of A l = 1 unless
 * the length solve shares the system). Under gamma = 1 with rewards only on entering terminal states,
 * V = sum_t R(t) x_t, so the value needs no solve of its own beyond the absorption probabilities (on
 * ICU-Sepsis: one solve, not two).
 */
function values(a: Analysis, bounded: boolean): { vS: Float64Array; errorBound: number } {
  const { m, gamma, chain, nonTerminal } = a;
  let vS: Float64Array;
  let errorBound = 0;
  if (gamma === 1 && rewardOnlyOnTermination(m)) {
    vS = new Float64Array(m.nS);
    const rS = (m.reward as { rS: Float64Array }).rS;
    for (const t of a.entered) {
      if (rS[t] === 0) continue;
      const x = a.absorb(t);
      errorBound += Math.abs(rS[t]!) * x.errorBound;
      for (let s = 0; s < m.nS; s++) if (nonTerminal(s)) vS[s] = vS[s]! + rS[t]! * x.x[s]!;
    }
  } else {
    const sys = a.system(gamma === 1 ? a.sure : nonTerminal, gamma);
    const reward = (s: number): number => chain.rS[s]!;
    if (bounded) ({ x: vS, errorBound } = sys.solveWithBound(reward));
    else vS = sys.solve(reward);
  }
  if (gamma === 1)
    for (let s = 0; s < m.nS; s++) if (nonTerminal(s) && a.mayAvoidT[s] === 1) vS[s] = Number.NaN;
  return { vS, errorBound };
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

/** Terminal states an episode can end in: entered by a step, or started in. */
function outcomes(m: TabularMdp, entered: readonly number[]): number[] {
  const out = new Set(entered);
  for (let s = 0; s < m.nS; s++) if (m.terminalS[s] === 1 && m.d0[s]! > 0) out.add(s);
  return [...out].sort((x, y) => x - y);
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
