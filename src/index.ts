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
export { PLAN_METHODS } from "../solvers/plan.js";
export { bootstrapPredictions } from "./builder/bootstrap.js";
export {
  BUILD_PHASES,
  type BuildOptions,
  type BuildPhase,
  type BuildResult,
  buildFromSimulator,
  type Prepared,
} from "./builder/build.js";
export { type CohortTruth, cohortTruth } from "./builder/cohort-truth.js";
export { type BuilderInfo, builderInfo, namedPolicy, simulatePolicy } from "./builder/fidelity.js";
export {
  type BootstrapSamples,
  type FidelityRow,
  fidelity,
  type HorizonSurvival,
  isNamedPolicy,
  NAMED_POLICIES,
  type NamedPolicy,
  type PredictedSurvival,
  policyTable,
} from "./builder/fidelity-row.js";
export { horizonBlocks, simulatorHorizonBlocks, survivalOnHorizon } from "./builder/horizon.js";
export { prepareFromMetadata, recipeOf } from "./builder/recipe.js";
export {
  TIE_BREAKS,
  type TieBreak,
  type TieBreakPolicy,
  type TieBreakRow,
  type TieSpread,
  tieBreakFidelity,
  tieBreakPolicies,
  tieSpread,
} from "./builder/tie-breaks.js";
export { InputError, InputErrors, ModelError, TabmdpError, UsageError } from "./core/errors.js";
export { FastRng } from "./core/fast-rng.js";
export { derive, normal, type Rng, seeded } from "./core/rng.js";
export { type Interval, meanInterval, wilson } from "./core/stats.js";
export { VERSION } from "./core/version.js";
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
export { type LinePlot, linePlot, type RefLine, type Series } from "./report/svg.js";
export {
  buildOberstSontagMdp,
  createOberstSontag,
  OBERST_VARIANTS,
  type OberstMdpOptions,
  type OberstSimOptions,
} from "./sim/oberst-sontag/index.js";
export { constantPolicy, parsePolicy, randomPolicy } from "./sim/policies.js";
export { createSimulator, getSimulator, listSimulators } from "./sim/registry.js";
export { rollout, runEpisode } from "./sim/rollout.js";
export { type RolloutSummary, summarize as summarizeRollouts } from "./sim/summary.js";
export type {
  ActionSpace,
  FeatureSpec,
  Outcome,
  SimDefinition,
  SimPolicy,
  SimStep,
  Simulator,
} from "./sim/types.js";
export {
  type AcrossCohorts,
  acrossCohorts,
  type PerturbRow,
  perturbStudy,
  STUDY_POLICIES,
  type ThresholdRow,
  thresholdStudy,
  tieSpreads,
  unperturbed,
} from "./study/builder-studies.js";
export {
  type BuilderVsExactOptions,
  type BuilderVsExactRow,
  type BuilderVsExactSize,
  type BuilderVsExactSummary,
  builderVsExact,
} from "./study/builder-vs-exact.js";
export { type CurvePoint, type JobResult, type JobSpec, runJob } from "./study/job.js";
export { type Manifest, mdpHash, type SweepSettings } from "./study/manifest.js";
export { averageReturnSvg, curvesSvg, readManifest, writeOutputs } from "./study/outputs.js";
export { htmlReport, markdownTable } from "./study/report.js";
export {
  jobKey,
  type OutMode,
  prepareRunFolder,
  readRecordedJobs,
  readSweepRecord,
  type SweepRecord,
} from "./study/run-folder.js";
export {
  type CurveMetric,
  type GroupSummary,
  type MeanCurve,
  meanCurves,
  summarize as summarizeRuns,
} from "./study/summary.js";
export { buildJobs, mergeRuns, runSweep, type SweepConfig, type SweepOutcome } from "./study/sweep.js";
export {
  PAPER_SPACE,
  rankTrials,
  SEARCH_SPACE,
  SPACES,
  type SpaceName,
  sampleTrial,
  type TrialScore,
} from "./study/tune.js";
