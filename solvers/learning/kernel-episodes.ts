import type { Learner } from "./learner.js";
import type { LearnParams } from "./params.js";
import { alphaAt, exploreAt } from "./schedules.js";

/** Episodes per kernel call at most (the loop's chunk): sizes the per-episode arrays. */
const MAX_CHUNK = 1024;

/** The per-episode arrays of a learner kernel's memory: alpha and epsilon in, return and length out. */
export const EPISODE_ARRAYS = {
  alphas: { type: "f64", length: MAX_CHUNK },
  epsilons: { type: "f64", length: MAX_CHUNK },
  returns: { type: "f64", length: MAX_CHUNK },
  lengths: { type: "i32", length: MAX_CHUNK },
} as const;

interface EpisodeViews {
  readonly alphas: Float64Array;
  readonly epsilons: Float64Array;
  readonly returns: Float64Array;
  readonly lengths: Int32Array;
}

/**
 * A learner's `play` over a kernel that runs `episodes` episodes per call (`run`, returning the steps):
 * the episodes go in calls of at most 1,024 (fewer when a call's steps could overflow the kernel's i32
 * count), each with its alpha and epsilon from the schedules (constant schedules are written once).
 */
export function kernelPlay(
  p: LearnParams,
  view: EpisodeViews,
  run: (episodes: number) => number,
): Learner["play"] {
  const perCall = Math.max(1, Math.min(MAX_CHUNK, Math.floor(0x7fffffff / p.maxEpisodeSteps)));
  const { alphas, epsilons, returns: kernelReturns, lengths: kernelLengths } = view; // read once, not per call
  const alphaMoves = p.alphaSchedule !== "visits" && p.alphaSchedule !== "constant";
  const exploreMoves = p.exploreSchedule !== "constant";
  alphas.fill(alphaAt(p, 0));
  epsilons.fill(exploreAt(p, 0));
  return (from, to, returns, lengths) => {
    let steps = 0;
    for (let lo = from; lo < to; lo += perCall) {
      const n = Math.min(perCall, to - lo);
      if (alphaMoves) for (let i = 0; i < n; i++) alphas[i] = alphaAt(p, lo + i);
      if (exploreMoves) for (let i = 0; i < n; i++) epsilons[i] = exploreAt(p, lo + i);
      steps += run(n);
      returns.set(kernelReturns.subarray(0, n), lo);
      lengths.set(kernelLengths.subarray(0, n), lo);
    }
    return steps;
  };
}
