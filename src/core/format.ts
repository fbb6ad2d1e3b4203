/**
 * `x.toFixed(digits)`, except that a negative number that rounds to zero prints as zero: "-0.0000" reads as
 * a sign that is not there (a gap of -1e-12 between two equal figures).
 */
export function fixed(x: number, digits: number): string {
  const s = x.toFixed(digits);
  return /^-0(\.0*)?$/.test(s) ? s.slice(1) : s;
}
