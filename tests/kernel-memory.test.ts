import { describe, expect, it } from "vitest";
import { reusableSpace, wasmModule } from "../src/core/kernel-space.js";

// A file of its own, tests in this order: the kept memories are per process (per test file), and each test
// counts on knowing which are kept when it starts.
describe("kernel memory handed on between solves", () => {
  const module = wasmModule("AGFzbQEAAAACDwEDZW52Bm1lbW9yeQIAAQ=="); // imports a memory, exports nothing
  it("the smallest kept memory that fits is taken first", () => {
    const layout = (n: number) => ({ x: { type: "f64" as const, length: n } });
    const small = reusableSpace(module, layout(10));
    const large = reusableSpace(module, layout(50_000));
    small.release();
    large.release();
    expect(reusableSpace(module, layout(20)).memory).toBe(small.memory);
    expect(reusableSpace(module, layout(20)).memory).toBe(large.memory);
  });

  it("a released space's memory serves the next one, grown when needed, zero-filled except scratch", () => {
    const a = reusableSpace<object, { x: { type: "f64"; length: 4 }; y: { type: "f64"; length: 4 } }>(
      module,
      {
        x: { type: "f64", length: 4 },
        y: { type: "f64", length: 4 },
      },
    );
    a.view.x.fill(1);
    a.view.y.fill(2);
    a.release();
    const b = reusableSpace(
      module,
      { x: { type: "f64", length: 4 }, y: { type: "f64", length: 4 } },
      new Set(["y"]),
    );
    expect(b.memory).toBe(a.memory);
    expect(Array.from(b.view.x)).toEqual([0, 0, 0, 0]);
    expect(Array.from(b.view.y)).toEqual([2, 2, 2, 2]);
    const c = reusableSpace(module, { big: { type: "f64", length: 100_000 } });
    expect(c.memory).not.toBe(a.memory); // b still holds it
    b.release();
    const d = reusableSpace(module, { big: { type: "f64", length: 100_000 } });
    expect(d.memory).toBe(a.memory);
    expect(d.view.big.length).toBe(100_000);
    c.release();
    d.release();
  });
});
