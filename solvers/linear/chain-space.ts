import type { ReusableSpace } from "../../src/core/kernel-space.js";
import { type KrylovKernels, reusableKrylovSpace } from "./krylov-kernels.js";

/** The largest diagonal, off-diagonal row mass (sum of gP(i, j), j != i) and row length of A = I - gP. */
export interface RowShape {
  readonly maxDiagonal: number;
  readonly maxOffDiagonal: number;
  readonly maxRowLength: number;
}

/** The solver's vectors: diagonal and its inverse, right-hand side, scratch, Krylov basis (m + 1 vectors). */
export function vectorLayout(n: number, m: number) {
  return {
    diag: { type: "f64", length: n },
    invDiag: { type: "f64", length: n },
    b: { type: "f64", length: n },
    v: { type: "f64", length: n },
    z: { type: "f64", length: n },
    y: { type: "f64", length: n },
    basis: { type: "f64", length: (m + 1) * n },
    h: { type: "f64", length: m + 1 },
  } as const;
}

/** Kernel addresses of the two halves of I - gP (row i of a half: entries [lo[i], hi[i]) of col / val). */
export type SplitArray =
  | "llo"
  | "lhi"
  | "lcol"
  | "lval"
  | "ulo"
  | "uhi"
  | "ucol"
  | "uval"
  | keyof ReturnType<typeof vectorLayout>;

/** Where a Gauss-Seidel split lives: its kernels, the addresses they take, views of the vectors. */
export interface Split {
  readonly kernels: KrylovKernels;
  readonly at: Readonly<Record<SplitArray, number>>;
  readonly view: {
    readonly invDiag: Float64Array;
    readonly b: Float64Array;
    readonly v: Float64Array;
    readonly z: Float64Array;
    readonly y: Float64Array;
    readonly basis: Float64Array;
    readonly h: Float64Array;
  };
  readonly shape: RowShape;
}

/** The split's Krylov basis as m + 1 views of n values each, back to back in its memory. */
export function basisVectors(split: Split, n: number, m: number): Float64Array[] {
  return Array.from({ length: m + 1 }, (_, i) => split.view.basis.subarray(i * n, (i + 1) * n));
}

/** out = b - (I - gP) x over both halves of the split (byte addresses); returns ||out||_2. */
export function residualPass(split: Split, n: number, x: number, b: number, out: number, g: number): number {
  const { kernels, at } = split;
  return kernels.residual(
    n,
    at.llo,
    at.lhi,
    at.lcol,
    at.lval,
    at.diag,
    at.ulo,
    at.uhi,
    at.ucol,
    at.uval,
    x,
    b,
    out,
    g,
  );
}

const chainLayout = (nS: number, entries: number, restart: number) =>
  ({
    col: { type: "i32", length: entries },
    val: { type: "f64", length: entries },
    llo: { type: "i32", length: nS },
    lhi: { type: "i32", length: nS },
    ulo: { type: "i32", length: nS },
    uhi: { type: "i32", length: nS },
    ...vectorLayout(nS, restart),
  }) as const;

/**
 * A policy chain's entries allocated in kernel memory beside room for the solver, so that the first system
 * solved over the chain reads its entries where they are instead of copying both triangles out (at 10^7
 * entries that copy is 120 MB of fresh memory, which costs more than the solve's passes over it). `claimed`
 * once a system uses the room; later systems over the same chain copy. The memory is reused (see
 * reusableSpace): whoever built the chain releases it once no solve over the chain remains.
 */
export interface ChainSpace {
  readonly nS: number;
  readonly restart: number;
  readonly space: ReusableSpace<KrylovKernels, ReturnType<typeof chainLayout>>;
  claimed: boolean;
}

/** Room for a chain of nS states and up to `entries` entries, or null when it would not fit one memory. */
export function chainSpace(nS: number, entries: number, restart = 80): ChainSpace | null {
  const bytes = 12 * entries + 16 * nS + 8 * (6 * nS + (restart + 1) * nS);
  // A WebAssembly memory holds at most 4 GiB; leave a margin for alignment.
  if (bytes > 3.5 * 2 ** 30) return null;
  // The entries and the Krylov basis are written before they are read: not zero-filled on reuse.
  const space = reusableKrylovSpace(
    chainLayout(nS, entries, restart),
    new Set(["col", "val", "basis"] as const),
  );
  return { nS, restart, space, claimed: false };
}
