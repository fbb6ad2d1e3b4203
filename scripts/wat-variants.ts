import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { expandOffsets, isLayoutLine, layoutsOf, type WatLayout } from "./wat-layout.js";

/**
 * Variants of one WebAssembly text kernel, chosen by line directives, so a hot loop can be assembled once
 * per configuration with no run-time tests for the parts a configuration never uses (V8 allocates
 * registers better in the smaller loop).
 *
 *   ;;#variants rule=q|sarsa wide=0|1     the dimensions and their values (a later line adds dimensions)
 *   ;;#define traces rule=sarsa|q         a name for a condition: `#if traces`, `#if !traces`
 *   ;;#if rule=sarsa|q   ;;#if wide   ;;#if !wide   (a bare name means "=1", "!name" means "=0")
 *   ;;#else
 *   ;;#end
 *   ;;#include name.part.wat              the lines of a fragment beside the file, directives and all
 *   ;;#include name.part.wat rng=$l       ... with every `{rng}` in the fragment replaced by `$l`
 *   ;;#layout name field:type ...         a record layout; `offset=name.field` becomes its byte offset
 *                                         (see wat-layout.ts)
 *
 * Blocks nest, and so do fragments. A file without `;;#variants` is one variant with the key "". A fragment
 * included more than once declares its layouts once (a fragment that reads records includes their layout
 * itself, so it also assembles on its own). Errors name the file and line the directive came from.
 */

export interface WatVariant {
  /** "name=value,name=value" in the order of the `;;#variants` line ("" without one). */
  readonly key: string;
  readonly text: string;
  /** "file:line" each line of `text` came from (fragments are spliced in). */
  readonly origins: readonly string[];
}

/** A kernel's variants and the contract its driver shares: the variant dimensions and record layouts. */
export interface WatKernel {
  readonly variants: WatVariant[];
  readonly dimensions: Dimensions;
  /** `;;#define` names and their conditions. */
  readonly defines: ReadonlyMap<string, string>;
  readonly layouts: ReadonlyMap<string, WatLayout>;
}

/** Reads a fragment named by `;;#include` (the path is the including file's folder joined with the name). */
export type ReadPart = (path: string) => string;

export type Dimensions = ReadonlyArray<readonly [name: string, values: readonly string[]]>;

type Defines = Map<string, { readonly cond: string; readonly line: Line }>;

/** One line of the expanded text, with where it came from. */
interface Line {
  readonly text: string;
  readonly at: string;
}

const readFile: ReadPart = (path) => readFileSync(path, "utf8");

export function watVariants(file: string, text: string, readPart: ReadPart = readFile): WatVariant[] {
  return watKernel(file, text, readPart).variants;
}

export function watKernel(file: string, text: string, readPart: ReadPart = readFile): WatKernel {
  const included = expand(file, text, readPart, []);
  const seen = new Set<string>();
  const declared = included.filter((l) => !isLayoutLine(l.text) || (!seen.has(l.at) && seen.add(l.at)));
  const layouts = layoutsOf(declared);
  const lines = included.map((l) => ({ text: expandOffsets(l, layouts), at: l.at }));
  const dims = dimensionsOf(lines);
  const defines = definesOf(lines, dims);
  const origins = lines.map((l) => l.at);
  const variants = combinations(dims).map((choice) => ({
    key: dims.map(([name]) => `${name}=${choice.get(name)}`).join(","),
    text: select(lines, dims, defines, choice),
    origins,
  }));
  const named = new Map([...defines].map(([name, d]) => [name, d.cond]));
  return { variants, dimensions: dims, defines: named, layouts };
}

function fail(line: Line, message: string): never {
  throw new Error(`${line.at}: ${message}`);
}

function expand(file: string, text: string, readPart: ReadPart, within: readonly string[]): Line[] {
  return text.split("\n").flatMap((t, i): Line[] => {
    const line = { text: t, at: `${file}:${i + 1}` };
    const included = /^;;#include\s+(\S+)((?:\s+\S+)*)$/.exec(t.trim());
    if (!included) return [line];
    const path = join(dirname(file), included[1]!);
    if (path === file || within.includes(path)) fail(line, `"${included[1]}" includes itself`);
    const params = parametersOf(line, included[2]!);
    const fragment = readPart(path)
      .split("\n")
      .map((l, j) => substitute({ text: l, at: `${path}:${j + 1}` }, params, line))
      .join("\n");
    return expand(path, fragment, readPart, [...within, file]);
  });
}

