/**
 * Instantiating the WebAssembly kernels (the *.wat files beside their drivers, assembled at build time by scripts/build-wasm.ts)
 * over memories laid out for one problem each.
 */
type ElementType = "u8" | "i32" | "u32" | "f64";
type View<T extends ElementType> = T extends "u8"
  ? Uint8Array
  : T extends "i32"
    ? Int32Array
    : T extends "u32"
      ? Uint32Array
      : Float64Array;
export type Layout = Record<string, { readonly type: ElementType; readonly length: number }>;

/** A kernel instance with its own memory holding the arrays of `layout`, as typed-array views. */
export interface KernelSpace<K, L extends Layout> {
  readonly kernels: K;
  /** The memory and compiled modules, for instantiating the same kernels on another thread (shared spaces). */
  readonly memory: object;
  readonly modules: readonly object[];
  /** Byte address of each array, to pass to the kernels. */
  readonly at: { readonly [N in keyof L]: number };
  /** The arrays themselves (zero-filled), to fill and read from JavaScript. */
  readonly view: { readonly [N in keyof L]: View<L[N]["type"]> };
}

// The few WebAssembly APIs used here, typed locally: the DOM library that declares them is not loaded.
interface WasmMemory {
  readonly buffer: ArrayBufferLike;
  grow(pages: number): number;
}
interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Memory: new (descriptor: { initial: number; maximum?: number; shared?: boolean }) => WasmMemory;
  Instance: new (module: object, imports: object) => { readonly exports: object };
}
const wasm = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;

/** A module compiled on first use (compiling these small modules takes well under a millisecond). */
export function wasmModule(base64: string): () => object {
  let compiled: object | null = null;
  return () => {
    compiled ??= new wasm.Module(Buffer.from(base64, "base64"));
    return compiled;
  };
}

const BYTES: Record<ElementType, number> = { u8: 1, i32: 4, u32: 4, f64: 8 };

/**
 * A private instance of a module (or of several, whose exports are merged) over a memory sized for one
 * problem. The memory never grows after this, so the views stay valid, and spaces never share memory, so
 * callers cannot clobber each other (instantiating a compiled module costs microseconds). Arrays are 8-byte
 * aligned. `imports` adds functions to the modules' "env" imports. `shared` gives a SharedArrayBuffer-backed
 * memory, for modules that import a shared memory so that worker threads can run them over the same arrays.
 */
export function wasmSpace<K, L extends Layout>(
  modules: (() => object) | readonly (() => object)[],
  layout: L,
  imports: Record<string, unknown> = {},
  shared = false,
): KernelSpace<K, L> {
  const { offsets, bytes } = placed(layout);
  const pages = pagesFor(bytes);
  const memory = new wasm.Memory(shared ? { initial: pages, maximum: pages, shared } : { initial: pages });
  return instantiate<K, L>(memory, modules, layout, offsets, imports);
}

/** A space whose memory goes back for reuse once `release` is called (see reusableSpace). */
export interface ReusableSpace<K, L extends Layout> extends KernelSpace<K, L> {
  /** Hands the memory on to the next reusable space: no view of this space may be used after. */
  release(): void;
}

/**
 * Memories of released reusable spaces, kept for the next ones. Why: the pages of a fresh memory are mapped
 * on their first write, and on virtual machines that can cost more than the solver's passes over them (a
 * large evaluation writes its chain once and reads it a few dozen times; an ICU-Sepsis evaluation's split
 * is a megabyte, written once and read about twenty times), while a memory already written keeps its
 * pages. A few are kept per kind (an evaluation holds a chain and a system or two at once), the largest
 * released; memories never shrink.
 */
const spares: { plain: WasmMemory[]; shared: WasmMemory[] } = { plain: [], shared: [] };
const SPARES_KEPT = 4;
/** Shared memories cannot grow past the maximum they were made with: reusable ones may reach 4 GiB. */
const MAX_PAGES = 65536;

/**
 * Like wasmSpace, over the spare memory of a released space of the same kind when there is one
 * (grown if too small), else a fresh one. The arrays are zero-filled except those named in `scratch`, which
 * the caller writes before it reads them (so that reused pages are not touched for nothing).
 */
