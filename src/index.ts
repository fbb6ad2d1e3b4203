/**
 * tabmdp's public API (the `tabmdp` package entry point). Everything here is also what the CLI uses.
 *
 * @example
 * import { readMdpDir, baselines } from "tabmdp";
 * const mdp = await readMdpDir("icu-sepsis");
 * const optimal = baselines(mdp).policies.optimal;
 * optimal.return; //=> 0.8751...
 * optimal.length; //=> 10.99...
 */
export * from "../solvers/index.js";
export * from "../solvers/learning/index.js";
export { buildFromSimulator } from "./builder/build.js";
export { InputError, InputErrors, ModelError, TabmdpError, UsageError } from "./core/errors.js";
export { FastRng } from "./core/fast-rng.js";
export { derive, normal, type Rng, seeded } from "./core/rng.js";
export { type Estimate, type MonteCarloResult, monteCarlo } from "./env/monte-carlo.js";
export {
  type EnvOptions,
  type InadmissibleStrategy,
  type StepInfo,
  type StepResult,
  TabularEnv,
} from "./env/tabular-env.js";
export { TabularVectorEnv, type VectorEnvOptions } from "./env/vector-env.js";
export * from "./io/index.js";
export { CsrBuilder, csrFromDense, type MdpParts, makeMdp } from "./model/build.js";
export { viewSA } from "./model/dense.js";
export * from "./model/mdp.js";
export { type RandomMdpOptions, randomIcuShapedMdp } from "./model/random-mdp.js";
export { inferTerminalStates } from "./model/terminals.js";
export { deathState } from "./model/terminals-named.js";
export { buildOberstSontagMdp } from "./sim/oberst-sontag/index.js";
export { createSimulator, getSimulator, listSimulators } from "./sim/registry.js";
export { rollout, runEpisode } from "./sim/rollout.js";
export type {
  ActionSpace,
  FeatureSpec,
  Outcome,
  SimDefinition,
  SimPolicy,
  SimStep,
  Simulator,
} from "./sim/types.js";
