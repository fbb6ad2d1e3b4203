import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";
import type { BellmanKernels } from "./bellman-kernels.js";

/**
 * Compact entries (stored transitions) from which Jacobi sweeps are split over two threads. Below it a sweep
 * takes a few milliseconds and starting a thread (tens of milliseconds on a busy machine) would not pay for
 * itself over a typical solve; ICU-Sepsis (about 190 k entries) stays on one thread.
 */
export const THREADED_SWEEP_ENTRIES = 2_000_000;

/** Threads for a Jacobi sweep over this many entries: 2 at or above the threshold on a multi-core machine. */
export function sweepThreadCount(entries: number, threshold = THREADED_SWEEP_ENTRIES): number {
  return entries >= threshold && availableParallelism() > 1 ? 2 : 1;
}

/** Byte addresses of the sweep's arrays in the shared kernel memory (see bellman-kernels.wat). */
export interface SweepAddresses {
  readonly statePtr: number;
  readonly rowPtr: number;
  readonly next: number;
  readonly weight: number;
  readonly reward: number;
  readonly v: number;
  readonly old: number;
  readonly bound: number;
  readonly lastBest: number;
}

/** One Jacobi sweep at a time, possibly split over threads; `close` ends the helper thread. */
export interface JacobiSweeper {
  sweep(drift: number, scale: number): number;
  /** Threads the last sweep ran on (1 when the helper could not start). */
  threads(): number;
  close(): void;
}

// The helper thread, as plain JavaScript evaluated by the worker (no module to resolve, so it runs the same
// from the sources and the compiled package). It instantiates the same compiled kernels over the shared
// memory, then sweeps its state range each time the generation counter moves, until it turns negative.
// control (Int32): [0] generation asked, [1] generation done (-2: failed); numbers (Float64, after 8 bytes):
// [0] drift in, [1] residual out.
const HELPER = `
const { workerData } = require("node:worker_threads");
const { module, memory, control, from, to, at, scale } = workerData;
const flags = new Int32Array(control, 0, 2);
const numbers = new Float64Array(control, 8, 2);
try {
  const k = new WebAssembly.Instance(module, { env: { memory } }).exports;
  for (let seen = 0; ; ) {
    Atomics.wait(flags, 0, seen);
    seen = Atomics.load(flags, 0);
    if (seen < 0) break;
    numbers[1] = k.bellmanSweep(from, to, at.statePtr, at.rowPtr, at.next, at.weight, at.reward, at.v,
      at.old, at.bound, at.lastBest, numbers[0], scale);
    Atomics.store(flags, 1, seen);
    Atomics.notify(flags, 1);
  }
} catch (e) {
  numbers[1] = NaN;
  Atomics.store(flags, 1, -2);
  Atomics.notify(flags, 1);
}
`;

/**
 * Jacobi sweeps of the states [0, nS), with the states split at an entry midpoint between this thread and a
 * helper when `threads` is 2. Every state's new value, bound and last best row depend only on the previous
 * sweep's values and that state's own rows, and the residual is a maximum, so the split sweep gives the same
 * bits as the single one (tested). `scale` is fixed for a solve; the drift changes every sweep.
 */
export function jacobiSweeper(
  kernels: BellmanKernels,
  shared: { readonly memory: object; readonly module: object },
  at: SweepAddresses,
  statePtr: Int32Array,
  rowPtr: Int32Array,
  scale: number,
  threads: number,
): JacobiSweeper {
  const nS = statePtr.length - 1;
  const own = (from: number, to: number, drift: number): number =>
    kernels.bellmanSweep(
      from,
      to,
      at.statePtr,
      at.rowPtr,
      at.next,
      at.weight,
      at.reward,
      at.v,
      at.old,
      at.bound,
      at.lastBest,
      drift,
      scale,
    );
  if (threads < 2 || nS < 2)
    return { sweep: (drift) => own(0, nS, drift), threads: () => 1, close: () => {} };
  const split = entryMidpoint(statePtr, rowPtr);
  const control = new SharedArrayBuffer(24);
  const flags = new Int32Array(control, 0, 2);
  const numbers = new Float64Array(control, 8, 2);
  let worker: Worker | null;
  try {
    worker = new Worker(HELPER, {
      eval: true,
      workerData: { module: shared.module, memory: shared.memory, control, from: split, to: nS, at, scale },
    });
    worker.unref();
  } catch {
    worker = null; // no thread to be had: the same sweeps on this one
  }
  let generation = 0;
  return {
    sweep(drift) {
      if (worker === null) return own(0, nS, drift);
      numbers[0] = drift;
      generation++;
      Atomics.store(flags, 0, generation);
      Atomics.notify(flags, 0);
      const mine = own(0, split, drift);
      for (let done = Atomics.load(flags, 1); done !== generation; done = Atomics.load(flags, 1)) {
        if (done === -2) {
          // The helper could not instantiate the kernels (it touched nothing): its half here, and from now on.
          worker = null;
          return Math.max(mine, own(split, nS, drift));
        }
        Atomics.wait(flags, 1, done);
      }
      return Math.max(mine, numbers[1]!);
    },
    threads: () => (worker === null ? 1 : 2),
    close() {
      Atomics.store(flags, 0, -1);
      Atomics.notify(flags, 0);
      void worker?.terminate();
    },
  };
}

/** The first state at which half of the entries (by the rows of the states before it) have been passed. */
function entryMidpoint(statePtr: Int32Array, rowPtr: Int32Array): number {
  const nS = statePtr.length - 1;
  const half = rowPtr[statePtr[nS]!]! / 2;
  let lo = 0;
  let hi = nS;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (rowPtr[statePtr[mid]!]! < half) lo = mid + 1;
    else hi = mid;
  }
  return Math.max(1, Math.min(nS - 1, lo));
}
