/**
 * The Oberst & Sontag (ICML 2019) discrete sepsis simulator, sampled step by step. Written independently of
 * exact.ts (rules applied in order with one uniform draw per random event) so tests can compare the two.
 */
import { UsageError } from "../../core/errors.js";
import { type Rng, seeded } from "../../core/rng.js";
import type { FeatureSpec, Outcome, SimOptions, SimStep, Simulator } from "../types.js";
import {
  ACTION_NAMES,
  decodeAction,
  INIT_BP,
  INIT_G,
  INIT_HR,
  INIT_O2,
  MAX_STEPS,
  N_ACTIONS,
  type OberstState,
  type OberstVariant,
  P_DIABETIC,
  stateReward,
} from "./state.js";

/**
 * The random events of one transition. With noise on each event uses one uniform draw, made only when its
 * condition holds. With noise off every event takes its most likely outcome: a Bernoulli event happens iff
 * p ≥ 0.5, and a multi-outcome event (fluctuations) picks its likeliest branch, ties going to the first listed.
 */
export interface Draws {
  bern(p: number): boolean;
  /** Index i of the outcome with probability ps[i], or ps.length for "none of them". */
  pick(ps: readonly number[]): number;
}

export function draws(rng: Rng, noise: boolean): Draws {
  if (noise)
    return {
      bern: (p) => rng.next() < p,
      pick: (ps) => {
        const u = rng.next();
        let acc = 0;
        for (let i = 0; i < ps.length; i++) {
          acc += ps[i]!;
          if (u < acc) return i;
        }
        return ps.length;
      },
    };
  return {
    bern: (p) => p >= 0.5,
    pick: (ps) => {
      let best = ps.length;
      let bestP = 1 - ps.reduce((s, p) => s + p, 0);
      for (let i = ps.length - 1; i >= 0; i--) {
        if (ps[i]! >= bestP) {
          best = i;
          bestP = ps[i]!;
        }
      }
      return best;
    },
  };
}

/** ±1 step with floor 0 and the given cap: −1 w.p. down, +1 w.p. up. */
function fluct(v: number, down: number, up: number, cap: number, d: Draws): number {
  const i = d.pick([down, up]);
  return i === 0 ? Math.max(0, v - 1) : i === 1 ? Math.min(cap, v + 1) : v;
}

/** One transition: antibiotics, ventilation, vasopressors, then fluctuation of the untouched vitals. */
export function sampleTransition(x: OberstState, a: number, variant: OberstVariant, d: Draws): OberstState {
  const t = decodeAction(a);
  let { hr, bp, o2, g } = x;
  let flHr = true;
  let flBp = true;
  let flO2 = true;
  let flG = true;
  if (t.abx === 1) {
    if (hr === 2 && d.bern(0.5)) hr = 1;
    if (bp === 2 && d.bern(0.5)) bp = 1;
    flHr = flBp = false;
  } else if (x.ab === 1) {
    if (hr === 1 && d.bern(0.1)) hr = 2;
    if (bp === 1 && d.bern(0.1)) bp = 2;
    flHr = flBp = false;
  }
  if (t.vent === 1) {
    if (o2 === 0 && d.bern(0.7)) o2 = 1;
    flO2 = false;
  } else if (x.ve === 1) {
    if (o2 === 1 && d.bern(0.1)) o2 = 0;
    flO2 = false;
  }
  if (t.vaso === 1) {
    if (x.diabetic === 0) {
      if (bp < 2 && d.bern(0.7)) bp += 1;
    } else {
      if (bp === 1 && d.bern(0.9)) bp = 2;
      else if (bp === 0) bp = [1, 2, 0][d.pick([0.5, 0.4])]!;
      if (d.bern(0.5)) g = Math.min(4, g + 1);
    }
    flBp = flG = false;
  } else if (x.va === 1) {
    if (d.bern(x.diabetic === 0 ? 0.1 : 0.05)) bp = Math.max(0, bp - 1);
    flBp = false;
  }
  if (flHr) hr = fluct(hr, 0.1, 0.1, 2, d);
  if (flBp) bp = fluct(bp, 0.1, 0.1, 2, d);
  if (flO2) o2 = fluct(o2, 0.1, 0.1, 1, d);
  if (flG) {
    // master: a non-diabetic "rise" is min(1, g + 1), the published bug; sim-v2 caps at 4.
    g = x.diabetic === 1 ? fluct(g, 0.3, 0.3, 4, d) : fluct(g, 0.1, 0.1, variant === "master" ? 1 : 4, d);
  }
  return { hr, bp, o2, g, ab: t.abx, va: t.vaso, ve: t.vent, diabetic: x.diabetic };
}

