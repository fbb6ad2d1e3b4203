import { expect } from "vitest";
import type { TabularMdp } from "../../src/model/mdp.js";

/** Bytes of a typed array (or null), for bit-exact comparisons that also tell -0 from 0. */
const bytes = (x: ArrayBufferView | null | undefined): Buffer | null =>
  x == null ? null : Buffer.from(x.buffer, x.byteOffset, x.byteLength);

/** Every array of two models compared bit for bit, plus sizes, reward kind and centroid width. */
export function expectSameModel(a: TabularMdp, b: TabularMdp): void {
  expect([b.nS, b.nA, b.admissibleKnown, b.reward.kind]).toEqual([
    a.nS,
    a.nA,
    a.admissibleKnown,
    a.reward.kind,
  ]);
  for (const k of [
    "rowPtr",
    "next",
    "prob",
    "d0",
    "terminalS",
    "admissibleSA",
    "expertPolicy",
    "sofa",
  ] as const) {
    expect(bytes(b[k])?.equals(bytes(a[k]) ?? Buffer.alloc(0)) ?? a[k] === null, k).toBe(true);
  }
  const ra = a.reward.kind === "next-state" ? a.reward.rS : a.reward.rSA;
  const rb = b.reward.kind === "next-state" ? b.reward.rS : b.reward.rSA;
  expect(bytes(rb)!.equals(bytes(ra)!), "reward").toBe(true);
  expect(b.centroids?.dim).toEqual(a.centroids?.dim);
  expect(
    bytes(b.centroids?.data)?.equals(bytes(a.centroids?.data) ?? Buffer.alloc(0)) ?? a.centroids === null,
  ).toBe(true);
}
