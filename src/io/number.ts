/**
 * Exact decimal parsing straight from bytes, for the streaming matrix reader.
 *
 * Grammar (plain CSV decimals): `[+-]? (digits [. digits?] | . digits) ([eE] [+-]? digits)?`. Anything else
 * (empty, spaces, "NaN", "Infinity", hex) is rejected with NaN; callers explain why via `describeBadNumber`.
 *
 * The result always equals `Number(text)`: simple decimals (<= 15 significant digits, |10-exponent| <= 22) are
 * one IEEE multiply or divide of two exactly representable doubles, hence correctly rounded (Clinger's fast
 * path). 16-19 digit fractions (most of ICU-Sepsis: Python repr prints 17) use a verified double-double
 * quotient. Everything else, and the rare near-halfway case, falls back to `Number` on the substring.
 */

import { quote } from "./quote.js";

/** 10^0 .. 10^22, all exactly representable; built from literals so no pow() rounding creeps in. */
const POW10 = Float64Array.from({ length: 23 }, (_, i) => Number(`1e${i}`));
const MAX_FAST_DIGITS = 15;
/** Digits beyond the first 15 kept for the double-double path (15 + 4 = 19 < 2^64). */
const MAX_EXTRA_DIGITS = 4;
/** Of the first 15 digits, how many go to the first integer (10^9 < 2^31). */
const HI_DIGITS = 9;

const PLUS = 43;
const MINUS = 45;
const DOT = 46;
const ZERO = 48;
const LOWER_E = 101;
const UPPER_E = 69;

const slowParse = (b: Uint8Array, start: number, end: number): number =>
  Number(Buffer.from(b.buffer, b.byteOffset + start, end - start).toString("latin1"));

/** The quotient below is accurate to ~2^-100 relative; bracketing it by this much decides its rounding. */
const BRACKET = 2 ** -80;
const SPLITTER = 134217729; // 2^27 + 1, Dekker's split

/**
 * (hi * 10^nlo + lo) / 10^k correctly rounded, or NaN when too close to a rounding boundary to decide here.
 * The numerator is held exactly as a double-double and the quotient computed as q1 + q2; if the values just
 * below and just above it round to the same double, so does the exact quotient (rounding is monotone).
 */
function divideDoubleDouble(hi: number, lo: number, nlo: number, k: number): number {
  const f = POW10[nlo]!;
  const ph = hi * f;
  const pl = twoProductError(hi, f, ph);
  const mh = ph + lo;
  const ml = lo - (mh - ph) + pl; // TwoSum error of ph + lo (|ph| >= lo), plus pl
  const p = POW10[k]!;
  const q1 = mh / p;
  const th = q1 * p;
  const q2 = (mh - th - twoProductError(q1, p, th) + ml) / p;
  const y = q1 + q2;
  const eps = y * BRACKET;
  return q1 + (q2 - eps) === y && q1 + (q2 + eps) === y ? y : Number.NaN;
}

/** Exact error of the product a * b = p (Dekker), valid without overflow. */
function twoProductError(a: number, b: number, p: number): number {
  let t = SPLITTER * a;
  const ah = t - (t - a);
  const al = a - ah;
  t = SPLITTER * b;
  const bh = t - (t - b);
  const bl = b - bh;
  return ah * bh - p + ah * bl + al * bh + al * bl;
}

/**
 * Memo of the double-double quotients, direct-mapped by a hash of the digits. Probability tables estimated
 * from counts repeat their values (ICU-Sepsis: 1.5 million non-zero cells, some 20,000 distinct values), and
 * the quotient is the costly part of a cell. A slot holds the digits it was computed from, so a hit returns
 * the very double the division gives. Allocated on first use.
 */
const MEMO_BITS = 15;
let memo: { hi: Int32Array; mid: Int32Array; lo: Int32Array; shape: Int32Array; value: Float64Array } | null =
  null;

/** The value of the 19-digit integer hi|mid|lo (9, 6 and nlo digits) / 10^k, as divideDoubleDouble gives it. */
function memoDivide(hi: number, mid: number, lo: number, nlo: number, k: number): number {
  memo ??= {
    hi: new Int32Array(1 << MEMO_BITS),
    mid: new Int32Array(1 << MEMO_BITS),
    lo: new Int32Array(1 << MEMO_BITS),
    shape: new Int32Array(1 << MEMO_BITS), // 0: empty
    value: new Float64Array(1 << MEMO_BITS),
  };
  const m = memo;
  const shape = (k << 4) | nlo;
  const at =
    (Math.imul(hi, 0x9e3779b1) ^ Math.imul(mid, 0x85ebca6b) ^ Math.imul(lo ^ shape, 0xc2b2ae35)) >>>
    (32 - MEMO_BITS);
  if (m.shape[at] === shape && m.hi[at] === hi && m.mid[at] === mid && m.lo[at] === lo) return m.value[at]!;
  const v = divideDoubleDouble(hi * 1e6 + mid, lo, nlo, k);
  if (!Number.isNaN(v)) {
    m.hi[at] = hi;
    m.mid[at] = mid;
    m.lo[at] = lo;
    m.shape[at] = shape;
    m.value[at] = v;
  }
  return v;
}

let lastEnd = 0;

/** Where the last scanDecimal stopped (the first byte not taken). */
export const scanEnd = (): number => lastEnd;

