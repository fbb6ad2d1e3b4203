export * from "./convergence.js";
export { type GreedyCache, makeGreedyCache } from "./greedy-cache.js";
export { type Checkpoint, type RunOptions, type RunResult, runEpisodes } from "./loop.js";
export * from "./params.js";
export { behaviourTable, learnerActions } from "./policy.js";
export { RULES, type TdRule } from "./rules.js";
export { alphaAt, exploreAt, scheduleValue, visitStep } from "./schedules.js";
