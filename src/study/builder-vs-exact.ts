import { finiteHorizonPlan, uniformTable } from "../../solvers/index.js";
import { bootstrapPredictions } from "../builder/bootstrap.js";
import { assembleAt, prepareStates } from "../builder/build.js";
import { policyTable, predictions } from "../builder/fidelity-row.js";
import { horizonBlocks, survivalOnHorizon } from "../builder/horizon.js";
import { nearestCentroid } from "../builder/nearest.js";
import { normalizeInto } from "../builder/normalize.js";
import { type TieBreak, tieBreakKey, tieBreakPolicies } from "../builder/tie-breaks.js";
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
import { meanRange, rowLabel } from "./builder-studies.js";

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
  /** Optimal policy only: which optimal policy of the built MDP (one row per tie-break, see tie-breaks.ts). */
  readonly tieBreak?: TieBreak;
  /**
   * The built MDP's survival for the policy: on the simulator's horizon (its 20 steps, alive then = survivor)
   * and with no horizon; each with a bootstrap percentile interval (resampled stays, same clusters) when asked.
   */
  readonly predicted: {
    readonly horizon: { readonly survival: number; readonly blocks: number; readonly ci95?: Ci95 };
    readonly infinite: { readonly survival: number; readonly ci95?: Ci95 };
  };
  /** The policy's exact survival in the simulator (20 steps, from the exact MDP). */
  readonly exact: number;
  /** exact - predicted (the sign `fidelity` uses: truth minus prediction); interval from the prediction's. */
  readonly gap: {
    readonly horizon: { readonly value: number; readonly ci95?: Ci95 };
    readonly infinite: { readonly value: number; readonly ci95?: Ci95 };
  };
}

