// npx tsx bench/fresh-pages.ts: what the first write to fresh memory costs on this machine, against writing the
// same bytes again (docs/performance.md, "At scale"). Writes 10^7 int32 and 10^7 float64 values (120 MB, the size
// of a 10^5-state chain) into new typed arrays, into the same arrays again, and into a fresh WebAssembly memory.
const N = 10_000_000;
// The DOM library that declares WebAssembly is not loaded: the one constructor used here, typed locally.
const { Memory } = (
  globalThis as unknown as {
    WebAssembly: { Memory: new (d: { initial: number }) => { readonly buffer: ArrayBuffer } };
  }
).WebAssembly;
const PAGE = 4096;

function fill(c: Int32Array, v: Float64Array): void {
  for (let i = 0; i < N; i++) {
    c[i] = i;
    v[i] = i * 0.5;
  }
}

const timed = (f: () => void): number => {
  const t0 = performance.now();
  f();
  return performance.now() - t0;
};

const kept = { c: new Int32Array(N), v: new Float64Array(N) };
const rows: string[] = [];
for (let r = 0; r < 3; r++) {
  const fresh = timed(() => fill(new Int32Array(N), new Float64Array(N)));
  const again = timed(() => fill(kept.c, kept.v));
  const memory = new Memory({ initial: Math.ceil((12 * N + 8) / 65536) });
  const wasm = timed(() =>
    fill(new Int32Array(memory.buffer, 0, N), new Float64Array(memory.buffer, 4 * N, N)),
  );
  rows.push(`| ${r + 1} | ${fresh.toFixed(0)} | ${again.toFixed(0)} | ${wasm.toFixed(0)} |`);
}
const pages = (12 * N) / PAGE;
process.stdout.write(
  `Writing 120 MB (${pages.toFixed(0)} pages of 4 KiB), ms:\n| round | fresh arrays | same arrays again | fresh WebAssembly memory |\n|---|---|---|---|\n${rows.join("\n")}\n`,
);
