// report.html as a reader sees it: rendered by headless Chromium (Debian's `chromium` package) at device
// scale factor 2, measured in the page, and checked for what a paper figure needs (issue item 9).
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";
import { RELEASED_RULE, resolveParams } from "../solvers/learning/index.js";
import { buildJobs, runSweep } from "../src/study/sweep.js";
import { sampleTrial } from "../src/study/tune.js";
import { randomMdp } from "./helpers/learning-mdps.js";

const chromium = ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"].find(
  existsSync,
);

/** What the probe measures of one plot (boxes in CSS pixels of the page, values as drawn). */
interface PlotProbe {
  title: string;
  texts: { text: string; box: [number, number, number, number]; px: number }[];
  svgBox: [number, number, number, number];
  /** Tick labels with the y (left axis) or x (bottom axis) of their tick in the plot's own coordinates. */
  yTicks: { value: string; at: number }[];
  xTicks: { value: string; at: number }[];
  /** Dashed horizontal lines in the plot area (reference lines), y in the plot's coordinates. */
  dashedY: number[];
  bands: number;
}

/** Measures the laid-out page and writes the figures into the DOM, which --dump-dom then prints. */
const PROBE = `<script>
(() => {
  const box = (r) => [r.left, r.top, r.right, r.bottom];
  const num = (el, a) => Number(el.getAttribute(a));
  const plots = [...document.querySelectorAll("svg")].map((svg) => {
    const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
    const ticks = [...svg.querySelectorAll("line")].filter((l) => l.getAttribute("stroke") === "black");
    const texts = [...svg.querySelectorAll("text")];
    const near = (x, y) => texts.find((t) => Math.abs(num(t, "x") - x) < 12 && Math.abs(num(t, "y") - y) < 24);
    const yTicks = ticks.filter((l) => num(l, "y1") === num(l, "y2") && num(l, "x2") - num(l, "x1") === 5)
      .map((l) => ({ value: near(num(l, "x1") - 3, num(l, "y1") + 5)?.textContent, at: num(l, "y1") }));
    const xTicks = ticks.filter((l) => num(l, "x1") === num(l, "x2") && num(l, "y2") - num(l, "y1") === 5)
      .map((l) => ({ value: near(num(l, "x1"), num(l, "y1") + 15)?.textContent, at: num(l, "x1") }));
    return {
      title: svg.querySelector("title").textContent,
      svgBox: box(svg.getBoundingClientRect()),
      texts: texts.map((t) => ({
        text: t.textContent,
        box: box(t.getBoundingClientRect()),
        px: parseFloat(getComputedStyle(t).fontSize) * scale,
      })),
      yTicks,
      xTicks,
      dashedY: [...svg.querySelectorAll("line[stroke-dasharray]")]
        .filter((l) => num(l, "x1") < 100).map((l) => num(l, "y1")),
      bands: svg.querySelectorAll("polygon[fill-opacity]").length,
    };
  });
  const tables = [...document.querySelectorAll("table")].map((t) => ({
    head: [...t.querySelectorAll("th")].map((h) => h.textContent),
    rows: [...t.querySelectorAll("tbody tr")].map((r) => [...r.cells].map((c) => c.textContent)),
  }));
  const probe = {
    overflowX: document.documentElement.scrollWidth > window.innerWidth,
    devicePixelRatio: window.devicePixelRatio,
    headings: [...document.querySelectorAll("h1, h2, h3")].map((h) => h.textContent),
    plots,
    tables,
    paramTables: document.querySelectorAll("table.params").length,
    jsonInText: /\\{"/.test(document.body.innerText),
  };
  const pre = document.createElement("pre");
  pre.id = "probe";
  pre.textContent = JSON.stringify(probe);
  document.body.appendChild(pre);
})();
</script>`;

interface PageProbe {
  overflowX: boolean;
  devicePixelRatio: number;
  headings: string[];
  plots: PlotProbe[];
  tables: { head: string[]; rows: string[][] }[];
  paramTables: number;
  jsonInText: boolean;
}

const dirs: string[] = [];
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

const m = randomMdp(6, 3, 9);
const base = {
  episodes: 600,
  evalEvery: 100,
  window: 50,
  rule: { ...RELEASED_RULE, start: 100 },
  seeds: [1, 2, 3],
};

/** Run a sweep of `sets` into a fresh folder and return its report.html rendered and probed. */
async function renderedReport(
  sets: { params: ReturnType<typeof resolveParams>; trial: number | null }[],
): Promise<PageProbe> {
  const dir = await mkdtemp(join(tmpdir(), "tabmdp-report-"));
  dirs.push(dir);
  const out = join(dir, "run");
  await runSweep(m, buildJobs(sets, base), {
    ...base,
    source: "random-6x3",
    command: "test",
    shard: [1, 1],
    workers: 0,
    out,
    mode: "new",
  });
  const page = (await readFile(join(out, "report.html"), "utf8")).replace("</body>", `${PROBE}</body>`);
  const probed = join(dir, "probed.html");
  await writeFile(probed, page);
  const { stdout } = await promisify(execFile)(
    chromium!,
    [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--force-device-scale-factor=2",
      "--window-size=1000,1400",
      "--dump-dom",
      `file://${probed}`,
    ],
    { maxBuffer: 64 * 1024 * 1024 },
  );
  const json = /<pre id="probe">([^<]*)<\/pre>/.exec(stdout)?.[1];
  expect(json, "the probe ran in the page").toBeDefined();
  return JSON.parse(
    json!
      .replace(/&quot;/g, '"')
      .replace(/&lt;/g, "<")
      .replace(/&gt;/g, ">")
      .replace(/&amp;/g, "&"),
  ) as PageProbe;
}

