import { UsageError } from "../core/errors.js";
import { derive } from "../core/rng.js";
import type { SimPolicy, Simulator } from "../sim/types.js";
import { type ActionAdapter, aggregate } from "./actions.js";

/**
 * A simulated cohort summarised in blocks of `blockHours` simulator steps: the observation at each block's
 * start and the block's channel values (summed fluid, maximum vasopressor dose, ...; see actions.ts).
 * Block b of patient p is b in [patientStart[p], patientStart[p+1]).
 */
export interface Cohort {
  readonly dim: number;
  readonly nChannels: number;
  readonly nPatients: number;
  readonly nBlocks: number;
  /** nBlocks x dim raw observations at block start. */
  readonly obs: Float64Array;
  /** nBlocks x nChannels channel values. */
  readonly channels: Float64Array;
  readonly patientStart: Int32Array;
  /** 1 if the patient died (outcome "dead"); else the stay ends in the survival state. */
  readonly died: Uint8Array;
  /** Simulator steps in all. */
  readonly hours: number;
}

export interface CohortOptions {
  readonly patients: number;
  readonly seed: number | string;
  readonly blockHours: number;
  readonly onPatient?: (done: number) => void;
}

/** A growable Float64Array. */
class Grow {
  buf = new Float64Array(1 << 16);
  n = 0;
  push(xs: ArrayLike<number>): void {
    if (this.n + xs.length > this.buf.length) {
      const b = new Float64Array(Math.max(this.buf.length * 2, this.n + xs.length));
      b.set(this.buf.subarray(0, this.n));
      this.buf = b;
    }
    for (let i = 0; i < xs.length; i++) this.buf[this.n++] = xs[i]!;
  }
  take(): Float64Array {
    return this.buf.slice(0, this.n);
  }
}

/**
 * Simulate `patients` stays under `behaviour`. Patient p is reset with seed `${seed}/patient-${p}`; the
 * behaviour draws from one stream derived from (seed, "behaviour"). Discrete actions are chosen at each
 * block's start and held for the block; box actions are chosen every hour and summarised per block.
 */
export function simulateCohort(
  sim: Simulator,
  behaviour: SimPolicy,
  adapter: ActionAdapter,
  o: CohortOptions,
): Cohort {
  if (!Number.isInteger(o.blockHours) || o.blockHours < 1)
    throw new UsageError(`block hours must be a positive integer, got ${o.blockHours}`);
  const dim = sim.observation.length;
  const nCh = adapter.channels.length;
  const rng = derive(o.seed, "behaviour");
  const obsBuf = new Grow();
  const chBuf = new Grow();
  const patientStart = new Int32Array(o.patients + 1);
  const died = new Uint8Array(o.patients);
  const held = sim.actions.kind === "discrete";
  let nBlocks = 0;
  let hours = 0;
  for (let p = 0; p < o.patients; p++) {
    let obs = sim.reset(`${o.seed}/patient-${p}`);
    let t = 0;
    let done = false;
    while (!done) {
      obsBuf.push(obs);
      let acc: number[] | null = null;
      let action: number[] = [];
      for (let h = 0; h < o.blockHours && !done; h++) {
        if (!held || h === 0) action = behaviour(obs, t, rng);
        const r = sim.step(action);
        acc = aggregate(adapter.channels, acc, adapter.hourly(obs, action, r.obs));
        obs = r.obs;
        t++;
        if (r.terminated || r.truncated || t >= sim.maxSteps) {
          done = true;
          died[p] = r.outcome === "dead" ? 1 : 0;
        }
      }
      chBuf.push(acc!);
      nBlocks++;
    }
    hours += t;
    patientStart[p + 1] = nBlocks;
    o.onPatient?.(p + 1);
  }
  return {
    dim,
    nChannels: nCh,
    nPatients: o.patients,
    nBlocks,
    obs: obsBuf.take(),
    channels: chBuf.take(),
    patientStart,
    died,
    hours,
  };
}
