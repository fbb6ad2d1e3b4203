/**
 * The exact tabular MDP of the Oberst & Sontag simulator over its 1,440 full states
 * (diabetic·720 + observation index), 8 actions, enumerated from the rules (see exact.ts).
 */
import { UsageError } from "../../core/errors.js";
import { CsrBuilder, makeMdp } from "../../model/build.js";
import type { TabularMdp } from "../../model/mdp.js";
import { exactRow } from "./exact.js";
import { heuristicAction } from "./policies.js";
import {
  decodeState,
  INIT_BP,
  INIT_G,
  INIT_HR,
  INIT_O2,
  N_ACTIONS,
  N_FULL,
  N_OBS,
  OBERST_VARIANTS,
  type OberstVariant,
  obsIndex,
  P_MIXTURE,
  stateReward,
} from "./state.js";

export interface OberstMdpOptions {
  /**
   * "absorbing" (default, episodic): death and discharge states are terminal, every action loops on them
   * with probability 1, and their reward is earned once, on entering.
   * "repository": the paper notebook's full MDP, where their rows are simulated like any other state, no
   * state is terminal and the reward is earned again on every entry.
   */
  readonly terminals?: "absorbing" | "repository";
  /** Discount written to metadata (the paper's 0.99). */
  readonly gamma?: number;
}

/** Exact probability that a draw from a component's initial marginals is accepted (not death/discharge). */
export function initialAcceptance(diabetic: 0 | 1): number {
  const prior = rawInitialPrior(diabetic);
  let acc = 0;
  for (let s = 0; s < N_OBS; s++) if (stateReward(decodeState(s)) === 0) acc += prior[s]!;
  return acc;
}

/** Product of the initial marginals over observation indices (treatments off), before rejection. */
function rawInitialPrior(diabetic: 0 | 1): Float64Array {
  const out = new Float64Array(N_OBS);
  const gs = INIT_G[diabetic]!;
  for (let hr = 0; hr < 3; hr++)
    for (let bp = 0; bp < 3; bp++)
      for (let o2 = 0; o2 < 2; o2++)
        for (let g = 0; g < 5; g++) {
          const x = { hr, bp, o2, g, ab: 0, va: 0, ve: 0, diabetic };
          out[obsIndex(x)] = INIT_HR[hr]! * INIT_BP[bp]! * INIT_O2[o2]! * gs[g]!;
        }
  return out;
}

/**
 * Initial distribution over the 1,440 full states: each component's prior with absorbing states rejected
 * exactly (renormalised within the component), mixed with weights [0.8, 0.2].
 */
export function oberstInitialDistribution(): Float64Array {
  const d0 = new Float64Array(N_FULL);
  for (const c of [0, 1] as const) {
    const prior = rawInitialPrior(c);
    const z = initialAcceptance(c);
    for (let s = 0; s < N_OBS; s++) {
      if (stateReward(decodeState(s)) === 0) d0[c * N_OBS + s] = (P_MIXTURE[c]! * prior[s]!) / z;
    }
  }
  return d0;
}

/**
 * Build the exact MDP of one variant. Rewards are next-state rewards R(s') = −1 (death: 3+ abnormal vitals),
 * +1 (discharge: all normal, no treatment), else 0. Metadata names the terminal states (`terminal_states`,
 * split into `death_states` and `discharge_states`); there is no single `death_state` since 832 states
 * (416 per component) are deaths.
 * @example
 * const m = buildOberstSontagMdp("master", { terminals: "repository" });
 * m.next.length; //=> 108238
 */
export function buildOberstSontagMdp(variant: OberstVariant, options: OberstMdpOptions = {}): TabularMdp {
  if (!OBERST_VARIANTS.includes(variant))
    throw new UsageError(`variant must be ${OBERST_VARIANTS.join(" or ")}, got "${String(variant)}"`);
  const terminals = options.terminals ?? "absorbing";
  if (terminals !== "absorbing" && terminals !== "repository")
    throw new UsageError(`terminals must be "absorbing" or "repository", got "${String(terminals)}"`);
  const absorbing = terminals === "absorbing";
  const b = new CsrBuilder(N_FULL * N_ACTIONS);
  const rS = new Float64Array(N_FULL);
  const terminalS = new Uint8Array(N_FULL);
  const death: number[] = [];
  const discharge: number[] = [];
  const expert = new Float64Array(N_FULL * N_ACTIONS);
  for (let s = 0; s < N_FULL; s++) {
    const x = decodeState(s);
    const r = stateReward(x);
    rS[s] = r;
    if (r === -1) death.push(s);
    if (r === 1) discharge.push(s);
    const stop = r !== 0 && absorbing;
    if (stop) terminalS[s] = 1;
    expert[s * N_ACTIONS + heuristicAction(x)] = 1;
    for (let a = 0; a < N_ACTIONS; a++) {
      if (stop) {
        b.push(s, 1);
      } else {
        const row = exactRow(x, a, variant);
        for (let k = 0; k < row.next.length; k++) b.push(row.next[k]!, row.prob[k]!);
      }
      b.endRow();
    }
  }
  const csr = b.finish();
  const terminalList = absorbing ? [...death, ...discharge].sort((u, v) => u - v) : [];
  return makeMdp({
    nS: N_FULL,
    nA: N_ACTIONS,
    ...csr,
    reward: { kind: "next-state", rS },
    d0: oberstInitialDistribution(),
    terminalS,
    expertPolicy: expert,
    metadata: {
      name: `oberst-sontag-${variant}`,
      description:
        "Exact tabular MDP of the Oberst & Sontag (ICML 2019) discrete sepsis simulator; " +
        "state = diabetic*720 + obs index, action = 4*abx + 2*vent + vaso",
      variant,
      terminals,
      gamma: options.gamma ?? 0.99,
      p_mixture: [...P_MIXTURE],
      terminal_states: terminalList,
      death_states: death,
      discharge_states: discharge,
      expert_policy: "heuristic clinician rule (deterministic)",
    },
  });
}
