import { describe, expect, it } from "vitest";
import { watVariants } from "../scripts/wat-variants.js";

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
