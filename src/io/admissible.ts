/**
 * admissibleActions.txt: line 1 holds S space-separated counts; line 1+s the space-separated admissible actions
 * of state s (in any order). Columns in messages are token numbers.
 */

import { type ProblemSink, report } from "./problems.js";
import { quote } from "./quote.js";

const tokens = (line: string): string[] => {
  const t = line.trim();
  return t === "" ? [] : t.split(/[ \t]+/);
};

const asIndex = (tok: string): number => (/^\d+$/.test(tok) ? Number(tok) : Number.NaN);

/** nS*nA admissibility flags (1 = admissible) from the file's text, problems to the sink. */
export function parseAdmissible(
  text: string,
  file: string,
  nS: number,
  nA: number,
  sink: ProblemSink,
): Uint8Array {
  const lines = text.split(/\r?\n/);
  while (lines.length > nS + 1 && lines[lines.length - 1]!.trim() === "") lines.pop();
  const flags = new Uint8Array(nS * nA);
  if (lines.length === 1 && lines[0]!.trim() === "") {
    report(sink, file, null, null, "empty file, expected a line of counts and one line per state");
    return flags;
  }
  if (lines.length !== nS + 1) {
    const line = lines.length > nS + 1 ? nS + 2 : lines.length + 1;
    report(
      sink,
      file,
      line,
      1,
      `wrong number of lines: ${lines.length}, expected ${nS + 1} (1 + S, S = ${nS})`,
    );
  }
  const counts = tokens(lines[0]!);
  if (counts.length !== nS) {
    const col = counts.length > nS ? nS + 1 : counts.length + 1;
    report(sink, file, 1, col, `line 1 has ${counts.length} counts, expected ${nS} (one per state)`);
  }
  counts.forEach((tok, i) => {
    const n = asIndex(tok);
    if (!(n >= 0 && n <= nA))
      report(sink, file, 1, i + 1, `count ${quote(tok)} is not an integer in 0..${nA}`);
  });
  for (let s = 0; s < nS && s + 1 < lines.length && !sink.full; s++) {
    const line = s + 2;
    const acts = tokens(lines[s + 1]!);
    acts.forEach((tok, i) => {
      const a = asIndex(tok);
      if (!(a >= 0 && a < nA))
        report(
          sink,
          file,
          line,
          i + 1,
          `action ${quote(tok)} of state ${s} is out of range, expected 0..${nA - 1}`,
        );
      else if (flags[s * nA + a] === 1)
        report(sink, file, line, i + 1, `action ${a} of state ${s} is listed twice`);
      else flags[s * nA + a] = 1;
    });
    const c = counts[s];
    const want = c === undefined ? Number.NaN : asIndex(c);
    if (!Number.isNaN(want) && want !== acts.length)
      report(
        sink,
        file,
        line,
        acts.length + 1,
        `state ${s} lists ${acts.length} actions but line 1 says ${want}`,
      );
  }
  return flags;
}

/** The file's text for a model's flags (counts line, then one line per state). */
export function formatAdmissible(flags: Uint8Array, nS: number, nA: number): string {
  const counts: number[] = [];
  const rows: string[] = [];
  for (let s = 0; s < nS; s++) {
    const acts: number[] = [];
    for (let a = 0; a < nA; a++) if (flags[s * nA + a] === 1) acts.push(a);
    counts.push(acts.length);
    rows.push(acts.join(" "));
  }
  return `${counts.join(" ")}\n${rows.join("\n")}\n`;
}
