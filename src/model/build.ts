import { ModelError } from "../core/errors.js";
import type { Centroids, Metadata, Reward, TabularMdp } from "./mdp.js";
import { inferTerminalStates } from "./terminals.js";

/** What a builder must provide; everything optional gets the documented default. */
export interface MdpParts {
  readonly nS: number;
  readonly nA: number;
  readonly rowPtr: Int32Array;
  readonly next: Int32Array;
  readonly prob: Float64Array;
  readonly reward: Reward;
  readonly d0: Float64Array;
  /** Default: from metadata, else inferred from the transitions (see inferTerminalStates). */
  readonly terminalS?: Uint8Array;
  /** Default: every action admissible everywhere. */
  readonly admissibleSA?: Uint8Array | null;
  readonly expertPolicy?: Float64Array | null;
  readonly centroids?: Centroids | null;
  readonly sofa?: Float64Array | null;
  readonly metadata?: Metadata;
}

/** Assemble a model, filling defaults and checking array lengths (not probabilities: see validate). */
export function makeMdp(p: MdpParts): TabularMdp {
  const rows = p.nS * p.nA;
  if (p.rowPtr.length !== rows + 1)
    throw new ModelError(`rowPtr has ${p.rowPtr.length} entries, expected ${rows + 1}`);
  if (p.next.length !== p.prob.length) throw new ModelError("next and prob differ in length");
  if (p.d0.length !== p.nS) throw new ModelError(`d0 has ${p.d0.length} entries, expected ${p.nS}`);
  const metadata = p.metadata ?? {};
  const base = {
    nS: p.nS,
    nA: p.nA,
    rowPtr: p.rowPtr,
    next: p.next,
    prob: p.prob,
    reward: p.reward,
    d0: p.d0,
    admissibleSA: p.admissibleSA ?? new Uint8Array(rows).fill(1),
    admissibleKnown: p.admissibleSA != null,
    expertPolicy: p.expertPolicy ?? null,
    centroids: p.centroids ?? null,
    sofa: p.sofa ?? null,
    metadata,
  };
  const terminalS = p.terminalS ?? terminalsFromMetadata(metadata, p.nS) ?? inferTerminalStates(base);
  return { ...base, terminalS };
}

function terminalsFromMetadata(md: Metadata, nS: number): Uint8Array | null {
  if (!Array.isArray(md.terminal_states)) return null;
  const flags = new Uint8Array(nS);
  for (const s of md.terminal_states) flags[s] = 1;
  return flags;
}

/**
 * CSR arrays from a dense row-major (nS*nA) x nS matrix, keeping exact non-zeros.
 * Meant for small MDPs built in code and tests.
 */
export function csrFromDense(
  dense: ArrayLike<number>,
  nRows: number,
  nS: number,
): {
  rowPtr: Int32Array;
  next: Int32Array;
  prob: Float64Array;
} {
  let nnz = 0;
  for (let i = 0; i < dense.length; i++) if (dense[i] !== 0) nnz++;
  const rowPtr = new Int32Array(nRows + 1);
  const next = new Int32Array(nnz);
  const prob = new Float64Array(nnz);
  let k = 0;
  for (let r = 0; r < nRows; r++) {
    for (let s = 0; s < nS; s++) {
      const v = dense[r * nS + s]!;
      if (v !== 0) {
        next[k] = s;
        prob[k] = v;
        k++;
      }
    }
    rowPtr[r + 1] = k;
  }
  return { rowPtr, next, prob };
}

/** Incremental CSR builder: add rows in order, each as (state, probability) pairs. */
export class CsrBuilder {
  private nextBuf = new Int32Array(1024);
  private probBuf = new Float64Array(1024);
  private nnz = 0;
  private readonly rowPtr: Int32Array;
  private row = 0;

  constructor(readonly nRows: number) {
    this.rowPtr = new Int32Array(nRows + 1);
  }

  /** Append one entry to the current row (states must be ascending within a row). */
  push(state: number, p: number): void {
    if (this.nnz === this.nextBuf.length) {
      const n2 = new Int32Array(this.nnz * 2);
      n2.set(this.nextBuf);
      this.nextBuf = n2;
      const p2 = new Float64Array(this.nnz * 2);
      p2.set(this.probBuf);
      this.probBuf = p2;
    }
    this.nextBuf[this.nnz] = state;
    this.probBuf[this.nnz] = p;
    this.nnz++;
  }

  /** Close the current row. */
  endRow(): void {
    this.row++;
    this.rowPtr[this.row] = this.nnz;
  }

  finish(): { rowPtr: Int32Array; next: Int32Array; prob: Float64Array } {
    if (this.row !== this.nRows)
      throw new ModelError(`CSR builder got ${this.row} rows, expected ${this.nRows}`);
    return {
      rowPtr: this.rowPtr,
      next: this.nextBuf.slice(0, this.nnz),
      prob: this.probBuf.slice(0, this.nnz),
    };
  }
}
