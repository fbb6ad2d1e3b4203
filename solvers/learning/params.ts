import { UsageError } from "../../src/core/errors.js";
import type { InadmissibleStrategy } from "../../src/env/tabular-env.js";
import { ALGOS, type AlgoName, ruleOf } from "./rules.js";

// The learners: each is one rule in rules.ts run by the one loop in loop.ts (and its compiled copy).
export { ALGOS, type AlgoName } from "./rules.js";

export type ScheduleKind = "constant" | "linear" | "exp";
export type StepSizeKind = ScheduleKind | "visits";

/**
 * Every hyperparameter of every learner, flat so it prints as one manifest line and one CSV row.
 * Defaults and meanings live in PARAMS below (the single place they are documented).
 */
export interface LearnParams {
  readonly algo: AlgoName;
  readonly alpha: number;
  readonly alphaSchedule: StepSizeKind;
  readonly alphaEnd: number;
  readonly alphaEpisodes: number;
  readonly omega: number;
  readonly explore: "epsilon" | "boltzmann";
  readonly epsilon: number;
  readonly tau: number;
  readonly exploreSchedule: ScheduleKind;
  readonly exploreEnd: number;
  readonly exploreEpisodes: number;
  readonly q0: number;
  /** null: the MDP's default (defaultGamma: metadata gamma, else 1). */
  readonly gamma: number | null;
  readonly lambda: number;
  readonly trace: "accumulating" | "replacing";
  readonly actions: "all" | "admissible";
  readonly inadmissible: InadmissibleStrategy;
  readonly maxEpisodeSteps: number;
}

type Kind = "number" | "int" | "choice";
export interface ParamSpec {
  readonly key: keyof LearnParams;
  readonly flag: string;
  readonly kind: Kind;
  readonly choices?: readonly string[];
  readonly min?: number;
  readonly max?: number;
  readonly doc: string;
}

/**
 * Defaults that learn on ICU-Sepsis: every learner's greedy policy ends within 0.02 of the optimal return
 * in 300,000 episodes (docs/learning.md has the table and the command). Step size 1/n(s,a)^0.51 (Robbins-Monro
 * with the slowest decay allowed, so late visits still move Q), epsilon decaying geometrically from 0.5 to
 * 0.02 over 300,000 episodes, admissible actions only (as the ICU-Sepsis paper's learners act).
 */
export const DEFAULT_PARAMS: LearnParams = {
  algo: "q-learning",
  alpha: 1,
  alphaSchedule: "visits",
  alphaEnd: 0.01,
  alphaEpisodes: 300_000,
  omega: 0.51,
  explore: "epsilon",
  epsilon: 0.5,
  tau: 1,
  exploreSchedule: "exp",
  exploreEnd: 0.02,
  exploreEpisodes: 300_000,
  q0: 0,
  gamma: null,
  lambda: 0.5,
  trace: "replacing",
  actions: "admissible",
  inadmissible: "mean",
  maxEpisodeSteps: 500,
};