export function reusableSpace<K, L extends Layout>(
  modules: (() => object) | readonly (() => object)[],
  layout: L,
  scratch: ReadonlySet<keyof L> = new Set(),
  shared = false,
  imports: Record<string, unknown> = {},
): ReusableSpace<K, L> {
  const { offsets, bytes } = placed(layout);
  const pages = pagesFor(bytes);
  const kind = shared ? "shared" : "plain";
  let memory = takeSpare(spares[kind], pages * PAGE);
  if (memory === null) {
    memory = new wasm.Memory(shared ? { initial: pages, maximum: MAX_PAGES, shared } : { initial: pages });
  } else {
    const have = memory.buffer.byteLength / PAGE;
    if (have < pages) memory.grow(pages - have);
  }
  const space = instantiate<K, L>(memory, modules, layout, offsets, imports);
  for (const [name, view] of Object.entries(space.view) as [keyof L, ArrayBufferView][]) {
    if (!scratch.has(name)) (view as Float64Array).fill(0);
  }
  let released = false;
  const release = (): void => {
    if (released) return;
    released = true;
    const kept = spares[kind];
    kept.push(memory);
    // Largest first: the smallest goes when too many are kept.
    kept.sort((a, b) => b.buffer.byteLength - a.buffer.byteLength);
    if (kept.length > SPARES_KEPT) kept.pop();
  };
  return { ...space, release };
}

const PAGE = 65536;

/** The smallest spare of at least `bytes`, else the largest (to be grown), taken out of the list; null if none. */
function takeSpare(kept: WasmMemory[], bytes: number): WasmMemory | null {
  if (kept.length === 0) return null;
  let at = 0;
  for (let i = 0; i < kept.length; i++) if (kept[i]!.buffer.byteLength >= bytes) at = i;
  return kept.splice(at, 1)[0]!;
}
const pagesFor = (bytes: number): number => Math.max(1, Math.ceil(bytes / PAGE));

/** Byte offsets of a layout's arrays, each 8-byte aligned, and the bytes they need. */
function placed(layout: Layout): { offsets: Record<string, number>; bytes: number } {
  const offsets: Record<string, number> = {};
  let bytes = 0;
  for (const [name, { type, length }] of Object.entries(layout)) {
    offsets[name] = bytes;
    bytes += Math.ceil((length * BYTES[type]) / 8) * 8;
  }
  return { offsets, bytes };
}

function instantiate<K, L extends Layout>(
  memory: WasmMemory,
  modules: (() => object) | readonly (() => object)[],
  layout: L,
  offsets: Record<string, number>,
  imports: Record<string, unknown>,
): KernelSpace<K, L> {
  const kernels = {};
  const compiled = (Array.isArray(modules) ? modules : [modules]).map((module) => module());
  for (const module of compiled) {
    Object.assign(kernels, new wasm.Instance(module, { env: { memory, ...imports } }).exports);
  }
  const view: Record<string, ArrayBufferView> = {};
  for (const [name, { type, length }] of Object.entries(layout)) {
    const at = offsets[name]!;
    view[name] =
      type === "u8"
        ? new Uint8Array(memory.buffer, at, length)
        : type === "i32"
          ? new Int32Array(memory.buffer, at, length)
          : type === "u32"
            ? new Uint32Array(memory.buffer, at, length)
            : new Float64Array(memory.buffer, at, length);
  }
  return {
    kernels: kernels as K,
    memory,
    modules: compiled,
    at: offsets as KernelSpace<K, L>["at"],
    view: view as KernelSpace<K, L>["view"],
  };
}

/** A record layout as a kernel declares it (`;;#layout`) and its generated module exports it. */
export interface RecordLayout {
  readonly bytes: number;
  readonly fields: Readonly<
    Record<string, { readonly offset: number; readonly type: "u8" | "u16" | "u32" | "i32" | "f64" }>
  >;
}

/** One value per field of a layout. */
export type RecordValues<R extends RecordLayout> = { readonly [F in keyof R["fields"]]: number };

/** Writes one record of `layout` at byte address `at`, each value as its field's type (little-endian, as WebAssembly). */
export function writeRecord<R extends RecordLayout>(
  buffer: ArrayBufferLike,
  at: number,
  layout: R,
  values: RecordValues<R>,
): void {
  const data = new DataView(buffer);
  for (const [name, { offset, type }] of Object.entries(layout.fields)) {
    const v = (values as Record<string, number>)[name]!;
    const to = at + offset;
    if (type === "f64") data.setFloat64(to, v, true);
    else if (type === "i32") data.setInt32(to, v, true);
    else if (type === "u32") data.setUint32(to, v, true);
    else if (type === "u16") data.setUint16(to, v, true);
    else data.setUint8(to, v);
  }
}

/**
 * Where a field sits in a typed array of its own width laid over an array of records: record r's field is
 * element r * stride + index.
 */
export function fieldSlot<R extends RecordLayout>(
  layout: R,
  field: keyof R["fields"] & string,
): { readonly stride: number; readonly index: number } {
  const f = layout.fields[field];
  if (f === undefined) throw new Error(`internal: no field "${field}" in the layout`);
  const width = f.type === "f64" ? 8 : f.type === "u16" ? 2 : f.type === "u8" ? 1 : 4;
  if (layout.bytes % width !== 0)
    throw new Error(`internal: records of ${layout.bytes} bytes do not tile ${f.type}`);
  return { stride: layout.bytes / width, index: f.offset / width };
}
