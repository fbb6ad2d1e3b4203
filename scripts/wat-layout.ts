/**
 * Record layouts of a WebAssembly text kernel, declared once in the kernel and read by both sides of the
 * contract: the kernel's loads and stores name fields, and the driver gets the same offsets from a generated
 * TypeScript module (see build-wasm.ts), so neither keeps a hand-numbered copy.
 *
 *   ;;#layout state greedy:f64 reward:f64 greedyPair:i32     fields in order, each at its natural alignment
 *   ;;#layout state firstPair:i32                           a later line with the same name appends fields
 *   (f64.load offset=state.reward (local.get $o))           becomes offset=8
 *
 * Fields are packed in declaration order; a field whose offset is not a multiple of its size is an error
 * (name the padding as a field instead), so a declared layout is exactly the bytes the kernel reads.
 */

export type FieldType = "u8" | "u16" | "u32" | "i32" | "f64";

export const FIELD_BYTES: Readonly<Record<FieldType, number>> = { u8: 1, u16: 2, u32: 4, i32: 4, f64: 8 };

export interface LayoutField {
  readonly name: string;
  readonly type: FieldType;
  readonly offset: number;
}

export interface WatLayout {
  readonly name: string;
  readonly fields: readonly LayoutField[];
  /** Bytes from the first field's start to the last field's end. */
  readonly bytes: number;
}

/** A source line with where it came from ("file:line"). */
export interface SourceLine {
  readonly text: string;
  readonly at: string;
}

const DIRECTIVE = ";;#layout";

function fail(line: SourceLine, message: string): never {
  throw new Error(`${line.at}: ${message}`);
}

export const isLayoutLine = (text: string): boolean => text.trim().startsWith(`${DIRECTIVE} `);

/** Every `;;#layout` of the expanded text, by name, in the order first declared. */
export function layoutsOf(lines: readonly SourceLine[]): Map<string, WatLayout> {
  const out = new Map<string, { fields: LayoutField[]; bytes: number }>();
  for (const line of lines) {
    if (!isLayoutLine(line.text)) continue;
    const [name, ...specs] = line.text.trim().slice(DIRECTIVE.length).trim().split(/\s+/);
    if (!name || !/^[A-Za-z]\w*$/.test(name)) fail(line, `expected a layout name, got "${name ?? ""}"`);
    if (specs.length === 0) fail(line, `layout "${name}" declares no fields (write name:type ...)`);
    const layout = out.get(name) ?? { fields: [], bytes: 0 };
    out.set(name, layout);
    for (const spec of specs) {
      const [field, type] = spec.split(":");
      if (!field || !/^[A-Za-z]\w*$/.test(field) || !type) fail(line, `expected field:type, got "${spec}"`);
      if (!(type in FIELD_BYTES)) {
        fail(line, `"${spec}": unknown type "${type}" (one of ${Object.keys(FIELD_BYTES).join(", ")})`);
      }
      const size = FIELD_BYTES[type as FieldType];
      if (layout.fields.some((f) => f.name === field))
        fail(line, `layout "${name}" declares "${field}" twice`);
      if (layout.bytes % size !== 0) {
        fail(
          line,
          `"${spec}" would sit at offset ${layout.bytes}, not a multiple of ${size}: name the padding`,
        );
      }
      layout.fields.push({ name: field, type: type as FieldType, offset: layout.bytes });
      layout.bytes += size;
    }
  }
  return new Map([...out].map(([name, l]) => [name, { name, fields: l.fields, bytes: l.bytes }]));
}

/** The line with every `offset=layout.field` replaced by its byte offset. */
export function expandOffsets(line: SourceLine, layouts: ReadonlyMap<string, WatLayout>): string {
  return line.text.replace(/offset=([A-Za-z]\w*)\.(\w+)/g, (_, name: string, field: string) => {
    const layout = layouts.get(name) ?? fail(line, `offset=${name}.${field}: no layout "${name}"`);
    const f =
      layout.fields.find((x) => x.name === field) ??
      fail(line, `offset=${name}.${field}: layout "${name}" has no field "${field}"`);
    return `offset=${f.offset}`;
  });
}
