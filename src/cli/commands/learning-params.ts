import {
  ALGOS,
  type AlgoName,
  type LearnParams,
  PARAMS,
  parseParam,
  resolveParams,
} from "../../../solvers/learning/params.js";
import { UsageError } from "../../core/errors.js";

const isAlgo = (x: string): x is AlgoName => (ALGOS as readonly string[]).includes(x);

export function parseAlgo(text: string): AlgoName {
  const t = text.trim();
  if (!isAlgo(t)) throw new UsageError(`unknown algorithm "${t}": expected one of ${ALGOS.join(", ")}`);
  return t;
}

/** Values from a JSON object, each checked like the matching flag. */
function fromJson(obj: Record<string, unknown>, where: string): Partial<LearnParams> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(obj)) {
    if (isAlgo(k)) continue;
    const spec = PARAMS.find((p) => p.key === k);
    if (spec === undefined) throw new UsageError(`${where}: unknown hyperparameter "${k}"`);
    if (k === "algo") continue;
    out[k] = v === null ? null : parseParam(spec, String(v));
  }
  return out as Partial<LearnParams>;
}

/** The hyperparameters set explicitly: the params file (shared keys, then the algorithm's own object) < flags. */
export function givenParams(
  algo: AlgoName,
  file: Record<string, unknown>,
  flags: Partial<LearnParams>,
): Partial<LearnParams> {
  const own = file[algo];
  const perAlgo =
    typeof own === "object" && own !== null ? fromJson(own as Record<string, unknown>, algo) : {};
  return { ...fromJson(file, "--params"), ...perAlgo, ...flags, algo };
}

/** Defaults < the params file < explicit flags. */
export function paramsFor(
  algo: AlgoName,
  file: Record<string, unknown>,
  flags: Partial<LearnParams>,
): LearnParams {
  return resolveParams(givenParams(algo, file, flags));
}