/** One declaration per hyperparameter: CLI flags, validation, docs and the manifest all read this table. */
export const PARAMS: readonly ParamSpec[] = [
  { key: "algo", flag: "algo", kind: "choice", choices: ALGOS, doc: "learning rule" },
  {
    key: "alpha",
    flag: "alpha",
    kind: "number",
    min: 0,
    max: 1,
    doc: "step size (start value; scale for visits)",
  },
  {
    key: "alphaSchedule",
    flag: "alpha-schedule",
    kind: "choice",
    choices: ["constant", "visits", "linear", "exp"],
    doc: "constant; visits: alpha/n(s,a)^omega; linear or exp (geometric) decay to alpha-end over alpha-episodes",
  },
  { key: "alphaEnd", flag: "alpha-end", kind: "number", min: 0, max: 1, doc: "final step size of a decay" },
  {
    key: "alphaEpisodes",
    flag: "alpha-episodes",
    kind: "int",
    min: 1,
    doc: "episodes the step-size decay takes",
  },
  {
    key: "omega",
    flag: "omega",
    kind: "number",
    min: 0,
    max: 1,
    doc: "visit-count exponent (0.5 < omega <= 1 meets Robbins-Monro)",
  },
  {
    key: "explore",
    flag: "explore",
    kind: "choice",
    choices: ["epsilon", "boltzmann"],
    doc: "epsilon-greedy or Boltzmann (softmax) behaviour",
  },
  { key: "epsilon", flag: "epsilon", kind: "number", min: 0, max: 1, doc: "epsilon-greedy: start epsilon" },
  { key: "tau", flag: "tau", kind: "number", min: 1e-9, doc: "Boltzmann: start temperature" },
  {
    key: "exploreSchedule",
    flag: "explore-schedule",
    kind: "choice",
    choices: ["constant", "linear", "exp"],
    doc: "schedule of epsilon (or tau): constant, or linear / exp decay to explore-end over explore-episodes",
  },
  {
    key: "exploreEnd",
    flag: "explore-end",
    kind: "number",
    min: 0,
    doc: "floor of the epsilon (or tau) decay",
  },
  {
    key: "exploreEpisodes",
    flag: "explore-episodes",
    kind: "int",
    min: 1,
    doc: "episodes the exploration decay takes",
  },
  { key: "q0", flag: "q0", kind: "number", doc: "initial Q value of every (s, a)" },
  {
    key: "gamma",
    flag: "gamma",
    kind: "number",
    min: 1e-9,
    max: 1,
    doc: "discount (default: the MDP's, else 1)",
  },
  {
    key: "lambda",
    flag: "lambda",
    kind: "number",
    min: 0,
    max: 1,
    doc: "trace decay of sarsa-lambda and watkins-q-lambda",
  },
  {
    key: "trace",
    flag: "trace",
    kind: "choice",
    choices: ["accumulating", "replacing"],
    doc: "eligibility trace kind",
  },
  {
    key: "actions",
    flag: "actions",
    kind: "choice",
    choices: ["all", "admissible"],
    doc: "act and maximise over all actions or the admissible ones (masking)",
  },
  {
    key: "inadmissible",
    flag: "inadmissible",
    kind: "choice",
    choices: ["mean", "terminate", "raise"],
    doc: "env strategy for inadmissible actions",
  },
  {
    key: "maxEpisodeSteps",
    flag: "max-episode-steps",
    kind: "int",
    min: 1,
    doc: "time limit (truncation, bootstrapped)",
  },
];

/** Parse one flag's text against its declaration (CLI and tune use this). */
export function parseParam(spec: ParamSpec, text: string): number | string {
  if (spec.kind === "choice") {
    if (!spec.choices!.includes(text)) {
      throw new UsageError(`--${spec.flag} must be one of ${spec.choices!.join(", ")}, got "${text}"`);
    }
    return text;
  }
  const x = Number(text);
  if (text.trim() === "" || !Number.isFinite(x) || (spec.kind === "int" && !Number.isInteger(x))) {
    throw new UsageError(
      `--${spec.flag} must be ${spec.kind === "int" ? "an integer" : "a number"}, got "${text}"`,
    );
  }
  checkRange(spec, x);
  return x;
}

function checkRange(spec: ParamSpec, x: number): void {
  if ((spec.min !== undefined && x < spec.min) || (spec.max !== undefined && x > spec.max)) {
    throw new UsageError(`--${spec.flag} must be in [${spec.min ?? "-inf"}, ${spec.max ?? "inf"}], got ${x}`);
  }
}

/** Defaults overlaid with the given values, every value checked against its declaration. */
export function resolveParams(given: Partial<LearnParams> = {}): LearnParams {
  const p: LearnParams = { ...DEFAULT_PARAMS, ...given };
  for (const spec of PARAMS) {
    const v = p[spec.key];
    if (v === null) continue;
    if (spec.kind === "choice") parseParam(spec, String(v));
    else if (typeof v !== "number" || !Number.isFinite(v))
      throw new UsageError(`${spec.flag} must be a number`);
    else {
      if (spec.kind === "int" && !Number.isInteger(v))
        throw new UsageError(`${spec.flag} must be an integer`);
      checkRange(spec, v);
    }
  }
  if (p.alphaSchedule === "exp" && !(p.alphaEnd > 0 && p.alpha > 0)) {
    throw new UsageError("--alpha-schedule exp needs alpha > 0 and alpha-end > 0");
  }
  if (p.exploreSchedule === "exp" && !(p.exploreEnd > 0)) {
    throw new UsageError("--explore-schedule exp needs explore-end > 0");
  }
  if (p.explore === "epsilon" && p.exploreEnd > 1)
    throw new UsageError("--explore-end must be <= 1 for epsilon");
  return p;
}

/** True for the rules that keep eligibility traces. */
export const usesTraces = (algo: AlgoName): boolean => ruleOf(algo).traces;
