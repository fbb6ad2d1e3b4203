/**
 * Policy tables as ndarray views, apart from policy.ts so that loading an MDP folder does not load ndarray.
 */
import type { NdArray } from "ndarray";
import { viewSA } from "../model/dense.js";
import { type PolicyReadOptions, readPolicyCsv } from "./policy.js";

/** Same as readPolicyCsv, as an [nS, nA] ndarray view. */
export async function readPolicyView(
  file: string,
  nS: number,
  nA: number,
  opts: PolicyReadOptions = {},
): Promise<NdArray<Float64Array>> {
  return viewSA(await readPolicyCsv(file, nS, nA, opts), nS, nA);
}
