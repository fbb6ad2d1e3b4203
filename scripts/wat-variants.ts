import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";

/**
 * Variants of one WebAssembly text kernel, chosen by line directives, so a hot loop can be assembled once
 * per configuration with no run-time tests for the parts a configuration never uses (V8 allocates
 * registers better in the smaller loop: see compact-learner.wat for the measured gain).
 *
 *   ;;#variants rule=q|sarsa wide=0|1     the dimensions and their values (once, before any #if)
 *   ;;#if rule=sarsa|q   ;;#if wide   ;;#if !wide   (a bare name means "=1", "!name" means "=0")
 *   ;;#else
 *   ;;#end
 *   ;;#include name.part.wat              the lines of a fragment beside the file, directives and all
 *
 * Blocks nest, and so do fragments. A file without `;;#variants` is one variant with the key "". Errors
 * name the file and line the directive came from.
 */

export interface WatVariant {
  /** "name=value,name=value" in the order of the `;;#variants` line ("" without one). */
  readonly key: string;
  readonly text: string;
  /** "file:line" each line of `text` came from (fragments are spliced in). */
  readonly origins: readonly string[];
}

/** Reads a fragment named by `;;#include` (the path is the including file's folder joined with the name). */
export type ReadPart = (path: string) => string;

type Dimensions = ReadonlyArray<readonly [name: string, values: readonly string[]]>;

/** One line of the expanded text, with where it came from. */
interface Line {
  readonly text: string;
  readonly at: string;
}

export function watVariants(
  file: string,
  text: string,
  readPart: ReadPart = (path) => readFileSync(path, "utf8"),
): WatVariant[] {
  const lines = expand(file, text, readPart, []);
  const dims = dimensionsOf(lines);
  const origins = lines.map((l) => l.at);
  return combinations(dims).map((choice) => ({
    key: dims.map(([name]) => `${name}=${choice.get(name)}`).join(","),
    text: select(lines, dims, choice),
    origins,
  }));
}

function fail(line: Line, message: string): never {
  throw new Error(`${line.at}: ${message}`);
}

function expand(file: string, text: string, readPart: ReadPart, within: readonly string[]): Line[] {
  return text.split("\n").flatMap((t, i): Line[] => {
    const line = { text: t, at: `${file}:${i + 1}` };
    const included = /^;;#include\s+(\S+)$/.exec(t.trim());
    if (!included) return [line];
    const path = join(dirname(file), included[1]!);
    if (path === file || within.includes(path)) fail(line, `"${included[1]}" includes itself`);
    return expand(path, readPart(path), readPart, [...within, file]);
  });
}

function dimensionsOf(lines: readonly Line[]): Dimensions {
  const line = lines.find((l) => l.text.trim().startsWith(";;#variants"));
  if (!line) return [];
  return line.text
    .trim()
    .slice(";;#variants".length)
    .trim()
    .split(/\s+/)
    .map((spec) => {
      const [name, values] = spec.split("=");
      if (!name || !values) fail(line, `expected name=value|value, got "${spec}"`);
      return [name, values.split("|")] as const;
    });
}

function combinations(dims: Dimensions): Map<string, string>[] {
  let out = [new Map<string, string>()];
  for (const [name, values] of dims) {
    out = out.flatMap((choice) => values.map((v) => new Map(choice).set(name, v)));
  }
  return out;
}

/** Whether `cond` (e.g. "rule=q|sarsa", "wide", "!wide") holds for `choice`. */
function holds(line: Line, cond: string, dims: Dimensions, choice: Map<string, string>): boolean {
  const negated = cond.startsWith("!");
  const [name, values] = (negated ? cond.slice(1) : cond).split("=");
  const dim = dims.find(([n]) => n === name);
  if (!dim) fail(line, `unknown variant dimension "${name}"`);
  if (negated && values !== undefined) fail(line, `write "${name}=..." or "!${name}", not both`);
  const wanted = values === undefined ? [negated ? "0" : "1"] : values.split("|");
  for (const v of wanted) if (!dim[1].includes(v)) fail(line, `"${name}" has no value "${v}"`);
  return wanted.includes(choice.get(name!)!);
}

/** The lines kept for one choice; directive lines become blank. */
function select(lines: readonly Line[], dims: Dimensions, choice: Map<string, string>): string {
  const stack: { keep: boolean; taken: boolean; line: Line }[] = [];
  const out = lines.map((line) => {
    const t = line.text.trim();
    const keeping = stack.every((b) => b.keep);
    if (t.startsWith(";;#if ")) {
      const keep = holds(line, t.slice(6).trim(), dims, choice);
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
    if (t.startsWith(";;#variants")) return "";
    if (t.startsWith(";;#")) fail(line, `unknown directive "${t}"`);
    return keeping ? line.text : "";
  });
  const open = stack.at(-1);
  if (open) fail(open.line, "#if without #end");
  return out.join("\n");
}