/** The `name=value` words after an include's file name. */
function parametersOf(line: Line, words: string): Map<string, string> {
  const params = new Map<string, string>();
  for (const word of words
    .trim()
    .split(/\s+/)
    .filter((w) => w !== "")) {
    const m =
      /^(\w+)=(\S+)$/.exec(word) ?? fail(line, `expected name=value after the fragment, got "${word}"`);
    params.set(m[1]!, m[2]!);
  }
  return params;
}

/** The fragment line with each `{name}` replaced by the including line's value. */
function substitute(line: Line, params: ReadonlyMap<string, string>, including: Line): string {
  return line.text.replace(
    /\{(\w+)\}/g,
    (_, name: string) =>
      params.get(name) ?? fail(line, `"{${name}}" has no value: pass ${name}=... at ${including.at}`),
  );
}

function dimensionsOf(lines: readonly Line[]): Dimensions {
  return lines
    .filter((l) => l.text.trim().startsWith(";;#variants"))
    .flatMap((line) =>
      line.text
        .trim()
        .slice(";;#variants".length)
        .trim()
        .split(/\s+/)
        .map((spec) => {
          const [name, values] = spec.split("=");
          if (!name || !values) fail(line, `expected name=value|value, got "${spec}"`);
          return [name, values.split("|")] as const;
        }),
    );
}

/** `;;#define name condition` lines: a name for a condition, usable in `#if name` and `#if !name`. */
function definesOf(lines: readonly Line[], dims: Dimensions): Defines {
  const defines: Defines = new Map();
  for (const line of lines) {
    const m = /^;;#define\s+(\S+)\s+(\S+)$/.exec(line.text.trim());
    if (!m) {
      if (line.text.trim().startsWith(";;#define")) fail(line, "expected ;;#define name condition");
      continue;
    }
    if (dims.some(([n]) => n === m[1]) || defines.has(m[1]!)) fail(line, `"${m[1]}" is already defined`);
    defines.set(m[1]!, { cond: m[2]!, line });
  }
  return defines;
}

function combinations(dims: Dimensions): Map<string, string>[] {
  let out = [new Map<string, string>()];
  for (const [name, values] of dims) {
    out = out.flatMap((choice) => values.map((v) => new Map(choice).set(name, v)));
  }
  return out;
}

/** Whether `cond` (e.g. "rule=q|sarsa", "wide", "!wide", a defined name) holds for `choice`. */
function holds(
  line: Line,
  cond: string,
  dims: Dimensions,
  defines: Defines,
  choice: Map<string, string>,
): boolean {
  const negated = cond.startsWith("!");
  const [name, values] = (negated ? cond.slice(1) : cond).split("=");
  const defined = defines.get(name!);
  if (defined !== undefined && values === undefined) {
    return holds(defined.line, defined.cond, dims, defines, choice) !== negated;
  }
  const dim = dims.find(([n]) => n === name);
  if (!dim) fail(line, `unknown variant dimension "${name}"`);
  if (negated && values !== undefined) fail(line, `write "${name}=..." or "!${name}", not both`);
  const wanted = values === undefined ? [negated ? "0" : "1"] : values.split("|");
  for (const v of wanted) if (!dim[1].includes(v)) fail(line, `"${name}" has no value "${v}"`);
  return wanted.includes(choice.get(name!)!);
}

/** The lines kept for one choice; directive lines become blank. */
function select(
  lines: readonly Line[],
  dims: Dimensions,
  defines: Defines,
  choice: Map<string, string>,
): string {
  const stack: { keep: boolean; taken: boolean; line: Line }[] = [];
  const out = lines.map((line) => {
    const t = line.text.trim();
    const keeping = stack.every((b) => b.keep);
    if (t.startsWith(";;#if ")) {
      const keep = holds(line, t.slice(6).trim(), dims, defines, choice);
      stack.push({ keep, taken: keep, line });
      return "";
    }
    if (t === ";;#else") {
      const top = stack.at(-1) ?? fail(line, "#else without #if");
      top.keep = !top.taken;
      return "";
    }
    if (t === ";;#end") {
      if (!stack.pop()) fail(line, "#end without #if");
      return "";
    }
    if (t.startsWith(";;#variants") || t.startsWith(";;#define") || isLayoutLine(t)) return "";
    if (t.startsWith(";;#")) fail(line, `unknown directive "${t}"`);
    return keeping ? line.text : "";
  });
  const open = stack.at(-1);
  if (open) fail(open.line, "#if without #end");
  return out.join("\n");
}
