import { ModelError } from "../core/errors.js";
import type { TabularMdp } from "./mdp.js";

/** The actions each state maximises over: admissible ones, or all. Flat lists (CSR-like) for the sweeps. */
export interface ActionSets {
  readonly ptr: Int32Array;
  readonly actions: Int32Array;
}

export function actionSets(m: TabularMdp, admissibleOnly: boolean): ActionSets {
  const ptr = new Int32Array(m.nS + 1);
  const list: number[] = [];
  for (let s = 0; s < m.nS; s++) {
    let any = false;
    for (let a = 0; a < m.nA; a++) {
      if (!admissibleOnly || m.admissibleSA[s * m.nA + a] === 1) {
        list.push(a);
        any = true;
      }
    }
    if (!any && m.terminalS[s] === 0) {
      // Loading rejects this with the file's line; a model built in code gets the same refusal here.
      throw new ModelError(
        `state ${s} is not terminal but has no admissible action: give it at least one, or make it terminal`,
      );
    }
    // A terminal state never acts: its set only fills the sweeps' layout, so all actions will do.
    if (!any) for (let a = 0; a < m.nA; a++) list.push(a);
    ptr[s + 1] = list.length;
  }
  return { ptr, actions: Int32Array.from(list) };
}
