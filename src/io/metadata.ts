/** metadata.json: any JSON object; the keys tabmdp understands are checked against S and A. */
import type { Metadata } from "../model/mdp.js";
import { type ProblemSink, report } from "./problems.js";
import { readSmallText } from "./source.js";

/** 1-based line and column of a character offset. */
export function lineCol(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let start = 0;
  for (let i = 0; i < offset && i < text.length; i++)
    if (text.charCodeAt(i) === 10) {
      line++;
      start = i + 1;
    }
  return { line, column: offset - start + 1 };
}

/** Offset of `"key": value` (its value), or of the index-th element when the value is an array. */
function locate(text: string, key: string, index?: number): number {
  const m = new RegExp(`"${key}"\\s*:\\s*`).exec(text);
  if (m === null) return 0;
  let i = m.index + m[0].length;
  if (index === undefined || text[i] !== "[") return i;
  i++;
  for (let k = 0; k < index; k++) {
    while (i < text.length && text[i] !== "," && text[i] !== "]") i++;
    i++;
  }
  while (/\s/.test(text[i] ?? "")) i++;
  return i;
}

const isIndex = (v: unknown, n: number): boolean =>
  Number.isInteger(v) && (v as number) >= 0 && (v as number) < n;

/** Parse and check metadata; null (with a problem) when it is not a JSON object. */
export function parseMetadata(
  text: string,
  file: string,
  nS: number | null,
  nA: number | null,
  sink: ProblemSink,
): Metadata | null {
  let md: unknown;
  try {
    md = JSON.parse(text);
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    const pos = /position (\d+)/.exec(msg);
    const at = pos ? lineCol(text, Number(pos[1])) : null;
    report(sink, file, at?.line ?? null, at?.column ?? null, `invalid JSON: ${msg}`);
    return null;
  }
  if (typeof md !== "object" || md === null || Array.isArray(md)) {
    report(sink, file, 1, 1, "expected a JSON object");
    return null;
  }
  const o = md as Record<string, unknown>;
  const at = (key: string, index?: number) => lineCol(text, locate(text, key, index));
  const bad = (key: string, why: string, index?: number): void => {
    const p = at(key, index);
    report(sink, file, p.line, p.column, why);
  };
  if (nS !== null) {
    if (o.terminal_states !== undefined) {
      if (!Array.isArray(o.terminal_states))
        bad("terminal_states", "terminal_states must be an array of states");
      else
        o.terminal_states.forEach((s: unknown, i) => {
          if (!isIndex(s, nS))
            bad(
              "terminal_states",
              `terminal state ${JSON.stringify(s)} is out of range, expected 0..${nS - 1}`,
              i,
            );
        });
    }
    for (const key of ["death_state", "survival_state"])
      if (o[key] !== undefined && !isIndex(o[key], nS))
        bad(key, `${key} ${JSON.stringify(o[key])} is out of range, expected 0..${nS - 1}`);
    if (o.n_states !== undefined && o.n_states !== nS)
      bad("n_states", `n_states is ${JSON.stringify(o.n_states)}, but the tables have S = ${nS}`);
  }
  if (nA !== null && o.n_actions !== undefined && o.n_actions !== nA)
    bad("n_actions", `n_actions is ${JSON.stringify(o.n_actions)}, but the tables have A = ${nA}`);
  for (const key of ["gamma", "discount"]) {
    const g = o[key];
    if (g !== undefined && !(typeof g === "number" && g > 0 && g <= 1))
      bad(key, `${key} ${JSON.stringify(g)} must be a number in (0, 1]`);
  }
  return o as Metadata;
}

/**
 * n_actions as declared in metadata.json, read ahead of the tables so the transition reader can bound its rows
 * (S x A) and label rows when it stops early; null when absent or unreadable (parseMetadata reports why).
 */
export async function declaredActions(path: string): Promise<number | null> {
  try {
    const o = JSON.parse(await readSmallText(path)) as { n_actions?: unknown };
    return Number.isSafeInteger(o.n_actions) && (o.n_actions as number) > 0 ? (o.n_actions as number) : null;
  } catch {
    return null;
  }
}
