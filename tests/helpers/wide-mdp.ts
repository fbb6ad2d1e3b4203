import { makeMdp } from "../../src/model/build.js";
import type { TabularMdp } from "../../src/model/mdp.js";

/**
 * A forward chain over more states than 16-bit ids reach (the kernels' wide record layout). Action a moves
 * from s to s + moves[a][0] with probability pFirst, else to s + moves[a][1]; the last max-move states are
 * terminal. Episodes start in `starts` (equal weights); entering s earns reward(s), or with
 * `rewardOfAction`, taking a in s earns rewardOfAction(s, a) (an R(s, a) table).
 */
export function wideChainMdp(o: {
  readonly nS: number;
  readonly moves: readonly (readonly [number, number])[];
  readonly pFirst: number;
  readonly starts: readonly number[];
  readonly reward: (s: number) => number;
  readonly rewardOfAction?: (s: number, a: number) => number;
}): TabularMdp {
  const { nS, moves } = o;
  const reach = Math.max(...moves.flat());
  const rowPtr = new Int32Array(nS * moves.length + 1);
  const next: number[] = [];
  const prob: number[] = [];
  for (let s = 0; s < nS; s++) {
    moves.forEach(([near, far], a) => {
      if (s + reach < nS) {
        next.push(s + near, s + far);
        prob.push(o.pFirst, 1 - o.pFirst);
      } else {
        next.push(s);
        prob.push(1);
      }
      rowPtr[s * moves.length + a + 1] = next.length;
    });
  }
  const d0 = new Float64Array(nS);
  for (const s of o.starts) d0[s] = 1 / o.starts.length;
  return makeMdp({
    nS,
    nA: moves.length,
    rowPtr,
    next: Int32Array.from(next),
    prob: Float64Array.from(prob),
    reward: o.rewardOfAction
      ? {
          kind: "state-action",
          rSA: Float64Array.from({ length: nS * moves.length }, (_, i) =>
            o.rewardOfAction!(Math.floor(i / moves.length), i % moves.length),
          ),
        }
      : { kind: "next-state", rS: Float64Array.from({ length: nS }, (_, s) => o.reward(s)) },
    d0,
    metadata: { terminal_states: Array.from({ length: reach }, (_, i) => nS - reach + i) },
  });
}
