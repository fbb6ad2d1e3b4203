import { type Layout, type ReusableSpace, reusableSpace, wasmModule } from "../src/core/kernel-space.js";
import { wasmBase64 } from "./bellman-kernels.generated.js";

export { layouts as BELLMAN_LAYOUTS } from "./bellman-kernels.layout.generated.js";

/** The exported kernels of bellman-kernels.wat; every array argument is a byte address in the space's memory. */
export interface BellmanKernels {
  /**
   * One sweep over the states [from, to) of the arrays whose addresses the `sweep` record at `frame` holds
   * (Jacobi when old differs from its v, Gauss-Seidel when equal); returns the sup-norm change.
   */
  bellmanSweep(from: number, to: number, frame: number, old: number, drift: number, scale: number): number;
  /** Copies each state's row lastBest[s] into its hot slot (the frame's hot arrays). */
  copyWinners(frame: number, nS: number): void;
  /** out[r] = Q of compact row r under v. */
  rowValues(
    nRows: number,
    rowPtr: number,
    next: number,
    weight: number,
    reward: number,
    v: number,
    out: number,
  ): void;
}

const module = wasmModule(wasmBase64);

/**
 * A private instance of the value-iteration kernels over a memory holding the arrays of `layout`; the memory
 * is shared (the kernels import a shared memory) so that sweeps can be split over threads. Released, the
 * memory serves the next solve (see reusableSpace); arrays in `scratch` are not zero-filled on reuse.
 */
export function bellmanKernelSpace<L extends Layout>(
  layout: L,
  scratch: ReadonlySet<keyof L> = new Set(),
): ReusableSpace<BellmanKernels, L> {
  return reusableSpace<BellmanKernels, L>(module, layout, scratch, true);
}
