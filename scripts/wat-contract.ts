import type { WatLayout } from "./wat-layout.js";
import type { Dimensions } from "./wat-variants.js";

/**
 * The TypeScript side of a kernel's contract, generated from the kernel's own directives so the driver
 * cannot drift from it: the record layouts (`;;#layout`) as byte offsets, and the variant type and key
 * (`;;#variants`), a dimension with values 0|1 becoming a boolean named in camel case. Null for a kernel
 * with neither.
 */
export function contractModule(
  file: string,
  dims: Dimensions,
  layouts: ReadonlyMap<string, WatLayout>,
): string | null {
  if (dims.length === 0 && layouts.size === 0) return null;
  const out = [`// Generated from ${file} by scripts/build-wasm.ts: do not edit.`];
  if (layouts.size > 0) out.push(layoutSource(layouts));
  if (dims.length > 0) out.push(variantSource(dims));
  return `${out.join("\n")}\n`;
}

function layoutSource(layouts: ReadonlyMap<string, WatLayout>): string {
  const records = [...layouts.values()].map((l) => {
    const fields = l.fields.map((f) => `      ${f.name}: { offset: ${f.offset}, type: "${f.type}" },`);
    return [`  ${l.name}: {`, `    bytes: ${l.bytes},`, "    fields: {", ...fields, "    },", "  },"].join(
      "\n",
    );
  });
  return [
    "/** The records the kernel declares with `;;#layout`: byte offsets of each field, and the record's size. */",
    "export const layouts = {",
    ...records,
    "} as const;",
  ].join("\n");
}

const camel = (name: string): string => name.replace(/-(\w)/g, (_, c: string) => c.toUpperCase());
const isFlag = (values: readonly string[]): boolean =>
  values.length === 2 && values[0] === "0" && values[1] === "1";

function variantSource(dims: Dimensions): string {
  const fields = dims.map(([name, values]) =>
    isFlag(values)
      ? `  readonly ${camel(name)}: boolean;`
      : `  readonly ${camel(name)}: ${values.map((v) => `"${v}"`).join(" | ")};`,
  );
  const parts = dims.map(([name, values]) =>
    isFlag(values) ? `${name}=\${v.${camel(name)} ? "1" : "0"}` : `${name}=\${v.${camel(name)}}`,
  );
  const lists = dims.map(
    ([name, values]) => `  ${camel(name)}: [${values.map((v) => `"${v}"`).join(", ")}],`,
  );
  return [
    "/** One assembled variant: a value per dimension of the kernel's `;;#variants` line. */",
    "export interface Variant {",
    ...fields,
    "}",
    "/** The values of each dimension, in the order of the `;;#variants` line. */",
    "export const variantValues = {",
    ...lists,
    "} as const;",
    "/** The key of a variant's binary (the order and spelling of the `;;#variants` line). */",
    "export function variantKey(v: Variant): string {",
    `  return \`${parts.join(",")}\`;`,
    "}",
  ].join("\n");
}
