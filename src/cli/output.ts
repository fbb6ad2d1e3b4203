import { fixed } from "../core/format.js";

/** The only place commands write results: JSON for machines, aligned text for people. */
export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

export function printLines(lines: readonly string[]): void {
  process.stdout.write(`${lines.join("\n")}\n`);
}

export function warn(message: string): void {
  process.stderr.write(`tabmdp: warning: ${message}\n`);
}

/** An error line for a command that still prints what it could compute (the caller sets exit code 2). */
export function printError(message: string): void {
  process.stderr.write(`tabmdp: ${message}\n`);
}

/** A table with left-aligned first column and right-aligned others. */
export function table(header: readonly string[], rows: readonly (readonly string[])[]): string[] {
  const widths = header.map((h, i) => rows.reduce((w, r) => Math.max(w, (r[i] ?? "").length), h.length));
  const fmt = (r: readonly string[]): string =>
    r.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join("  ");
  return [fmt(header), widths.map((w) => "-".repeat(w)).join("  "), ...rows.map(fmt)];
}

export const fmt = (x: number | null, digits = 4): string => (x === null ? "unbounded" : fixed(x, digits));

/** Ascending integer ids as ranges: [0, 1, 2, 3, 7, 9, 10] -> "0-3, 7, 9-10" ("none" when empty). */
export function idRanges(ids: readonly number[]): string {
  const parts: string[] = [];
  for (let i = 0; i < ids.length; ) {
    let j = i;
    while (j + 1 < ids.length && ids[j + 1] === ids[j]! + 1) j++;
    parts.push(j === i ? String(ids[i]) : `${ids[i]}-${ids[j]}`);
    i = j + 1;
  }
  return parts.join(", ") || "none";
}

/** Said under a certified optimum whose error bound misses 1e-10 (nothing when it does not). */
export function accuracyLines(lessAccurate: boolean, errorBound: number | null): string[] {
  if (!lessAccurate) return [];
  const bound =
    errorBound === null
      ? "no error bound could be established"
      : `error up to ${errorBound.toExponential(2)}`;
  return [
    `accuracy: less accurate than 1e-10: ${bound} (an optimal policy ends episodes so slowly that a Bellman ` +
      "residual at rounding level allows that error in the values and the optimal action sets)",
  ];
}

/** The chosen optimal policy's expected length (the shortest) and, where ties allow others, the range. */
export function lengthLine(shortest: number | null, longest: number | null): string {
  if (shortest === null) return "optimal length: unbounded";
  if (shortest === longest) return `optimal length: ${fmt(shortest)}`;
  return `optimal length: ${fmt(shortest)} (chosen policy); over all optimal policies [${fmt(shortest)}, ${fmt(longest)}]`;
}