/** Draw from the initial marginals until the state is neither death nor discharge. */
export function sampleInitialState(rng: Rng, diabetic?: 0 | 1): OberstState {
  const dia = diabetic ?? (rng.next() < P_DIABETIC ? 1 : 0);
  const d = draws(rng, true);
  // The last level takes the remaining probability.
  const cat = (ps: readonly number[]): number => d.pick(ps.slice(0, -1));
  for (;;) {
    const x = {
      hr: cat(INIT_HR),
      bp: cat(INIT_BP),
      o2: cat(INIT_O2),
      g: cat(INIT_G[dia]!),
      ab: 0,
      va: 0,
      ve: 0,
      diabetic: dia,
    };
    if (stateReward(x) === 0) return x;
  }
}

export interface OberstSimOptions extends SimOptions {
  readonly variant?: OberstVariant;
  /** Fix the hidden diabetes flag instead of drawing it (P = 0.2). */
  readonly diabetic?: 0 | 1;
}

/** The simulator plus a read-only view of the full state (including the hidden flag) for analysis. */
export interface OberstSimulator extends Simulator {
  fullState(): OberstState;
}

const level = (name: string, high: number): FeatureSpec => ({ name, unit: "level", low: 0, high });
const flag = (name: string): FeatureSpec => ({ name, unit: "on/off", low: 0, high: 1, binary: true });

export const OBERST_OBSERVATION: readonly FeatureSpec[] = [
  level("hr", 2),
  level("bp", 2),
  level("o2", 1),
  level("glucose", 4),
  flag("ab"),
  flag("va"),
  flag("ve"),
];

const observe = (x: OberstState): Float64Array => Float64Array.of(x.hr, x.bp, x.o2, x.g, x.ab, x.va, x.ve);

/**
 * Create a simulator. Noise off affects the dynamics only: the initial state is still drawn from the reset
 * seed (most-likely draws would always give the rejected all-normal state).
 */
export function createOberstSontag(options: OberstSimOptions = {}): OberstSimulator {
  const variant = options.variant ?? "master";
  const noise = options.noise ?? true;
  let rng: Rng | null = null;
  let x: OberstState | null = null;
  let t = 0;
  let done = false;
  return {
    id: "oberst-sontag",
    observation: OBERST_OBSERVATION,
    actions: { kind: "discrete", n: N_ACTIONS, names: ACTION_NAMES },
    maxSteps: MAX_STEPS,
    reset(seed) {
      rng = seeded(seed);
      x = sampleInitialState(rng, options.diabetic);
      t = 0;
      done = false;
      return observe(x);
    },
    step(action): SimStep {
      if (rng === null || x === null) throw new UsageError("step() called before reset()");
      if (done) throw new UsageError("step() called after the episode ended; call reset()");
      const a = action[0];
      if (action.length !== 1 || a === undefined || !Number.isInteger(a) || a < 0 || a >= N_ACTIONS)
        throw new UsageError(`action must be one integer in [0, ${N_ACTIONS}), got [${action.join(", ")}]`);
      x = sampleTransition(x, a, variant, draws(rng, noise));
      t++;
      const reward = stateReward(x);
      const terminated = reward !== 0;
      const truncated = !terminated && t >= MAX_STEPS;
      done = terminated || truncated;
      const outcome: Outcome = reward < 0 ? "dead" : reward > 0 ? "stable" : "alive";
      return { obs: observe(x), reward, terminated, truncated, outcome };
    },
    fullState() {
      if (x === null) throw new UsageError("fullState() called before reset()");
      return x;
    },
  };
}
