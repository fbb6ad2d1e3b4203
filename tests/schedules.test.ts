import { describe, expect, it } from "vitest";
import { POW_TABLE_SIZE, powTable, visitStep } from "../solvers/learning/schedules.js";

describe("the n^-omega table", () => {
  it("is shared while its omega is among the last few, and rebuilt after (the memo is bounded)", () => {
    const t = powTable(0.61);
    expect(powTable(0.61)).toBe(t);
    for (const omega of [0.62, 0.63, 0.64, 0.65]) powTable(omega);
    const again = powTable(0.61);
    expect(again).not.toBe(t);
    expect(again).toEqual(t);
  });

  it("gives the same doubles as n ** -omega, with or without the table", () => {
    const t = powTable(0.6);
    for (const n of [1, 2, 77, POW_TABLE_SIZE - 1, POW_TABLE_SIZE, 1e6]) {
      expect(visitStep(0.3, n, 0.6, t)).toBe(0.3 * n ** -0.6);
      expect(visitStep(0.3, n, 0.6)).toBe(0.3 * n ** -0.6);
    }
  });
});
