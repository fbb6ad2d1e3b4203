import { ModelError } from "../core/errors.js";
import type { TabularMdp } from "./mdp.js";

/** The actions each state maximises over: admissible ones, or all. Flat lists (CSR-like) for the sweeps. */
export interface ActionSets {
  readonly ptr: Int32Array;
  readonly actions: Int32Array;
}

export function actionSets(m: TabularMdp, admissibleOnly: boolean): ActionSets {
  const { nS, nA, admissibleSA, terminalS } = m;
  // Counted first, then written into a typed array: a growing plain array of 10^6 actions and its copy
  // cost more than both passes (large MDPs).
  const ptr = new Int32Array(nS + 1);
  for (let s = 0; s < nS; s++) {
    let count = 0;
    if (admissibleOnly) for (let a = 0; a < nA; a++) count += admissibleSA[s * nA + a] === 1 ? 1 : 0;
    else count = nA;
    if (count === 0 && terminalS[s] === 0) {
      // Loading rejects this with the file's line; a model built in code gets the same refusal here.
      throw new ModelError(
        `state ${s} is not terminal but has no admissible action: give it at least one, or make it terminal`,
      );
    }
    // A terminal state never acts: its set only fills the sweeps' layout, so all actions will do.
    ptr[s + 1] = ptr[s]! + (count === 0 ? nA : count);
  }
  const actions = new Int32Array(ptr[nS]!);
  for (let s = 0; s < nS; s++) {
    const all = ptr[s + 1]! - ptr[s]! === nA;
    let at = ptr[s]!;
    for (let a = 0; a < nA; a++) if (all || admissibleSA[s * nA + a] === 1) actions[at++] = a;
  }
  return { ptr, actions };
}
