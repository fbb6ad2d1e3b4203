import { UsageError } from "../core/errors.js";
import type { FastRng } from "../core/fast-rng.js";
import type { TabularMdp } from "../model/mdp.js";
import { admissibleMean, type MeanScratch, meanScratch } from "../model/mean-rule.js";

/**
 * Everything a step needs to draw s' in O(1), laid out for the cache.
 *
 * Each distinct row is a Walker/Vose alias table stored as records of three 32-bit words: a threshold scaled
 * to 2^32, the slot's own successor and its alias successor. A step draws a slot, then compares the rest of
 * the same 32-bit draw with the threshold (see `draw`); slots that always keep their own entry store it as
 * their alias too, which removes a branch.
 *
 * Rows that equal the mean of their state's admissible rows (the ICU-Sepsis convention for inadmissible
 * actions, to 1e-12 per entry) share one table per state, built from that mean computed exactly from the
 * admissible rows. On ICU-Sepsis this keeps 2,238 + 75 rows plus 713 mixtures of 17,900 rows: about 1.9 MB
 * of records instead of 24 MB of CSR + alias arrays, so a step rarely misses the cache. A mixture table
 * also samples a mean row with one draw, where "draw an admissible action, then its row" (the same
 * distribution) would need two.
 */
export interface TransitionSampler {
  /** First record of each row's table. */
  readonly rowStart: Int32Array;
  /** Number of records of each row's table. */
  readonly rowLen: Int32Array;
  /** Three words per record: threshold (u32), own successor, alias successor. */
  readonly rec: Uint32Array;
}

const cache = new WeakMap<TabularMdp, TransitionSampler>();

export function transitionSampler(m: TabularMdp): TransitionSampler {
  let t = cache.get(m);
  if (t === undefined) {
    t = buildSampler(m);
    cache.set(m, t);
  }
  return t;
}

function buildSampler(m: TabularMdp): TransitionSampler {
  const rows = m.nS * m.nA;
  const admPtr = new Int32Array(m.nS + 1); // admissible actions of states before s
  for (let s = 0; s < m.nS; s++) {
    let n = 0;
    for (let a = 0; a < m.nA; a++) n += m.admissibleSA[s * m.nA + a] === 1 ? 1 : 0;
    admPtr[s + 1] = admPtr[s]! + n;
  }
  const scratch = meanScratch(m.nS);
  const mixture = m.admissibleKnown ? meanRows(m, admPtr, scratch) : new Uint8Array(rows);
  // Tables: every row of its own, except mean rows, which point at their state's mixture table.
  const tables: { prob: ArrayLike<number>; next: ArrayLike<number>; lo: number; n: number }[] = [];
  const tableOf = new Int32Array(rows);
  for (let s = 0; s < m.nS; s++) {
    let mix = -1;
    for (let a = 0; a < m.nA; a++) {
      const r = s * m.nA + a;
      if (mixture[r] === 1) {
        if (mix < 0) {
          mix = tables.length;
          tables.push(meanOfAdmissible(m, s, scratch));
        }
        tableOf[r] = mix;
      } else {
        tableOf[r] = tables.length;
        tables.push({ prob: m.prob, next: m.next, lo: m.rowPtr[r]!, n: m.rowPtr[r + 1]! - m.rowPtr[r]! });
      }
    }
  }
  const start = new Int32Array(tables.length);
  let total = 0;
  tables.forEach((t, i) => {
    start[i] = total;
    total += t.n;
  });
  const rec = new Uint32Array(3 * total);
  tables.forEach((t, i) => {
    fillAliasRecords(t.prob, t.next, t.lo, t.n, rec, start[i]!);
  });
  const rowStart = new Int32Array(rows);
  const rowLen = new Int32Array(rows);
  for (let r = 0; r < rows; r++) {
    rowStart[r] = start[tableOf[r]!]!;
    rowLen[r] = tables[tableOf[r]!]!.n;
  }
  return { rowStart, rowLen, rec };
}

/** The mean of state s's admissible rows (the model's mean rule) without its zero entries. */
function meanOfAdmissible(
  m: TabularMdp,
  s: number,
  scratch: MeanScratch,
): { prob: Float64Array; next: Int32Array; lo: number; n: number } {
  const mean = admissibleMean(m, m.nA, m.admissibleSA, s, scratch)!;
  const keep = Array.from(mean.next.keys()).filter((i) => mean.prob[i]! > 0);
  return {
    prob: Float64Array.from(keep, (i) => mean.prob[i]!),
    next: Int32Array.from(keep, (i) => mean.next[i]!),
    lo: 0,
    n: keep.length,
  };
}

/** Flags the inadmissible rows that equal the mean of their state's admissible rows (to 1e-12 per entry). */
function meanRows(m: TabularMdp, admPtr: Int32Array, scratch: MeanScratch): Uint8Array {
  const flags = new Uint8Array(m.nS * m.nA);
  const mean = new Float64Array(m.nS);
  const row = new Float64Array(m.nS);
  for (let s = 0; s < m.nS; s++) {
    const n = admPtr[s + 1]! - admPtr[s]!;
    if (n === 0 || n === m.nA) continue;
    mean.fill(0);
    const sparse = admissibleMean(m, m.nA, m.admissibleSA, s, scratch)!;
    sparse.next.forEach((t, i) => {
      mean[t] = sparse.prob[i]!;
    });
    for (let a = 0; a < m.nA; a++) {
      const r = s * m.nA + a;
      if (m.admissibleSA[r] === 1) continue;
      row.fill(0);
      for (let k = m.rowPtr[r]!; k < m.rowPtr[r + 1]!; k++) row[m.next[k]!] = m.prob[k]!;
      let same = true;
      for (let t = 0; t < m.nS && same; t++) same = Math.abs(row[t]! - mean[t]!) <= 1e-12;
      if (same) flags[r] = 1;
    }
  }
  return flags;
}

