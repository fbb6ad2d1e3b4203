import { describe, expect, it } from "vitest";
import { watKernel, watVariants } from "../scripts/wat-variants.js";

const kept = (text: string): string[] =>
  text
    .split("\n")
    .map((l) => l.trim())
    .filter((l) => l !== "");

describe("kernel variants chosen by line directives", () => {
  const source = [
    ";;#variants rule=a|b|c wide=0|1",
    "common",
    ";;#if rule=a|c",
    "a or c",
    ";;#if wide",
    "a or c, wide",
    ";;#else",
    "a or c, narrow",
    ";;#end",
    ";;#else",
    "b",
    ";;#end",
    ";;#if !wide",
    "narrow",
    ";;#end",
  ].join("\n");

  it("makes one variant per combination, keyed in the order of the #variants line", () => {
    const v = watVariants("k.wat", source);
    expect(v.map((x) => x.key)).toEqual([
      "rule=a,wide=0",
      "rule=a,wide=1",
      "rule=b,wide=0",
      "rule=b,wide=1",
      "rule=c,wide=0",
      "rule=c,wide=1",
    ]);
    const text = new Map(v.map((x) => [x.key, kept(x.text)]));
    expect(text.get("rule=a,wide=1")).toEqual(["common", "a or c", "a or c, wide"]);
    expect(text.get("rule=c,wide=0")).toEqual(["common", "a or c", "a or c, narrow", "narrow"]);
    expect(text.get("rule=b,wide=0")).toEqual(["common", "b", "narrow"]);
    expect(text.get("rule=b,wide=1")).toEqual(["common", "b"]);
  });

  it("keeps line numbers (directives become blank lines)", () => {
    for (const v of watVariants("k.wat", source)) expect(v.text.split("\n")).toHaveLength(15);
  });

  it("passes a file without directives through as one variant", () => {
    expect(watVariants("k.wat", "(module)\n")).toEqual([
      { key: "", text: "(module)\n", origins: ["k.wat:1", "k.wat:2"] },
    ]);
  });

  it("splices in fragments (nested, paths beside the including file), with errors naming the fragment's line", () => {
    const parts: Record<string, string> = {
      "k/a.part.wat": "a1\n;;#include sub/b.part.wat\na2",
      "k/sub/b.part.wat": ";;#if wide\nb wide\n;;#end",
      "k/bad.part.wat": "x\n;;#if nope\n;;#end",
      "k/loop.part.wat": ";;#include loop.part.wat",
    };
    const read = (path: string): string => parts[path] ?? "";
    const v = watVariants("k/main.wat", ";;#variants wide=0|1\nm\n;;#include a.part.wat", read);
    expect(v.map((x) => kept(x.text))).toEqual([
      ["m", "a1", "a2"],
      ["m", "a1", "b wide", "a2"],
    ]);
    expect(v[0]!.origins).toEqual([
      "k/main.wat:1",
      "k/main.wat:2",
      "k/a.part.wat:1",
      "k/sub/b.part.wat:1",
      "k/sub/b.part.wat:2",
      "k/sub/b.part.wat:3",
      "k/a.part.wat:3",
    ]);
    expect(() => watVariants("k/main.wat", ";;#variants w=0|1\n;;#include bad.part.wat", read)).toThrow(
      'k/bad.part.wat:2: unknown variant dimension "nope"',
    );
    expect(() => watVariants("k/main.wat", ";;#include loop.part.wat", read)).toThrow(
      'k/loop.part.wat:1: "loop.part.wat" includes itself',
    );
  });

  it.each([
    [";;#variants w=0|1\n;;#if x\n;;#end", 'k.wat:2: unknown variant dimension "x"'],
    [";;#variants w=0|1\n;;#if w=2\n;;#end", 'k.wat:2: "w" has no value "2"'],
    [";;#variants w=0|1\n;;#if w\n", "k.wat:2: #if without #end"],
    [";;#variants w=0|1\n;;#end", "k.wat:2: #end without #if"],
    [";;#variants w=0|1\n;;#else", "k.wat:2: #else without #if"],
    [";;#variants w=0|1\n;;#iff w", 'k.wat:2: unknown directive ";;#iff w"'],
    [";;#variants w", 'k.wat:1: expected name=value|value, got "w"'],
  ])("rejects %j", (text, message) => {
    expect(() => watVariants("k.wat", text)).toThrow(message);
  });
});