export interface BuilderVsExactSize {
  readonly cohortSeed: number;
  readonly patients: number;
  readonly states: number;
  /** Start-distribution weight of states where the built MDP's optimal action (tie rule) is an exactly optimal one. */
  readonly optimalAgreement: number;
  /** The same weight for each tie-break of the built MDP's optimal actions. */
  readonly tieBreakAgreement: Readonly<Record<TieBreak, number>>;
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

const isDeath = (exact: TabularMdp, s: number): boolean =>
  exact.terminalS[s] === 1 && stateReward(decodeState(s)) < 0;

/**
 * The simulator's rule on the exact MDP: a stay survives unless it dies within MAX_STEPS steps. The optimum
 * of that is a finite-horizon plan with reward -1 on entering death (survival = 1 + value); its first-step
 * Q values tell which actions are exactly optimal at the start.
 */
function bestWithinHorizon(exact: TabularMdp): { value: number; q: Float64Array } {
  const rS = new Float64Array(N_FULL);
  for (let s = 0; s < N_FULL; s++) if (isDeath(exact, s)) rS[s] = -1;
  const penalised: TabularMdp = { ...exact, reward: { kind: "next-state", rS } };
  const plan = finiteHorizonPlan(penalised, { horizon: MAX_STEPS, gamma: 1, admissibleOnly: false });
  const after = plan.valuesTS.subarray(N_FULL, 2 * N_FULL);
  const q = new Float64Array(N_FULL * N_ACTIONS);
  for (let r = 0; r < N_FULL * N_ACTIONS; r++)
    for (let j = exact.rowPtr[r]!; j < exact.rowPtr[r + 1]!; j++)
      q[r]! += exact.prob[j]! * (rS[exact.next[j]!]! + after[exact.next[j]!]!);
  let value = 0;
  for (let s = 0; s < N_FULL; s++) value += exact.d0[s]! * plan.valuesTS[s]!;
  return { value: 1 + value, q };
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

/** Mean and range over cohort seeds of each (size, policy and tie-break). */
export interface BuilderVsExactSummary {
  readonly patients: number;
  /** The policy, with its tie-break for the optimal policy's rows. */
  readonly policy: string;
  readonly cohorts: number;
  readonly predicted: { readonly horizon: MeanRange; readonly infinite: MeanRange };
  readonly exact: MeanRange;
  readonly gap: { readonly horizon: MeanRange; readonly infinite: MeanRange };
}

type MeanRange = ReturnType<typeof meanRange>;

function acrossSeeds(rows: readonly BuilderVsExactRow[]): BuilderVsExactSummary[] {
  const out: BuilderVsExactSummary[] = [];
  for (const r of rows) {
    const policy = rowLabel(r);
    if (out.some((x) => x.patients === r.patients && x.policy === policy)) continue;
    const rs = rows.filter((x) => x.patients === r.patients && rowLabel(x) === policy);
    out.push({
      patients: r.patients,
      policy,
      cohorts: rs.length,
      predicted: {
        horizon: meanRange(rs.map((x) => x.predicted.horizon.survival)),
        infinite: meanRange(rs.map((x) => x.predicted.infinite.survival)),
      },
      exact: meanRange(rs.map((x) => x.exact)),
      gap: {
        horizon: meanRange(rs.map((x) => x.gap.horizon.value)),
        infinite: meanRange(rs.map((x) => x.gap.infinite.value)),
      },
    });
  }
  return out;
}

/** Start-distribution weight of exact states where the built policy's action is exactly optimal at step 0. */
function agreement(
  exact: TabularMdp,
  best: { q: Float64Array },
  map: Int32Array,
  piSA: Float64Array,
): number {
  // Ties: an action counts as exactly optimal within 1e-12 of the best first-step value.
  let agree = 0;
  for (let s = 0; s < N_FULL; s++) {
    if (exact.d0[s] === 0 || map[s]! < 0) continue;
    let top = Number.NEGATIVE_INFINITY;
    for (let a = 0; a < N_ACTIONS; a++) top = Math.max(top, best.q[s * N_ACTIONS + a]!);
    const b = map[s]!;
    let chosen = 0;
    for (let a = 1; a < N_ACTIONS; a++)
      if (piSA[b * N_ACTIONS + a]! > piSA[b * N_ACTIONS + chosen]!) chosen = a;
    if (best.q[s * N_ACTIONS + chosen]! >= top - 1e-12) agree += exact.d0[s]!;
  }
  return agree;
}

/**
 * The builder against the truth it approximates: for each cohort seed and size, build an MDP from an
 * Oberst & Sontag cohort and compare its predicted survival of the behaviour, uniform-random and its own
 * optimal policy with their exact 20-step survival in the simulator's exact MDP (`study builder-vs-exact`).
 * Deterministic for given options; `seconds` is the only measured field.
 * @example
 * const out = builderVsExact({ sizes: [200], seeds: [1], threshold: 5, k: 8, bootstrap: 0 });
 * out.rows.map((r) => r.tieBreak ?? r.policy); //=> ["behaviour", "random", "tie-rule", "most-frequent", "least-frequent"]
 */
export function builderVsExact(o: BuilderVsExactOptions): {
  rows: BuilderVsExactRow[];
  sizes: BuilderVsExactSize[];
  acrossCohorts: BuilderVsExactSummary[];
} {
  const exact = buildOberstSontagMdp("master");
  const deaths: number[] = [];
  for (let s = 0; s < N_FULL; s++) if (isDeath(exact, s)) deaths.push(s);
  const exactSurvival = (pi: Float64Array): number => survivalOnHorizon(exact, pi, MAX_STEPS, deaths);
  const blocks = horizonBlocks(MAX_STEPS, 1);
  const epsilon = o.epsilon ?? DEFAULT_EPSILON;
  const best = bestWithinHorizon(exact);
  const behaviourExact = exactSurvival(exactBehaviour(epsilon));
  const randomExact = exactSurvival(uniformTable(exact));
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
      const ties = tieBreakPolicies(m);
      const tables = [
        { policy: "behaviour" as const, table: policyTable(m, "behaviour"), exact: behaviourExact },
        { policy: "random" as const, table: uniformTable(m), exact: randomExact },
        ...ties.map((t) => ({
          policy: "optimal" as const,
          tieBreak: t.tieBreak,
          table: t.table,
          exact: exactSurvival(lift(t.table, map)),
        })),
      ];
      const key = (t: { policy: string; tieBreak?: TieBreak }): string =>
        t.tieBreak === undefined ? t.policy : tieBreakKey(t.tieBreak);
      const boot =
        o.bootstrap > 0
          ? bootstrapPredictions(
              prep,
              o.threshold,
              tables.map((t) => ({ policy: key(t), table: t.table })),
              { replicates: o.bootstrap, seed, blocks },
            )
          : null;
      for (const t of tables) {
        const predicted = predictions(m, t.table, blocks);
        const samples = boot?.get(key(t));
        const ci = (xs: Float64Array | undefined) => (xs ? { ci95: percentile95(xs) } : {});
        const gapCi = (xs: Float64Array | undefined) => {
          if (xs === undefined) return {};
          const [lo, hi] = percentile95(xs);
          return { ci95: [t.exact - hi, t.exact - lo] as const };
        };
        rows.push({
          cohortSeed: seed,
          patients,
          policy: t.policy,
          ...("tieBreak" in t ? { tieBreak: t.tieBreak } : {}),
          predicted: {
            horizon: { survival: predicted.horizon, blocks, ...ci(samples?.horizon) },
            infinite: { survival: predicted.infinite, ...ci(samples?.infinite) },
          },
          exact: t.exact,
          gap: {
            horizon: { value: t.exact - predicted.horizon, ...gapCi(samples?.horizon) },
            infinite: { value: t.exact - predicted.infinite, ...gapCi(samples?.infinite) },
          },
        });
      }
      const tieBreakAgreement = Object.fromEntries(
        ties.map((t) => [t.tieBreak, agreement(exact, best, map, t.table)]),
      ) as Record<TieBreak, number>;
      sizes.push({
        cohortSeed: seed,
        patients,
        states: m.nS,
        optimalAgreement: tieBreakAgreement["tie-rule"],
        tieBreakAgreement,
        exactOptimum: best.value,
        seconds: (performance.now() - t0) / 1000,
      });
      o.onSize?.(sizes.length);
    }
  return { rows, sizes, acrossCohorts: acrossSeeds(rows) };
}
