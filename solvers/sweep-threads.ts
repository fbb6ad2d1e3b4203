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

/** Byte addresses of a Jacobi sweep's record of arrays (see bellman-kernels.wat) and of its previous values. */
export interface SweepAddresses {
  readonly frame: number;
  readonly old: number;
}

/** One Jacobi sweep at a time, possibly split over threads; `close` ends the helper thread. */
export interface JacobiSweeper {
  sweep(drift: number): number;
  /** 2 once the helper thread is ready, 1 before that, when it failed to start, or without one. */
  threads(): number;
  close(): void;
}

/** Chunks a threaded sweep is cut into: small enough that a thread the machine has descheduled holds up little. */
const CHUNKS = 64;

// The helper thread, as plain JavaScript evaluated by the worker (no module to resolve, so it runs the same
// from the sources and the compiled package). It instantiates the same compiled kernels over the shared
// memory, then, each time the generation moves, takes chunks of states from the shared counter until none
// is left; a negative generation ends it. control: Int32 [0] generation, [1] next chunk, [2] chunks done,
// [3] helper state (0 starting, 1 ready, -1 failed); then Float64 [0] drift, [1 + c] chunk c's residual.
const HELPER = `
const { workerData } = require("node:worker_threads");
const { module, memory, control, bounds, at, scale } = workerData;
const ints = new Int32Array(control, 0, 4);
const chunks = bounds.length - 1;
const numbers = new Float64Array(control, 16, chunks + 1);
let k = null;
try {
  k = new WebAssembly.Instance(module, { env: { memory } }).exports;
  Atomics.store(ints, 3, 1);
} catch (e) {
  Atomics.store(ints, 3, -1);
  Atomics.notify(ints, 2);
}
for (let seen = 0; k !== null; ) {
  Atomics.wait(ints, 0, seen);
  seen = Atomics.load(ints, 0);
  if (seen < 0) break;
  for (let c = Atomics.add(ints, 1, 1); c < chunks; c = Atomics.add(ints, 1, 1)) {
    numbers[1 + c] = k.bellmanSweep(bounds[c], bounds[c + 1], at.frame, at.old, numbers[0], scale);
    if (Atomics.add(ints, 2, 1) + 1 === chunks) Atomics.notify(ints, 2);
  }
}
`;

/**
 * Jacobi sweeps of the states [0, nS); with `threads` = 2 this thread and a helper take chunks of states from
 * a shared counter, so a sweep never waits for more than the chunk a descheduled thread holds (on a busy
 * machine a fixed half each would wait for the slower half every sweep). Every state's new value, bound and
 * last best row depend only on the previous sweep's values and that state's own rows, and the residual is a
 * maximum, so whichever thread sweeps a chunk the bits are those of the single-thread sweep (tested).
 * `scale` is fixed for a solve; the drift changes every sweep. `helperOnly` (tests) leaves every chunk to the
 * helper, to check that it sweeps correctly.
 */
export function jacobiSweeper(
  kernels: BellmanKernels,
  shared: { readonly memory: object; readonly module: object },
  at: SweepAddresses,
  statePtr: Int32Array,
  rowPtr: Int32Array,
  scale: number,
  threads: number,
  helperOnly = false,
): JacobiSweeper {
  const nS = statePtr.length - 1;
  const own = (from: number, to: number, drift: number): number =>
    kernels.bellmanSweep(from, to, at.frame, at.old, drift, scale);
  if (threads < 2 || nS < 2)
    return { sweep: (drift) => own(0, nS, drift), threads: () => 1, close: () => {} };
  const bounds = chunkBounds(statePtr, rowPtr, CHUNKS);
  const chunks = bounds.length - 1;
  const control = new SharedArrayBuffer(16 + 8 * (chunks + 1));
  const ints = new Int32Array(control, 0, 4);
  const numbers = new Float64Array(control, 16, chunks + 1);
  let worker: Worker | null = null;
  try {
    worker = new Worker(HELPER, {
      eval: true,
      workerData: {
        module: shared.module,
        memory: shared.memory,
        control,
        bounds,
        at: { frame: at.frame, old: at.old },
        scale,
      },
    });
    worker.unref();
  } catch {
    Atomics.store(ints, 3, -1); // no thread to be had: every chunk on this one
  }
  const takeChunks = (drift: number): void => {
    for (let c = Atomics.add(ints, 1, 1); c < chunks; c = Atomics.add(ints, 1, 1)) {
      numbers[1 + c] = own(bounds[c]!, bounds[c + 1]!, drift);
      Atomics.add(ints, 2, 1);
    }
  };
  return {
    sweep(drift) {
      // Drift and the previous values are written before the counters reset: a helper that takes a chunk
      // has read the reset, so it sees them too.
      numbers[0] = drift;
      Atomics.store(ints, 2, 0);
      Atomics.store(ints, 1, 0);
      Atomics.add(ints, 0, 1);
      Atomics.notify(ints, 0);
      if (!helperOnly) takeChunks(drift);
      for (let done = Atomics.load(ints, 2); done < chunks; done = Atomics.load(ints, 2)) {
        if (Atomics.load(ints, 3) === -1)
          takeChunks(drift); // the helper failed: it took nothing
        else Atomics.wait(ints, 2, done);
      }
      let residual = 0;
      for (let c = 1; c <= chunks; c++) residual = Math.max(residual, numbers[c]!);
      return residual;
    },
    threads: () => (Atomics.load(ints, 3) === 1 ? 2 : 1),
    close() {
      Atomics.store(ints, 0, -1);
      Atomics.notify(ints, 0);
      void worker?.terminate();
    },
  };
}

/** State boundaries of up to `chunks` pieces holding about equal numbers of entries (first 0, last nS). */
function chunkBounds(statePtr: Int32Array, rowPtr: Int32Array, chunks: number): Int32Array {
  const nS = statePtr.length - 1;
  const total = rowPtr[statePtr[nS]!]!;
  const bounds = [0];
  for (let c = 1; c < chunks; c++) {
    const target = (c * total) / chunks;
    let lo = bounds.at(-1)!;
    let hi = nS;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (rowPtr[statePtr[mid]!]! < target) lo = mid + 1;
      else hi = mid;
    }
    if (lo > bounds.at(-1)! && lo < nS) bounds.push(lo);
  }
  bounds.push(nS);
  return Int32Array.from(bounds);
}
