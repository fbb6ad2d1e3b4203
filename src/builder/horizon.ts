import { finiteHorizonEvaluate } from "../../solvers/finite-horizon.js";
import { UsageError } from "../core/errors.js";
import type { TabularMdp } from "../model/mdp.js";
import { deathState } from "../model/terminals-named.js";
import { createSimulator } from "../sim/registry.js";

/**
 * Decisions a simulator allows a stay: it stops after `maxSteps` steps, and a decision is taken at the start
 * of every block of `blockHours` steps. A last block cut short by the horizon is still a decision (the
 * simulator applies the block's action for the hours that remain), hence the ceiling.
 */
export function horizonBlocks(maxSteps: number, blockHours: number): number {
  if (!(Number.isInteger(maxSteps) && maxSteps >= 1))
    throw new UsageError(`the simulator's horizon must be a positive whole number of steps, got ${maxSteps}`);
  if (!(Number.isInteger(blockHours) && blockHours >= 1))
    throw new UsageError(`block hours must be a positive integer, got ${blockHours}`);
  return Math.ceil(maxSteps / blockHours);
}

/** The horizon in MDP steps of an MDP written by `tabmdp build` (its simulator's max steps, its block hours). */
export function simulatorHorizonBlocks(m: TabularMdp): number {
  const b = m.metadata.builder as
    | { simulator?: string; tier?: string | null; block_hours?: number }
    | undefined;
  if (b?.simulator === undefined || b.block_hours === undefined)
    throw new UsageError("this MDP was not made by `tabmdp build` (metadata.json has no builder section)");
  const created = createSimulator(b.simulator, b.tier == null ? {} : { tier: b.tier });
  return horizonBlocks(created.simulator.maxSteps, b.block_hours);
}

/** The death state of an MDP in the ICU-Sepsis shape (see deathState), as the list survivalOnHorizon takes. */
export function builtDeathStates(m: TabularMdp): readonly number[] {
  const d = deathState(m);
  if (d === null || !(Number.isInteger(d) && d >= 0 && d < m.nS && m.terminalS[d] === 1))
    throw new UsageError("this MDP has no terminal death state: survival is not defined for it");
  return [d];
}

/**
 * Survival counted the simulators' way on a horizon of `blocks` MDP steps: a stay is a survivor unless it
 * has entered a death state by then, so stays still in treatment at the horizon count as survivors (the
 * simulator stops them alive). Exact: 1 - P(in a death state after `blocks` steps), by finite-horizon
 * evaluation (a start in a death state counts as a death).
 */
export function survivalOnHorizon(
  m: TabularMdp,
  piSA: Float64Array,
  blocks: number,
  deathStates: readonly number[] = builtDeathStates(m),
): number {
  const e = finiteHorizonEvaluate(m, piSA, { horizon: blocks, gamma: 1 });
  let dead = 0;
  for (const t of e.terminalProbabilities) if (deathStates.includes(t.state)) dead += t.probability;
  return Math.min(1, Math.max(0, 1 - dead));
}