/** MDPs of at most this many states get the kernels' narrow (8-byte) transition records. */
export const NARROW_RECORD_STATES = 1 << 16;

/**
 * Words per transition record in the WebAssembly kernels' layout: 2 (threshold, own | alias << 16) when
 * state ids fit in 16 bits, else 4 (threshold, own, alias, unused), so a record's address is a shift.
 */
export function packedRecordWords(nS: number): 2 | 4 {
  return nS <= NARROW_RECORD_STATES ? 2 : 4;
}

/**
 * Copies `count` of the sampler's 3-word records, from record `from`, into `out` at record `to`, packed as the
 * kernels read them (narrow or wide: transition-records.part.wat declares both).
 */
export function packRecords(
  rec: Uint32Array,
  from: number,
  count: number,
  out: Uint32Array,
  to: number,
  words: 2 | 4,
): void {
  for (let j = 0; j < count; j++) {
    const i = 3 * (from + j);
    const o = words * (to + j);
    out[o] = rec[i]!;
    if (words === 2) out[o + 1] = (rec[i + 1]! | (rec[i + 2]! << 16)) >>> 0;
    else {
      out[o + 1] = rec[i + 1]!;
      out[o + 2] = rec[i + 2]!;
    }
  }
}

/** The initial distribution d0 as alias records over its support (or the part `include` keeps, renormalised). */
export function initialStateRecords(
  m: TabularMdp,
  include: (s: number) => boolean = () => true,
): Uint32Array {
  const support: number[] = [];
  const weights: number[] = [];
  m.d0.forEach((p, s) => {
    if (p > 0 && include(s)) {
      support.push(s);
      weights.push(p);
    }
  });
  if (support.length === 0) throw new UsageError("the initial state distribution has no positive entry");
  return aliasRecords(weights, support);
}

/** A single distribution (e.g. d0) as alias records: entries `next[i]` with weights `prob[i]`. */
export function aliasRecords(prob: ArrayLike<number>, next: ArrayLike<number>): Uint32Array {
  const rec = new Uint32Array(3 * prob.length);
  fillAliasRecords(prob, next, 0, prob.length, rec, 0);
  return rec;
}

/**
 * Equal-length rows of weights (e.g. a policy's S x A table) as alias records over the column index:
 * row r occupies records r*width .. r*width + width - 1. A row of zeros samples uniformly.
 */
export function tableAliasRecords(weights: Float64Array, rows: number, width: number): Uint32Array {
  const rec = new Uint32Array(3 * rows * width);
  const column = Int32Array.from({ length: rows * width }, (_, k) => k % width);
  const uniform = new Float64Array(width).fill(1);
  for (let r = 0; r < rows; r++) {
    let sum = 0;
    for (let i = 0; i < width; i++) sum += weights[r * width + i]!;
    if (sum === 0) fillAliasRecords(uniform, column, 0, width, rec, r * width);
    else fillAliasRecords(weights, column, r * width, width, rec, r * width);
  }
  return rec;
}

/** Vose's alias method for entries lo .. lo+n-1, written as records at `start`. */
function fillAliasRecords(
  prob: ArrayLike<number>,
  next: ArrayLike<number>,
  lo: number,
  n: number,
  rec: Uint32Array,
  start: number,
): void {
  const cut = new Float64Array(n);
  const alias = new Int32Array(n);
  let total = 0;
  for (let i = 0; i < n; i++) total += prob[lo + i]!;
  const small: number[] = [];
  const large: number[] = [];
  for (let i = 0; i < n; i++) {
    cut[i] = (prob[lo + i]! * n) / total;
    alias[i] = i;
    (cut[i]! < 1 ? small : large).push(i);
  }
  while (small.length > 0 && large.length > 0) {
    const sIdx = small.pop()!;
    const lIdx = large[large.length - 1]!;
    alias[sIdx] = lIdx;
    cut[lIdx] = cut[lIdx]! + cut[sIdx]! - 1;
    if (cut[lIdx]! < 1) {
      large.pop();
      small.push(lIdx);
    }
  }
  // Leftovers are 1 up to rounding: they keep their own entry (alias = self).
  for (const i of large) alias[i] = i;
  for (const i of small) alias[i] = i;
  for (let i = 0; i < n; i++) {
    const o = 3 * (start + i);
    const own = next[lo + i]!;
    const keepsOwn = alias[i] === i;
    rec[o] = keepsOwn ? 0xffffffff : Math.min(0xffffffff, Math.floor(cut[i]! * 4294967296));
    rec[o + 1] = own;
    rec[o + 2] = keepsOwn ? own : next[lo + alias[i]!]!;
  }
}

/**
 * One alias draw from `len` records starting at record `start`, from a single 32-bit draw u: x = u * len (exact
 * in a double) splits into the slot floor(x / 2^32) and a remainder uniform on multiples of len, which is
 * compared with the slot's 2^32-scaled threshold. Each entry's probability is then exact to within 2^-32.
 */
export function draw(rng: FastRng, rec: Uint32Array, start: number, len: number): number {
  const x = rng.nextU32() * len;
  const slot = Math.floor(x / 4294967296);
  const o = 3 * (start + slot);
  const own = rec[o + 1]!;
  const alias = rec[o + 2]!;
  // Branch-free select: the comparison is a coin flip for most slots, so a branch would mispredict often
  // (random-action stepping, alternating runs: 14.6 -> 15.9 M steps/s median).
  const keep = Math.floor((x - slot * 4294967296 - rec[o]!) / 8589934592); // -1 below the threshold, else 0
  return alias ^ ((own ^ alias) & keep);
}
