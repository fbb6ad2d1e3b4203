import { uniformTable } from "../../solvers/index.js";
import { bootstrapPredictions } from "../builder/bootstrap.js";
import { assembleAt, prepareStates } from "../builder/build.js";
import { returnOf } from "../builder/fidelity.js";
import { policyTable } from "../builder/fidelity-row.js";
import { nearestCentroid } from "../builder/nearest.js";
import { normalizeInto } from "../builder/normalize.js";
import { type Ci95, percentile95 } from "../core/stats.js";
import type { TabularMdp } from "../model/mdp.js";
import {
  buildOberstSontagMdp,
  decodeState,
  heuristicAction,
  MAX_STEPS,
  N_ACTIONS,
  N_FULL,
  stateReward,
} from "../sim/oberst-sontag/index.js";
import { meanRange } from "./builder-studies.js";

/**
 * The builder against ground truth: the Oberst & Sontag simulator is discrete, so its exact MDP is known.
 * A cohort of n stays is built into an ICU-Sepsis-style MDP (one MDP step per simulator step) and each
 * policy's prediction is compared with its exact survival in the simulator. The builder's k-means states
 * cannot be matched one to one with the exact 1,440 states (the diabetes flag is hidden), so every exact
 * state is mapped to the builder state its observation falls in (as `fidelity` does) and policies are
 * compared by their value on the simulator's own start distribution. Survival is counted the simulator's
 * way: not dead after its 20 steps (discharged, or still in treatment at step 20).
 */
export interface BuilderVsExactRow {
  readonly cohortSeed: number;
  readonly patients: number;
  readonly policy: "behaviour" | "random" | "optimal";
  /** The built MDP's value of the policy (its survival probability). */
  readonly predicted: number;
  /** The policy's exact survival in the simulator (20 steps, from the exact MDP). */
  readonly exact: number;
  /** exact - predicted (the sign `fidelity` uses: truth minus prediction). */
  readonly gap: number;
  /** Bootstrap percentile interval of `predicted` (resampled stays, same clusters), when asked. */
  readonly ci95?: Ci95;
}

export interface BuilderVsExactSize {
  readonly cohortSeed: number;
  readonly patients: number;
  readonly states: number;
  /** Start-distribution weight of states where the built MDP's optimal action is an exactly optimal one. */
  readonly optimalAgreement: number;
  /** Exact optimum of 20-step survival, for scale. */
  readonly exactOptimum: number;
  readonly seconds: number;
}

export interface BuilderVsExactOptions {
  readonly sizes: readonly number[];
  /** One cohort per seed and size (the k-means uses the same seed). */
  readonly seeds: readonly number[];
  readonly threshold: number;
  readonly k: number;
  readonly epsilon?: number;
  readonly bootstrap: number;
  readonly onSize?: (done: number) => void;
}

/** Exploring probability of the behaviour when none is given (the builder's default). */
const DEFAULT_EPSILON = 0.25;

/**
 * Survival within `horizon` steps under a full-state policy, by backward recursion on the exact MDP:
 * u_0 = 1 off death; u_h(s) = sum_a pi(a|s) sum_s' P(s'|s,a) u_{h-1}(s') for non-terminal s. With `pi` null
 * the recursion maximises instead and also returns the optimal first-step Q values.
 */
function survivalWithin(exact: TabularMdp, pi: Float64Array | null, horizon: number) {
  const dead = (s: number): boolean => exact.terminalS[s] === 1 && stateReward(decodeState(s)) < 0;
  let u = new Float64Array(N_FULL);
  for (let s = 0; s < N_FULL; s++) u[s] = dead(s) ? 0 : 1;
  const q = new Float64Array(N_FULL * N_ACTIONS);
  for (let h = 1; h <= horizon; h++) {
    const w = new Float64Array(N_FULL);
    for (let s = 0; s < N_FULL; s++) {
      if (exact.terminalS[s] === 1) {
        w[s] = u[s]!;
        continue;
      }
      let acc = pi === null ? Number.NEGATIVE_INFINITY : 0;
      for (let a = 0; a < N_ACTIONS; a++) {
        const r = s * N_ACTIONS + a;
        let v = 0;
        for (let j = exact.rowPtr[r]!; j < exact.rowPtr[r + 1]!; j++)
          v += exact.prob[j]! * u[exact.next[j]!]!;
        if (h === horizon) q[r] = v;
        acc = pi === null ? Math.max(acc, v) : acc + pi[r]! * v;
      }
      w[s] = acc;
    }
    u = w;
  }
  let value = 0;
  for (let s = 0; s < N_FULL; s++) value += exact.d0[s]! * u[s]!;
  return { value, q };
}

/** Builder state of each exact state (its observation's nearest kept centroid); -1 for terminal states. */
function stateMap(m: TabularMdp, exact: TabularMdp): Int32Array {
  const info = m.metadata.builder as { normalization: Parameters<typeof normalizeInto>[0] };
  const dim = m.centroids!.dim;
  const x = new Float64Array(dim);
  const map = new Int32Array(N_FULL).fill(-1);
  for (let s = 0; s < N_FULL; s++) {
    if (exact.terminalS[s] === 1) continue;
    const v = decodeState(s);
    normalizeInto(info.normalization, [v.hr, v.bp, v.o2, v.g, v.ab, v.va, v.ve], x);
    map[s] = nearestCentroid(x, m.centroids!.data, dim, m.nS - 3);
  }
  return map;
}