describe("fragment parameters, named conditions and record layouts", () => {
  it("replaces {name} in a fragment with the value the include passes", () => {
    const read = (): string => "(local.set {rng}a (local.get {rng}b))";
    const [v] = watVariants("k/main.wat", ";;#include f.part.wat rng=$x", read);
    expect(kept(v!.text)).toEqual(["(local.set $xa (local.get $xb))"]);
    expect(() => watVariants("k/main.wat", ";;#include f.part.wat", read)).toThrow(
      'k/f.part.wat:1: "{rng}" has no value: pass rng=... at k/main.wat:1',
    );
    expect(() => watVariants("k/main.wat", ";;#include f.part.wat rng", read)).toThrow(
      'k/main.wat:1: expected name=value after the fragment, got "rng"',
    );
  });

  it("tests a #define by name, negated or not", () => {
    const source = [
      ";;#variants rule=a|b|c",
      ";;#define ab rule=a|b",
      ";;#if ab",
      "a or b",
      ";;#end",
      ";;#if !ab",
      "c",
      ";;#end",
    ].join("\n");
    const kernel = watKernel("k.wat", source);
    expect(kernel.variants.map((v) => kept(v.text))).toEqual([["a or b"], ["a or b"], ["c"]]);
    expect(kernel.defines).toEqual(new Map([["ab", "rule=a|b"]]));
    expect(() => watVariants("k.wat", ";;#variants w=0|1\n;;#define w w=1")).toThrow(
      'k.wat:2: "w" is already defined',
    );
  });

  it("adds the dimensions of a later #variants line after the earlier ones", () => {
    const v = watVariants("k.wat", ";;#variants rule=a|b\n;;#variants wide=0|1");
    expect(v.map((x) => x.key)).toEqual(["rule=a,wide=0", "rule=a,wide=1", "rule=b,wide=0", "rule=b,wide=1"]);
  });

  it("lays out fields in order and turns offset=layout.field into bytes", () => {
    const source = [
      ";;#layout rec x:f64 n:i32 lo:u16 hi:u16",
      ";;#layout rec tail:u32",
      "(i32.load16_u offset=rec.hi (local.get $o)) (f64.load offset=rec.x (local.get $o))",
    ].join("\n");
    const kernel = watKernel("k.wat", source);
    expect(kept(kernel.variants[0]!.text)).toEqual([
      "(i32.load16_u offset=14 (local.get $o)) (f64.load offset=0 (local.get $o))",
    ]);
    expect(kernel.layouts.get("rec")).toEqual({
      name: "rec",
      bytes: 20,
      fields: [
        { name: "x", type: "f64", offset: 0 },
        { name: "n", type: "i32", offset: 8 },
        { name: "lo", type: "u16", offset: 12 },
        { name: "hi", type: "u16", offset: 14 },
        { name: "tail", type: "u32", offset: 16 },
      ],
    });
  });

  it("declares a layout once however often its fragment is included", () => {
    const read = (path: string): string =>
      path.endsWith("rec.part.wat") ? ";;#layout rec a:i32 b:i32" : ";;#include rec.part.wat\noffset=rec.b";
    const kernel = watKernel("k/main.wat", ";;#include use.part.wat\n;;#include use.part.wat", read);
    expect(kernel.layouts.get("rec")?.bytes).toBe(8);
    expect(kept(kernel.variants[0]!.text)).toEqual(["offset=4", "offset=4"]);
  });

  it.each([
    [";;#layout rec a:i8", 'k.wat:1: "a:i8": unknown type "i8"'],
    [
      ";;#layout rec a:u16 b:i32",
      'k.wat:1: "b:i32" would sit at offset 2, not a multiple of 4: name the padding',
    ],
    [";;#layout rec a:i32 a:i32", 'k.wat:1: layout "rec" declares "a" twice'],
    [";;#layout rec", 'k.wat:1: layout "rec" declares no fields'],
    [";;#layout rec a:i32\noffset=rec.b", 'k.wat:2: offset=rec.b: layout "rec" has no field "b"'],
    ["offset=nope.b", 'k.wat:1: offset=nope.b: no layout "nope"'],
  ])("rejects the layout %j", (text, message) => {
    expect(() => watKernel("k.wat", text)).toThrow(message);
  });
});
