/**
 * A small dependency-free SVG line plot: series with optional shaded bands, horizontal reference lines,
 * axes with "nice" ticks and a legend. Output is deterministic text (same input, same bytes).
 */
export interface Series {
  readonly label: string;
  readonly x: readonly number[];
  readonly y: readonly number[];
  /** Optional band (e.g. a 95 % interval), same length as x. */
  readonly lo?: readonly number[];
  readonly hi?: readonly number[];
  readonly color?: string;
}

export interface RefLine {
  readonly y: number;
  readonly label: string;
  readonly color?: string;
}

export interface LinePlot {
  readonly title: string;
  readonly xLabel: string;
  readonly yLabel: string;
  readonly series: readonly Series[];
  readonly refLines?: readonly RefLine[];
  readonly width?: number;
  readonly height?: number;
  /** Fixed y range; default: the data's range (bands and reference lines included), padded 5 %. */
  readonly yRange?: readonly [number, number];
}

export const PALETTE = [
  "#1f77b4",
  "#d62728",
  "#2ca02c",
  "#9467bd",
  "#ff7f0e",
  "#8c564b",
  "#e377c2",
  "#17becf",
];

const esc = (s: string): string =>
  s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
const f = (x: number): string => (Math.round(x * 100) / 100).toString();

/** About `n` round tick values covering [lo, hi]. */
export function niceTicks(lo: number, hi: number, n = 5): number[] {
  if (!(hi > lo)) return [lo];
  const raw = (hi - lo) / n;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = ([1, 2, 5, 10].find((k) => k * mag >= raw) ?? 10) * mag;
  const out: number[] = [];
  for (let v = Math.ceil(lo / step) * step; v <= hi + step * 1e-9; v += step)
    out.push(Number(v.toPrecision(12)));
  return out;
}

const tickText = (v: number): string =>
  Math.abs(v) >= 1e4 ? `${Number((v / 1000).toPrecision(4))}k` : String(Number(v.toPrecision(6)));

/** Min and max of the finite values, by a loop: spreading a long curve into Math.min overflows the stack. */
function range(values: Iterable<number>, lo: number, hi: number): [number, number] {
  let a = Number.POSITIVE_INFINITY;
  let b = Number.NEGATIVE_INFINITY;
  for (const v of values) {
    if (!Number.isFinite(v)) continue;
    if (v < a) a = v;
    if (v > b) b = v;
  }
  return a <= b ? [a, b] : [lo, hi];
}

function* allY(p: LinePlot): Generator<number> {
  for (const s of p.series) for (const arr of [s.y, s.lo ?? [], s.hi ?? []]) yield* arr;
  for (const r of p.refLines ?? []) yield r.y;
}

function* allX(p: LinePlot): Generator<number> {
  for (const s of p.series) yield* s.x;
}

function extent(p: LinePlot): { x0: number; x1: number; y0: number; y1: number } {
  const [x0, x1] = range(allX(p), 0, 1);
  let [y0, y1] = p.yRange ?? range(allY(p), 0, 1);
  if (p.yRange === undefined) {
    const pad = (y1 - y0 || 1) * 0.05;
    y0 -= pad;
    y1 += pad;
  }
  return { x0, x1: x1 > x0 ? x1 : x0 + 1, y0, y1: y1 > y0 ? y1 : y0 + 1 };
}

