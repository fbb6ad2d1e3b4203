import { describe, expect, it } from "vitest";
import { seeded } from "../src/core/rng.js";
import { decimalRowParser } from "../src/io/decimal-rows.js";

const WIDTH = 9;

/** A cell of one of the shapes probability tables hold, and some they rarely do. */
function randomCell(rng: ReturnType<typeof seeded>): string {
  const digits = (n: number): string => Array.from({ length: n }, () => String(rng.int(10))).join("");
  const significant = (n: number): string => `${1 + rng.int(9)}${digits(n - 1)}`;
  switch (rng.int(12)) {
    case 0:
    case 1:
      return "0.0";
    case 2:
      return "0";
    case 3:
    case 4:
    case 5: // "0." + zeros + 1 to 21 significant digits, the common shape
      return `0.${"0".repeat(rng.int(6))}${significant(1 + rng.int(21))}`;
    case 6: // ... with many zeros: past 10^-22 the exact rules give way to Number()
      return `0.${"0".repeat(rng.int(26))}${significant(1 + rng.int(19))}`;
    case 7:
      return `${significant(1 + rng.int(3))}.${digits(rng.int(18))}`;
    case 8:
      return `${significant(1 + rng.int(2))}e${rng.next() < 0.5 ? "-" : ""}${rng.int(30)}`;
    case 9:
      return `+0.${significant(1 + rng.int(17))}`;
    case 10:
      return rng.next() < 0.5 ? `.${digits(1 + rng.int(5))}` : `${significant(1)}.`;
    default:
      return `0.${significant(1 + rng.int(17))}${"0".repeat(rng.int(6))}`;
  }
}

/** The sum of a row's non-zero values as matrix-reader.ts keeps it (Neumaier). */
function compensatedSum(values: readonly number[]): number {
  let sum = 0;
  let comp = 0;
  for (const v of values) {
    const t = sum + v;
    comp += Math.abs(sum) >= v ? sum - t + v : v - t + sum;
    sum = t;
  }
  return sum + comp;
}

describe("the WebAssembly row parser", () => {
  it("gives every cell it takes the double Number(cell) gives, and each row the reader's sum", () => {
    const rng = seeded(21);
    const parser = decimalRowParser(WIDTH);
    try {
      let taken = 0;
      let refused = 0;
      for (let batch = 0; batch < 40; batch++) {
        const rows = Array.from({ length: 100 }, () => Array.from({ length: WIDTH }, () => randomCell(rng)));
        let text = Buffer.from(rows.map((r) => `${r.join(",")}\n`).join(""), "latin1");
        let row = 0;
        while (text.length > 0) {
          const r = parser.parse(text);
          for (let i = 0; i < r.rows; i++, row++) {
            const values = rows[row]!.map(Number);
            const from = i === 0 ? 0 : r.rowEnd[i - 1]!;
            const cols = Array.from(r.col.subarray(from, r.rowEnd[i]!));
            const vals = Array.from(r.val.subarray(from, r.rowEnd[i]!));
            const nonZero = values.flatMap((v, c) => (v === 0 ? [] : [c]));
            expect(cols).toEqual(nonZero);
            for (const [k, v] of vals.entries())
              expect(Object.is(v, values[nonZero[k]!]), rows[row]![nonZero[k]!]).toBe(true);
            expect(Object.is(r.rowSum[i], compensatedSum(nonZero.map((c) => values[c]!)))).toBe(true);
          }
          taken += r.rows;
          if (r.taken === text.length) break;
          // A refused row must hold a cell the exact rules leave to Number(): skip it, as the reader does.
          const line = text.subarray(r.taken, text.indexOf(10, r.taken)).toString("latin1");
          expect(line).toBe(rows[row]!.join(","));
          refused++;
          row++;
          text = text.subarray(text.indexOf(10, r.taken) + 1);
        }
      }
      expect(taken).toBeGreaterThan(1000);
      expect(refused).toBeGreaterThan(0);
    } finally {
      parser.release();
    }
  });

  const good = "0.25,0.0,0,0.5,0.125,0.0,0.0,0.0,0.125\n";
  for (const [why, bad] of [
    ["a negative cell", "0.25,-0.0,0,0.5,0.125,0.0,0.0,0.0,0.125\n"],
    ["a CR line end", "0.25,0.0,0,0.5,0.125,0.0,0.0,0.0,0.125\r\n"],
    ["a blank line", "\n"],
    ["too few cells", "0.5,0.5\n"],
    ["too many cells", `0.0,${good}`],
    ["text", "0.25,0.0,x,0.5,0.125,0.0,0.0,0.0,0.125\n"],
    ["a space", "0.25, 0.0,0,0.5,0.125,0.0,0.0,0.0,0.125\n"],
    ["a decimal past the exact rules", "0.25,0.0,0,0.5,0.125,0.0,0.0,0.0,1e-30\n"],
    ["twenty significant digits", "0.25,0.0,0,0.5,0.125,0.0,0.0,0.0,0.12345678901234567891\n"],
    ["a last line without its line feed", good.trimEnd()],
  ] as const) {
    it(`stops before ${why}, keeping the whole rows before it`, () => {
      const parser = decimalRowParser(WIDTH);
      try {
        const text = Buffer.from(good + good + bad + good, "latin1");
        const r = parser.parse(text);
        expect(r.rows).toBe(2);
        expect(r.taken).toBe(2 * good.length);
        expect(r.nonZeros).toBe(8);
        expect(Array.from(r.col.subarray(0, 4))).toEqual([0, 3, 4, 8]);
      } finally {
        parser.release();
      }
    });
  }
});
