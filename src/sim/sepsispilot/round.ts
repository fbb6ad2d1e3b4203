/**
 * Round to `dp` decimals the way the reference does (Python `round`): the decimal nearest to the
 * exact binary value, exact ties to even. Scaling by 10^dp is only trusted away from a half.
 */
export function roundDp(x: number, dp: number): number {
  if (!Number.isFinite(x)) return x;
  const p = 10 ** dp;
  const y = Math.abs(x) * p;
  const fl = Math.floor(y);
  const frac = y - fl;
  if (Math.abs(frac - 0.5) > 1e-6) return (Math.sign(x) * (frac < 0.5 ? fl : fl + 1)) / p || 0;
  return exactRound(x, dp);
}

/** Slow path near a half: read the exact decimal expansion (toFixed is exact in V8 up to 100 digits). */
function exactRound(x: number, dp: number): number {
  const s = Math.abs(x).toFixed(Math.min(100, dp + 40));
  const dot = s.indexOf(".");
  const kept = dp === 0 ? s.slice(0, dot) : s.slice(0, dot + 1 + dp);
  const rest = s.slice(dot + 1 + dp);
  const head = BigInt(kept.replace(".", ""));
  let up: boolean;
  if (/^50*$/.test(rest))
    up = head % 2n === 1n; // exact tie: to even
  else up = rest.charCodeAt(0) >= 53; // '5'..'9' with a non-zero tail, or above
  const digits = (up ? head + 1n : head).toString().padStart(dp + 1, "0");
  const text = dp === 0 ? digits : `${digits.slice(0, -dp)}.${digits.slice(-dp)}`;
  const v = Number(text);
  return x < 0 ? -v : v;
}
