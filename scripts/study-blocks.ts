/**
 * The study figures of the docs: which `tabmdp` command writes each block, with what seeds and sizes, and how
 * its printed output becomes the block. Pure data and functions; scripts/docs-studies.ts runs the commands.
 *
 * Sizes are chosen so the whole set runs in about a quarter of an hour on a shared 2-core machine; each study's
 * wall time is recorded in docs/studies-manifest.json, never in a doc.
 */
import { UsageError } from "../src/core/errors.js";
import type { Markers } from "./doc-markers.js";

/** A path the command writes: run in a temporary folder, shown (and copied, for an artifact) as `shown`. */
export interface OutputArg {
  readonly output: string;
  readonly shown: string;
}

/** The published ICU-Sepsis tables; replaced by the folder given to the script. */
export const ICU_SEPSIS = { icuSepsis: "path/to/icu-sepsis" } as const;

export type StudyArg = string | OutputArg | typeof ICU_SEPSIS;

export interface DocStudy {
  /** `npm run docs:studies -- NAME`; also the marker name in the doc. */
  readonly name: string;
  /** The doc holding the block, relative to the repository root. */
  readonly doc: string;
  /** One sentence on what is measured: the seeds and sizes in words. */
  readonly about: string;
  /** Arguments of `tabmdp`. */
  readonly args: readonly StudyArg[];
  /** Files the command writes that the docs show (each `OutputArg.shown`, relative to the root). */
  readonly artifacts?: readonly OutputArg[];
  /** Printed lines that are not figures (wall times, temporary paths): left out of the block. */
  readonly dropLines?: RegExp;
  /** The command prints a markdown table: the block shows it rendered instead of as fixed-width text. */
  readonly printsMarkdown?: boolean;
}

const perturbSvg: OutputArg = { output: "perturb.svg", shown: "docs/builder-perturb.svg" };
const learningRun: OutputArg = { output: "learning", shown: "runs/learning-icu-sepsis" };
const learningSvg: OutputArg = { output: "learning/curves.svg", shown: "docs/learning-icu-sepsis.svg" };

export const STUDIES: readonly DocStudy[] = [
  {
    name: "perturb-medium",
    doc: "docs/builder.md",
    about:
      "Exact values (no sampling) of 32 perturbed copies of the shipped SepsiSim Management medium MDP per " +
      "drop probability, seed 1.",
    args: [
      "study",
      "perturb",
      "data/sepsisim-management-medium",
      "--p",
      "0.1,0.2,0.3,0.5",
      "--repeats",
      "32",
      "--seed",
      "1",
      "--svg",
      perturbSvg,
    ],
    artifacts: [perturbSvg],
  },
  {
    name: "threshold-sepsispilot",
    doc: "docs/builder.md",
    about:
      "SepsisPilot septic shock: 3 cohorts (seeds 1, 2, 3) of 3,000 stays, k = 100, thresholds 5 and 20, " +
      "50 bootstrap replicates per cohort, 2,000 checking stays per policy (seed 1001).",
    args: [
      "study",
      "threshold",
      "sepsispilot/septic-shock",
      "--patients",
      "3000",
      "--k",
      "100",
      "--seed",
      "1",
      "--cohort-seeds",
      "3",
      "--thresholds",
      "5,20",
      "--bootstrap",
      "50",
      "--check-patients",
      "2000",
    ],
  },
  {
    name: "threshold-sepsisim",
    doc: "docs/builder.md",
    about:
      "SepsiSim Management, medium tier: 3 cohorts (seeds 1, 2, 3) of 5,000 stays, k = 150, thresholds 5 and " +
      "20, 50 bootstrap replicates per cohort, 2,000 checking stays per policy (seed 1001).",
    args: [
      "study",
      "threshold",
      "sepsisim/sepsis-management",
      "--tier",
      "medium",
      "--patients",
      "5000",
      "--k",
      "150",
      "--seed",
      "1",
      "--cohort-seeds",
      "3",
      "--thresholds",
      "5,20",
      "--bootstrap",
      "50",
      "--check-patients",
      "2000",
    ],
  },
  {
    name: "builder-vs-exact",
    doc: "docs/builder.md",
    about:
      "Oberst & Sontag: cohorts of 1,000, 5,000, 20,000 and 100,000 stays, 3 cohorts per size (seeds 1, 2, 3), " +
      "k = 100, threshold 20, behaviour epsilon 0.25, 20 bootstrap replicates; exact values by backward induction.",
    args: [
      "study",
      "builder-vs-exact",
      "--sizes",
      "1000,5000,20000,100000",
      "--seed",
      "1",
      "--cohort-seeds",
      "3",
      "--bootstrap",
      "20",
    ],
  },
  {
    name: "fidelity-septic-shock",
    doc: "docs/builder.md",
    about:
      "The behaviour policy of the shipped SepsisPilot septic-shock MDP: 2,000 simulated stays (seed 2) against " +
      "its prediction with 100 bootstrap replicates.",
    args: [
      "fidelity",
      "data/sepsispilot-septic-shock",
      "--policy",
      "behaviour",
      "--patients",
      "2000",
      "--seed",
      "2",
      "--bootstrap",
      "100",
    ],
  },
  {
    name: "learning-icu-sepsis",
    doc: "docs/learning.md",
    about:
      "ICU-Sepsis (the published tables): the five learners of the paper's Table 3 with the default " +
      "hyperparameters, seeds 1-8, 300,000 episodes per run, exact evaluation every 10,000 episodes.",
    args: ["bench", ICU_SEPSIS, "--seeds", "8", "--eval-every", "10000", "--out", learningRun],
    artifacts: [learningSvg],
    // The closing line gives the wall time and the run folder, neither of which is a figure.
    dropLines: /^\d+\/\d+ runs in /,
    printsMarkdown: true,
  },
];