/** A builder-state policy as a full-state one (uniform on terminal states, where it is never used). */
function lift(piSA: Float64Array, map: Int32Array): Float64Array {
  const out = new Float64Array(N_FULL * N_ACTIONS).fill(1 / N_ACTIONS);
  for (let s = 0; s < N_FULL; s++) {
    const b = map[s]!;
    if (b >= 0) out.set(piSA.subarray(b * N_ACTIONS, (b + 1) * N_ACTIONS), s * N_ACTIONS);
  }
  return out;
}

/** The behaviour that generated the cohort, exactly: the heuristic, or with probability epsilon a uniform action. */
function exactBehaviour(epsilon: number): Float64Array {
  const pi = new Float64Array(N_FULL * N_ACTIONS).fill(epsilon / N_ACTIONS);
  for (let s = 0; s < N_FULL; s++) pi[s * N_ACTIONS + heuristicAction(decodeState(s))]! += 1 - epsilon;
  return pi;
}

/** Mean and range over cohort seeds of each (size, policy). */
export interface BuilderVsExactSummary {
  readonly patients: number;
  readonly policy: BuilderVsExactRow["policy"];
  readonly cohorts: number;
  readonly predicted: ReturnType<typeof meanRange>;
  readonly exact: ReturnType<typeof meanRange>;
  readonly gap: ReturnType<typeof meanRange>;
}

function acrossSeeds(rows: readonly BuilderVsExactRow[]): BuilderVsExactSummary[] {
  const out: BuilderVsExactSummary[] = [];
  for (const r of rows) {
    if (out.some((x) => x.patients === r.patients && x.policy === r.policy)) continue;
    const rs = rows.filter((x) => x.patients === r.patients && x.policy === r.policy);
    out.push({
      patients: r.patients,
      policy: r.policy,
      cohorts: rs.length,
      predicted: meanRange(rs.map((x) => x.predicted)),
      exact: meanRange(rs.map((x) => x.exact)),
      gap: meanRange(rs.map((x) => x.gap)),
    });
  }
  return out;
}

/**
 * The builder against the truth it approximates: for each cohort seed and size, build an MDP from an
 * Oberst & Sontag cohort and compare its predicted survival of the behaviour, uniform-random and its own
 * optimal policy with their exact 20-step survival in the simulator's exact MDP (`study builder-vs-exact`).
 * Deterministic for given options; `seconds` is the only measured field.
 * @example
 * const out = builderVsExact({ sizes: [200], seeds: [1], threshold: 5, k: 8, bootstrap: 0 });
 * out.rows.map((r) => r.policy); //=> ["behaviour", "random", "optimal"]
 */
export function builderVsExact(o: BuilderVsExactOptions): {
  rows: BuilderVsExactRow[];
  sizes: BuilderVsExactSize[];
  acrossCohorts: BuilderVsExactSummary[];
} {
  const exact = buildOberstSontagMdp("master");
  const epsilon = o.epsilon ?? DEFAULT_EPSILON;
  const best = survivalWithin(exact, null, MAX_STEPS);
  const behaviourExact = survivalWithin(exact, exactBehaviour(epsilon), MAX_STEPS).value;
  const randomExact = survivalWithin(exact, uniformTable(exact), MAX_STEPS).value;
  const rows: BuilderVsExactRow[] = [];
  const sizes: BuilderVsExactSize[] = [];
  for (const seed of o.seeds)
    for (const patients of o.sizes) {
      const t0 = performance.now();
      const prep = prepareStates({
        simulator: "oberst-sontag",
        patients,
        seed,
        k: o.k,
        blockHours: 1,
        epsilon,
      });
      const m = assembleAt(prep, o.threshold).mdp;
      const map = stateMap(m, exact);
      const tables = {
        behaviour: policyTable(m, "behaviour"),
        random: uniformTable(m),
        optimal: policyTable(m, "optimal"),
      };
      const boot =
        o.bootstrap > 0
          ? bootstrapPredictions(
              prep,
              o.threshold,
              Object.entries(tables).map(([policy, table]) => ({ policy, table })),
              { replicates: o.bootstrap, seed },
            )
          : null;
      const exactOf = {
        behaviour: behaviourExact,
        random: randomExact,
        optimal: survivalWithin(exact, lift(tables.optimal, map), MAX_STEPS).value,
      };
      for (const policy of ["behaviour", "random", "optimal"] as const) {
        const predicted = returnOf(m, tables[policy]).value;
        const samples = boot?.get(policy);
        rows.push({
          cohortSeed: seed,
          patients,
          policy,
          predicted,
          exact: exactOf[policy],
          gap: exactOf[policy] - predicted,
          ...(samples ? { ci95: percentile95(samples) } : {}),
        });
      }
      // Ties: an action counts as exactly optimal within 1e-12 of the best first-step value.
      let agree = 0;
      for (let s = 0; s < N_FULL; s++) {
        if (exact.d0[s] === 0 || map[s]! < 0) continue;
        let top = Number.NEGATIVE_INFINITY;
        for (let a = 0; a < N_ACTIONS; a++) top = Math.max(top, best.q[s * N_ACTIONS + a]!);
        const b = map[s]!;
        let chosen = 0;
        for (let a = 1; a < N_ACTIONS; a++)
          if (tables.optimal[b * N_ACTIONS + a]! > tables.optimal[b * N_ACTIONS + chosen]!) chosen = a;
        if (best.q[s * N_ACTIONS + chosen]! >= top - 1e-12) agree += exact.d0[s]!;
      }
      sizes.push({
        cohortSeed: seed,
        patients,
        states: m.nS,
        optimalAgreement: agree,
        exactOptimum: best.value,
        seconds: (performance.now() - t0) / 1000,
      });
      o.onSize?.(sizes.length);
    }
  return { rows, sizes, acrossCohorts: acrossSeeds(rows) };
}