const overlaps = (a: number[], b: number[]): boolean =>
  a[0]! < b[2]! - 0.5 && b[0]! < a[2]! - 0.5 && a[1]! < b[3]! - 0.5 && b[1]! < a[3]! - 0.5;

/** Ticks numbered on both axes, in order; the labels legible (>= 14 CSS px), unclipped and apart. */
function expectReadable(plot: PlotProbe): void {
  for (const ticks of [plot.yTicks, plot.xTicks]) {
    expect(ticks.length).toBeGreaterThanOrEqual(3);
    for (const t of ticks) expect(Number.isFinite(Number(t.value?.replace(/k$/, "")))).toBe(true);
  }
  const ys = plot.yTicks.map((t) => Number(t.value));
  for (let i = 1; i < ys.length; i++) expect(ys[i]!).toBeGreaterThan(ys[i - 1]!); // drawn bottom to top
  for (const t of plot.texts) {
    expect(t.px, t.text).toBeGreaterThanOrEqual(14);
    const [l, top, r, bottom] = t.box;
    const [sl, st, sr, sb] = plot.svgBox;
    expect(l >= sl && r <= sr + 0.5 && top >= st && bottom <= sb + 0.5, `"${t.text}" inside the plot`).toBe(
      true,
    );
  }
  plot.texts.forEach((a, i) => {
    for (const b of plot.texts.slice(i + 1))
      expect(overlaps(a.box, b.box), `"${a.text}" overlaps "${b.text}"`).toBe(false);
  });
}

/** The plot's y coordinate of `value`, read off its own tick labels (linear axis). */
function yOf(plot: PlotProbe, value: number): number {
  const [a, b] = [plot.yTicks[0]!, plot.yTicks.at(-1)!];
  const [va, vb] = [Number(a.value), Number(b.value)];
  return a.at + ((value - va) / (vb - va)) * (b.at - a.at);
}

describe.skipIf(chromium === undefined)(
  "report.html in headless Chromium (skipped: no chromium installed; apt-get install chromium)",
  () => {
    it("a study: no overflow, ticks on both axes, labelled 95 % bands, random and optimal lines where they belong, readable at 2x", async () => {
      const sets = ["q-learning", "sarsa"].map((algo) => ({
        params: resolveParams({ algo: algo as "q-learning", gamma: 0.9, epsilon: 0.2 }),
        trial: null,
      }));
      const probe = await renderedReport(sets);
      expect(probe.devicePixelRatio).toBe(2);
      expect(probe.overflowX).toBe(false);
      expect(probe.headings).toContain("Learning study");
      expect(probe.headings).toContain("Hyperparameters");
      expect(probe.paramTables).toBeGreaterThanOrEqual(1);
      expect(probe.jsonInText).toBe(false);
      expect(probe.plots).toHaveLength(2);
      for (const plot of probe.plots) {
        expect(plot.title).toMatch(/\(mean over 3 seeds\)$/);
        expectReadable(plot);
        const legend = plot.texts.map((t) => t.text);
        expect(legend).toContain("95 % CI over seeds (t)");
        expect(plot.bands).toBe(2); // one band per learner
        // Each reference line is drawn at the height of the value its legend entry states.
        const refs = legend.filter((t) => /^(optimal|uniform random) -?\d/.test(t));
        expect(refs.map((t) => t.split(/ -?\d/)[0])).toEqual(["optimal", "uniform random"]);
        refs.forEach((t, i) => {
          const value = Number(t.replace(/^\D+/, ""));
          expect(Math.abs(plot.dashedY[i]! - yOf(plot, value))).toBeLessThan(1.5);
        });
      }
    });

    it("a tune report: trials ranked by the score it names, hyperparameters per trial as a table", async () => {
      const sets = [0, 1, 2].map((t) => ({
        params: sampleTrial("q-learning", { gamma: 0.9 }, 1, t),
        trial: t,
      }));
      const probe = await renderedReport(sets);
      expect(probe.overflowX).toBe(false);
      expect(probe.headings).toContain("Hyperparameter search: q-learning");
      expect(probe.headings).toContain("Trials, best first");
      expect(probe.headings).toContain("Per trial");
      expect(probe.jsonInText).toBe(false);
      const ranked = probe.tables.find((t) => t.head.includes("score"))!;
      expect(ranked.head.slice(0, 4)).toEqual(["rank", "trial", "runs", "score"]);
      expect(ranked.rows.map((r) => r[0])).toEqual(["1", "2", "3"]);
      const scores = ranked.rows.map((r) => Number(r[3]!.split(" ± ")[0]));
      for (let i = 1; i < scores.length; i++) expect(scores[i]!).toBeLessThanOrEqual(scores[i - 1]!);
      // The trials' hyperparameters: one row each, one column per searched setting (no JSON lines).
      const perTrial = probe.tables.find((t) => t.head.includes("--alpha"))!;
      expect(perTrial.rows.map((r) => r[0])).toEqual([0, 1, 2].map((t) => `q-learning/trial-${t}`));
      const alphas = perTrial.rows.map((r) => Number(r[perTrial.head.indexOf("--alpha")]));
      expect(alphas).toEqual(sets.map((s) => Number(s.params.alpha.toPrecision(4))));
      for (const plot of probe.plots) expectReadable(plot);
    });
  },
);