/**
 * Parse the longest decimal starting at b[start] (not past `limit`); scanEnd() tells where it stopped.
 * NaN when there is no well-formed decimal there. Used by the matrix reader so each cell is read once.
 */
export function scanDecimal(b: Uint8Array, start: number, limit: number): number {
  let i = start;
  let neg = false;
  const c = b[i];
  if (c === MINUS || c === PLUS) {
    neg = c === MINUS;
    i++;
  }
  // The first 15 significant digits as two integers, 9 then 6 digits (integer steps, shorter dependency
  // chains than one double), the next 4 in lo.
  let hi = 0;
  let nhi = 0;
  let mid = 0;
  let nmid = 0;
  let lo = 0;
  let nlo = 0;
  let scale = 0;
  let exact = true;
  let digits = 0;
  // One loop for the digits before and after the point (frac = 1 after it), so the arithmetic below has
  // one set of call sites, trained by the first cells, instead of a second set first reached many rows later.
  let frac = 0;
  for (; i < limit; i++) {
    const c = b[i]!;
    const d = c - ZERO;
    if (d < 0 || d > 9) {
      if (c === DOT && frac === 0) {
        frac = 1;
        continue;
      }
      break;
    }
    digits++;
    if (nhi < HI_DIGITS) {
      if (nhi !== 0 || d !== 0) {
        hi = hi * 10 + d;
        nhi++;
      }
      scale -= frac;
    } else if (nmid < MAX_FAST_DIGITS - HI_DIGITS) {
      mid = mid * 10 + d;
      nmid++;
      scale -= frac;
    } else if (nlo < MAX_EXTRA_DIGITS) {
      lo = lo * 10 + d;
      nlo++;
      scale -= frac;
    } else if (d !== 0) exact = false;
    else scale += 1 - frac; // a dropped zero: of the integer part it scales, of the fraction it does not
  }
  lastEnd = i;
  if (digits === 0) return Number.NaN;
  if (i < limit && (b[i] === LOWER_E || b[i] === UPPER_E)) {
    i++;
    let eneg = false;
    if (b[i] === MINUS || b[i] === PLUS) {
      eneg = b[i] === MINUS;
      i++;
    }
    let e = 0;
    let edigits = 0;
    for (; i < limit; i++) {
      const d = b[i]! - ZERO;
      if (d < 0 || d > 9) break;
      edigits++;
      if (e < 100_000) e = e * 10 + d;
    }
    lastEnd = i;
    if (edigits === 0) return Number.NaN;
    scale += eneg ? -e : e;
  }
  if (exact) {
    const mant = hi * POW10[nmid]! + mid; // below 10^15: exact
    if (nlo === 0) {
      if (nhi === 0) return neg ? -0 : 0;
      if (scale >= -22 && scale <= 22) {
        const v = scale < 0 ? mant / POW10[-scale]! : mant * POW10[scale]!;
        return neg ? -v : v;
      }
    } else if (scale < 0 && scale >= -22) {
      const v = memoDivide(hi, mid, lo, nlo, -scale);
      if (!Number.isNaN(v)) return neg ? -v : v;
    }
  }
  return slowParse(b, start, i);
}

/** Parse exactly b[start, end) as a decimal; NaN when it is not one (overflow gives +-Infinity, as Number). */
export function parseDecimalBytes(b: Uint8Array, start: number, end: number): number {
  const v = scanDecimal(b, start, end);
  return lastEnd === end ? v : Number.NaN;
}

/** One way to match each string (no `\d+\.?\d*`), so a long run of digits cannot make it backtrack quadratically. */
const DECIMAL = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

/** Parse one cell given as text (small files); same grammar and result as parseDecimalBytes. */
export function parseDecimalText(text: string): number {
  return DECIMAL.test(text) ? Number(text) : Number.NaN;
}

/** Why a cell is not an acceptable finite number, for error messages (the cell quoted and cut, see quote). */
export function describeBadNumber(text: string): string {
  const shown = quote(text);
  if (text === "") return "empty cell, expected a number";
  if (/^[+-]?nan$/i.test(text.trim())) return `NaN (${shown}) is not allowed, expected a finite number`;
  if (/^[+-]?inf(inity)?$/i.test(text.trim())) return `infinite value ${shown}, expected a finite number`;
  if (DECIMAL.test(text)) return `${shown} overflows to infinity, expected a finite number`;
  if (/^[^\r]*\r[^\n]/.test(text))
    return `line break CR without LF inside ${shown}; convert CR line endings to LF (e.g. tr '\\r' '\\n')`;
  return `non-numeric cell ${shown}, expected a decimal number (files have no header row)`;
}

/**
 * Shortest text that reads back to exactly the same double (String() is shortest round-trip), always with a
 * decimal point or an exponent: "0.0", "3.0", "1e-7". Readers that infer a column's type from its text
 * (polars, pandas, R) then see floats in every cell instead of integers followed by a decimal. -0 keeps its
 * sign so even that survives a round trip. NaN and infinities are written as String() gives them.
 */
export function formatNumber(x: number): string {
  if (x === 0) return Object.is(x, -0) ? "-0.0" : "0.0";
  const t = String(x);
  return Number.isFinite(x) && !/[.e]/.test(t) ? `${t}.0` : t;
}
