import ndarray, { type NdArray } from "ndarray";
import { ModelError } from "../core/errors.js";

/** A dense s-major (nS x nA) table as an ndarray view (no copy): view.get(s, a) === data[s * nA + a]. */
export function viewSA<D extends Float64Array | Int32Array | Uint8Array>(
  data: D,
  nS: number,
  nA: number,
): NdArray<D> {
  if (data.length !== nS * nA) throw new ModelError(`table has ${data.length} entries, expected ${nS}*${nA}`);
  return ndarray(data, [nS, nA]);
}
