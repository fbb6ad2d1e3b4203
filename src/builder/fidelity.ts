import { deterministicTable, expectedReturnOf, uniformTable, valueIteration } from "../../solvers/index.js";
import { optimalPolicy } from "../../solvers/plan.js";
import { UsageError } from "../core/errors.js";
import { derive, type Rng } from "../core/rng.js";
import { wilson } from "../core/stats.js";
import { expectedRewardSA, type TabularMdp } from "../model/mdp.js";
import { createSimulator } from "../sim/registry.js";
import { type ActionAdapter, actionAdapter, type Channel, decodeDigits } from "./actions.js";
import type { DoseBins } from "./binning.js";
import { nearestCentroid } from "./nearest.js";
import { type Normalizer, normalizeInto } from "./normalize.js";

/** What a built MDP's metadata.json says about its recipe (the parts needed to act in the simulator). */
export interface BuilderInfo {
  readonly simulator: string;
  readonly tier: string | null;
  readonly block_hours: number;
  readonly normalization: Normalizer;
  readonly actions: readonly (Channel & { readonly bins: DoseBins | null })[];
}

export function builderInfo(m: TabularMdp): BuilderInfo {
  const b = m.metadata.builder as Partial<BuilderInfo> | undefined;
  if (b?.simulator === undefined || b.normalization === undefined || b.actions === undefined)
    throw new UsageError("this MDP was not made by `tabmdp build` (metadata.json has no builder section)");
  if (m.centroids === null) throw new UsageError("this MDP has no stateClusterCenters");
  return b as BuilderInfo;
}

/** random = uniform over all actions (the ICU-Sepsis baseline), expert = the stored table, optimal = VI. */
export function namedPolicy(m: TabularMdp, name: "random" | "expert" | "optimal"): Float64Array {
  if (name === "random") return uniformTable(m);
  if (name === "expert") {
    if (m.expertPolicy === null) throw new UsageError("this MDP has no expert policy");
    return m.expertPolicy;
  }
  // The tie rule's policy ends surely whenever some optimal policy does. When none does (staying beats every
  // way out), the greedy policy of a barely discounted problem has the same value to ~1e-6 and may end.
  const chosen = deterministicTable(m, optimalPolicy(m, { gamma: 1 }));
  if (returnOf(m, chosen).exact) return chosen;
  return deterministicTable(m, valueIteration(m, { gamma: 1 - 1e-6, gaussSeidel: true }).policyS);
}

/** A simulated proportion with its Wilson 95 % interval and the number of trials. */
export interface Proportion {
  readonly estimate: number;
  readonly low: number;
  readonly high: number;
  readonly n: number;
}

/** Wilson 95 % score interval for a proportion (with n kept for reports). */
export function wilsonProportion(successes: number, n: number): Proportion {
  return { ...wilson(successes, n), n };
}

function sampleAction(piSA: Float64Array, s: number, nA: number, rng: Rng): number {
  let u = rng.next();
  for (let a = 0; a < nA; a++) {
    u -= piSA[s * nA + a]!;
    if (u < 0) return a;
  }
  for (let a = nA - 1; a >= 0; a--) if (piSA[s * nA + a]! > 0) return a;
  return 0;
}

export interface SimulateOptions {
  readonly patients: number;
  readonly seed: number;
  /** Hears the number of simulated stays after each one (for progress bars). */
  readonly onPatient?: (done: number) => void;
}

/**
 * Run an MDP policy in the simulator the MDP was built from: at each block start the observation is
 * normalised, mapped to the nearest centroid's state, an action drawn from piSA, and its bins' median doses
 * given for the block. Returns the simulated survival with a Wilson 95 % interval.
 */
export function simulatePolicy(m: TabularMdp, piSA: Float64Array, o: SimulateOptions): Proportion {
  const info = builderInfo(m);
  const created = createSimulator(info.simulator, info.tier === null ? {} : { tier: info.tier });
  const sim = created.simulator;
  const adapter: ActionAdapter = actionAdapter(sim);
  const K = m.nS - 3;
  const dim = m.centroids!.dim;
  const cent = m.centroids!.data;
  const x = new Float64Array(dim);
  const rng = derive(o.seed, "fidelity-policy");
  const H = info.block_hours;
  let survived = 0;
  for (let p = 0; p < o.patients; p++) {
    let obs = sim.reset(`${o.seed}/fidelity-${p}`);
    let t = 0;
    let dead = false;
    let done = false;
    while (!done) {
      normalizeInto(info.normalization, obs, x);
      const s = nearestCentroid(x, cent, dim, K);
      const digits = decodeDigits(info.actions, sampleAction(piSA, s, m.nA, rng));
      const targets = digits.map((d, i) => info.actions[i]!.bins?.medians[d] ?? d);
      for (let h = 0; h < H && !done; h++) {
        const r = sim.step(adapter.act(obs, targets, h, H));
        obs = r.obs;
        t++;
        if (r.terminated || r.truncated || t >= sim.maxSteps) {
          done = true;
          dead = r.outcome === "dead";
        }
      }
    }
    if (!dead) survived++;
    o.onPatient?.(p + 1);
  }
  return wilsonProportion(survived, o.patients);
}

/**
 * The policy's expected return when episodes may fail to end (gamma = 1): exact evaluation when the policy
 * terminates surely, else the least fixed point of V = r + P V from V = 0 (the return collected by
 * terminating episodes), iterated to 1e-13.
 */
export function returnOf(m: TabularMdp, piSA: Float64Array): { value: number; exact: boolean } {
  try {
    return { value: expectedReturnOf(m, piSA, { gamma: 1 }), exact: true };
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
  }
  const rSA = expectedRewardSA(m);
  let v = new Float64Array(m.nS);
  for (let it = 0; it < 1_000_000; it++) {
    const w = new Float64Array(m.nS);
    let delta = 0;
    for (let s = 0; s < m.nS; s++) {
      if (m.terminalS[s] === 1) continue;
      let acc = 0;
      for (let a = 0; a < m.nA; a++) {
        const pa = piSA[s * m.nA + a]!;
        if (pa === 0) continue;
        const r = s * m.nA + a;
        let q = rSA[r]!;
        for (let j = m.rowPtr[r]!; j < m.rowPtr[r + 1]!; j++) q += m.prob[j]! * v[m.next[j]!]!;
        acc += pa * q;
      }
      w[s] = acc;
      delta = Math.max(delta, Math.abs(acc - v[s]!));
    }
    v = w;
    if (delta < 1e-13) break;
  }
  let value = 0;
  for (let s = 0; s < m.nS; s++) value += m.d0[s]! * v[s]!;
  return { value, exact: false };
}
