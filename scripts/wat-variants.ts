/**
 * Variants of one WebAssembly text kernel, chosen by line directives, so a hot loop can be assembled once
 * per configuration with no run-time tests for the parts a configuration never uses (V8 allocates
 * registers better in the smaller loop: see compact-learner.wat for the measured gain).
 *
 *   ;;#variants rule=q|sarsa wide=0|1     the dimensions and their values (once, before any #if)
 *   ;;#if rule=sarsa|q   ;;#if wide   ;;#if !wide   (a bare name means "=1", "!name" means "=0")
 *   ;;#else
 *   ;;#end
 *
 * Blocks nest. A file without `;;#variants` is one variant with the key "".
 */

export interface WatVariant {
  /** "name=value,name=value" in the order of the `;;#variants` line ("" without one). */
  readonly key: string;
  readonly text: string;
}

type Dimensions = ReadonlyArray<readonly [name: string, values: readonly string[]]>;

export function watVariants(file: string, text: string): WatVariant[] {
  const lines = text.split("\n");
  const dims = dimensionsOf(file, lines);
  return combinations(dims).map((choice) => ({
    key: dims.map(([name]) => `${name}=${choice.get(name)}`).join(","),
    text: select(file, lines, dims, choice),
  }));
}

function fail(file: string, line: number, message: string): never {
  throw new Error(`${file}:${line}: ${message}`);
}

function dimensionsOf(file: string, lines: readonly string[]): Dimensions {
  const at = lines.findIndex((l) => l.trim().startsWith(";;#variants"));
  if (at < 0) return [];
  return lines[at]!.trim()
    .slice(";;#variants".length)
    .trim()
    .split(/\s+/)
    .map((spec) => {
      const [name, values] = spec.split("=");
      if (!name || !values) fail(file, at + 1, `expected name=value|value, got "${spec}"`);
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
function holds(
  file: string,
  line: number,
  cond: string,
  dims: Dimensions,
  choice: Map<string, string>,
): boolean {
  const negated = cond.startsWith("!");
  const [name, values] = (negated ? cond.slice(1) : cond).split("=");
  const dim = dims.find(([n]) => n === name);
  if (!dim) fail(file, line, `unknown variant dimension "${name}"`);
  const wanted = values === undefined ? [negated ? "0" : "1"] : values.split("|");
  if (negated && values !== undefined) fail(file, line, `write "${name}=..." or "!${name}", not both`);
  for (const v of wanted) if (!dim[1].includes(v)) fail(file, line, `"${name}" has no value "${v}"`);
  return wanted.includes(choice.get(name!)!);
}

/** The lines kept for one choice; directive lines become blank, so line numbers in errors stay right. */
function select(
  file: string,
  lines: readonly string[],
  dims: Dimensions,
  choice: Map<string, string>,
): string {
  const stack: { keep: boolean; taken: boolean; line: number }[] = [];
  const out = lines.map((text, i) => {
    const line = i + 1;
    const t = text.trim();
    const keeping = stack.every((b) => b.keep);
    if (t.startsWith(";;#if ")) {
      const keep = holds(file, line, t.slice(6).trim(), dims, choice);
      stack.push({ keep, taken: keep, line });
      return "";
    }
    if (t === ";;#else") {
      const top = stack.at(-1) ?? fail(file, line, "#else without #if");
      top.keep = !top.taken;
      return "";
    }
    if (t === ";;#end") {
      if (!stack.pop()) fail(file, line, "#end without #if");
      return "";
    }
    if (t.startsWith(";;#variants")) return "";
    if (t.startsWith(";;#")) fail(file, line, `unknown directive "${t}"`);
    return keeping ? text : "";
  });
  const open = stack.at(-1);
  if (open) fail(file, open.line, "#if without #end");
  return out.join("\n");
}