export const studyMarkers = (name: string): Markers => ({
  start: `<!-- study:${name}:start -->`,
  end: `<!-- study:${name}:end -->`,
});

const isOutput = (a: StudyArg): a is OutputArg => typeof a === "object" && "output" in a;

/** The command line as the docs show it (shown paths, the ICU-Sepsis placeholder). */
export function shownCommand(study: DocStudy): string {
  const words = study.args.map((a) => (typeof a === "string" ? a : isOutput(a) ? a.shown : a.icuSepsis));
  return `tabmdp ${words.join(" ")}`;
}

/** The arguments actually run: outputs inside `tmp`, the ICU-Sepsis folder given. */
export function runArgs(study: DocStudy, tmp: string, icuSepsis: string): string[] {
  return study.args.map((a) => (typeof a === "string" ? a : isOutput(a) ? `${tmp}/${a.output}` : icuSepsis));
}

/** The block between the study's markers: how to regenerate it, the command, and what it printed. */
export function studyBlock(study: DocStudy, stdout: string): string {
  const lines = stdout.replace(/\n+$/, "").split("\n");
  const kept = study.dropLines === undefined ? lines : lines.filter((l) => !study.dropLines!.test(l));
  return [
    `Generated by \`npm run docs:studies -- ${study.name}\`. ${study.about}`,
    "",
    "```sh",
    shownCommand(study),
    "```",
    "",
    ...(study.printsMarkdown === true ? [] : ["```text"]),
    ...kept.map((l) => l.trimEnd()),
    ...(study.printsMarkdown === true ? [] : ["```"]),
  ].join("\n");
}

/** Where a committed block and a fresh one first differ, as one line; null when they are the same. */
export function firstDifference(committed: string, fresh: string): string | null {
  const a = committed.split("\n");
  const b = fresh.split("\n");
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    if (a[i] !== b[i]) {
      return `block line ${i + 1}: committed ${JSON.stringify(a[i] ?? null)}, now ${JSON.stringify(b[i] ?? null)}`;
    }
  }
  return null;
}

/** The studies named (all when none), or an error naming the unknown ones. */
export function selectStudies(names: readonly string[]): readonly DocStudy[] {
  if (names.length === 0) return STUDIES;
  const unknown = names.filter((n) => !STUDIES.some((s) => s.name === n));
  if (unknown.length > 0) {
    throw new UsageError(
      `unknown study ${unknown.join(", ")}; known: ${STUDIES.map((s) => s.name).join(", ")}`,
    );
  }
  return STUDIES.filter((s) => names.includes(s.name));
}
