import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";
import { RELEASED_RULE, resolveParams } from "../solvers/learning/index.js";
import { buildJobs, runSweep } from "../src/study/sweep.js";
import { randomMdp } from "./helpers/learning-mdps.js";

const chromium = ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"].find(
  existsSync,
);

/** Measures the laid-out page and writes the figures into the DOM, which --dump-dom then prints. */
const PROBE = `<script>
(() => {
  const svgs = [...document.querySelectorAll("svg")];
  const probe = {
    overflowX: document.documentElement.scrollWidth > window.innerWidth,
    headings: [...document.querySelectorAll("h1, h2, h3")].map((h) => h.textContent),
    plots: svgs.map((svg) => ({
      yTicks: [...svg.querySelectorAll('text[text-anchor="end"]')].length,
      xTicks: [...svg.querySelectorAll('text[text-anchor="middle"]')].length - 2,
      legend: [...svg.querySelectorAll("text")].map((t) => t.textContent),
      fontSize: Number(svg.getAttribute("font-size")),
      fitsWidth: svg.getBoundingClientRect().right <= window.innerWidth,
    })),
    paramTables: document.querySelectorAll("table.params").length,
  };
  const pre = document.createElement("pre");
  pre.id = "probe";
  pre.textContent = JSON.stringify(probe);
  document.body.appendChild(pre);
})();
</script>`;

describe.skipIf(chromium === undefined)(
  "report.html in headless Chromium (skipped: no chromium installed)",
  () => {
    const dirs: string[] = [];
    afterAll(async () => {
      for (const d of dirs) await rm(d, { recursive: true, force: true });
    });

    it("lays out without horizontal overflow, with ticks on both axes, labelled bands and reference lines", async () => {
      const dir = await mkdtemp(join(tmpdir(), "tabmdp-report-"));
      dirs.push(dir);
      const m = randomMdp(6, 3, 9);
      const sets = ["q-learning", "sarsa"].map((algo) => ({
        params: resolveParams({ algo: algo as "q-learning", gamma: 0.9, epsilon: 0.2 }),
        trial: null,
      }));
      const base = {
        episodes: 600,
        evalEvery: 100,
        window: 50,
        rule: { ...RELEASED_RULE, start: 100 },
        seeds: [1, 2, 3],
      };
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
          "--window-size=1000,1400",
          "--dump-dom",
          `file://${probed}`,
        ],
        { maxBuffer: 64 * 1024 * 1024 },
      );
      const json = /<pre id="probe">([^<]*)<\/pre>/.exec(stdout)?.[1];
      expect(json).toBeDefined();
      const probe = JSON.parse(json!.replace(/&quot;/g, '"').replace(/&amp;/g, "&"));
      expect(probe.overflowX).toBe(false);
      expect(probe.headings).toContain("Learning study");
      expect(probe.headings).toContain("Hyperparameters");
      expect(probe.paramTables).toBeGreaterThanOrEqual(1);
      expect(probe.plots).toHaveLength(2);
      for (const plot of probe.plots) {
        expect(plot.yTicks).toBeGreaterThanOrEqual(3);
        expect(plot.xTicks).toBeGreaterThanOrEqual(3);
        expect(plot.fontSize).toBeGreaterThanOrEqual(14);
        expect(plot.fitsWidth).toBe(true);
        expect(plot.legend).toContain("95 % CI over seeds (t)");
        expect(plot.legend.some((t: string) => t.startsWith("optimal "))).toBe(true);
        expect(plot.legend.some((t: string) => t.startsWith("uniform random "))).toBe(true);
      }
    });
  },
);