/** Render the plot as a standalone SVG document. Non-finite y values break a line into segments. */
export function linePlot(p: LinePlot): string {
  const W = p.width ?? 720;
  const H = p.height ?? 420;
  const m = { l: 64, r: 170, t: 36, b: 48 };
  const { x0, x1, y0, y1 } = extent(p);
  const X = (x: number): number => m.l + ((x - x0) / (x1 - x0)) * (W - m.l - m.r);
  const Y = (y: number): number => H - m.b - ((y - y0) / (y1 - y0)) * (H - m.t - m.b);
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="12">`,
    `<title>${esc(p.title)}</title>`,
    `<rect width="${W}" height="${H}" fill="white"/>`,
    `<text x="${W / 2 - m.r / 2}" y="20" text-anchor="middle" font-size="14">${esc(p.title)}</text>`,
  ];
  for (const t of niceTicks(y0, y1)) {
    out.push(`<line x1="${m.l}" x2="${W - m.r}" y1="${f(Y(t))}" y2="${f(Y(t))}" stroke="#e5e5e5"/>`);
    out.push(`<text x="${m.l - 6}" y="${f(Y(t) + 4)}" text-anchor="end">${tickText(t)}</text>`);
  }
  for (const t of niceTicks(x0, x1)) {
    out.push(`<line x1="${f(X(t))}" x2="${f(X(t))}" y1="${H - m.b}" y2="${H - m.b + 4}" stroke="black"/>`);
    out.push(`<text x="${f(X(t))}" y="${H - m.b + 17}" text-anchor="middle">${tickText(t)}</text>`);
  }
  out.push(
    `<rect x="${m.l}" y="${m.t}" width="${W - m.l - m.r}" height="${H - m.t - m.b}" fill="none" stroke="black"/>`,
    `<text x="${(m.l + W - m.r) / 2}" y="${H - 10}" text-anchor="middle">${esc(p.xLabel)}</text>`,
    `<text transform="translate(16 ${(m.t + H - m.b) / 2}) rotate(-90)" text-anchor="middle">${esc(p.yLabel)}</text>`,
  );
  const legend: string[] = [];
  p.series.forEach((s, i) => {
    const c = s.color ?? PALETTE[i % PALETTE.length]!;
    if (s.lo !== undefined && s.hi !== undefined) {
      const idx = s.x.map((_, k) => k).filter((k) => Number.isFinite(s.lo![k]) && Number.isFinite(s.hi![k]));
      if (idx.length > 1) {
        const up = idx.map((k) => `${f(X(s.x[k]!))},${f(Y(s.hi![k]!))}`);
        const down = idx.reverse().map((k) => `${f(X(s.x[k]!))},${f(Y(s.lo![k]!))}`);
        out.push(
          `<polygon points="${[...up, ...down].join(" ")}" fill="${c}" fill-opacity="0.18" stroke="none"/>`,
        );
      }
    }
    const segs: string[][] = [[]];
    s.x.forEach((x, k) => {
      const y = s.y[k]!;
      if (Number.isFinite(y)) segs.at(-1)!.push(`${f(X(x))},${f(Y(y))}`);
      else if (segs.at(-1)!.length) segs.push([]);
    });
    for (const seg of segs)
      if (seg.length)
        out.push(`<polyline points="${seg.join(" ")}" fill="none" stroke="${c}" stroke-width="1.6"/>`);
    legend.push(
      `<line x1="${W - m.r + 12}" x2="${W - m.r + 32}" y1="${m.t + 10 + i * 18}" y2="${m.t + 10 + i * 18}" stroke="${c}" stroke-width="2"/>`,
    );
    legend.push(`<text x="${W - m.r + 38}" y="${m.t + 14 + i * 18}">${esc(s.label)}</text>`);
  });
  (p.refLines ?? []).forEach((r, j) => {
    const c = r.color ?? "#555";
    const yy = f(Y(r.y));
    const i = p.series.length + j;
    out.push(
      `<line x1="${m.l}" x2="${W - m.r}" y1="${yy}" y2="${yy}" stroke="${c}" stroke-dasharray="6 4"/>`,
    );
    legend.push(
      `<line x1="${W - m.r + 12}" x2="${W - m.r + 32}" y1="${m.t + 10 + i * 18}" y2="${m.t + 10 + i * 18}" stroke="${c}" stroke-dasharray="6 4"/>`,
    );
    legend.push(`<text x="${W - m.r + 38}" y="${m.t + 14 + i * 18}">${esc(r.label)}</text>`);
  });
  out.push(...legend, "</svg>");
  return `${out.join("\n")}\n`;
}
