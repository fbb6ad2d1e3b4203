import { existsSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";

/** Repository root (tests run from anywhere). */
export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), "../..");

/** The shared reference material lives beside the repository, never inside it. */
export const sharedDir = resolve(repoRoot, "../shared");
export const icuSepsisDir = resolve(sharedDir, "icu-sepsis");
export const goldenDir = resolve(sharedDir, "golden");

/** True when the ICU-Sepsis tables are available; tests that need them use describe.skipIf(!hasIcuSepsis). */
export const hasIcuSepsis = existsSync(resolve(icuSepsisDir, "transitionFunction.csv.gz"));
export const hasGolden = existsSync(goldenDir);
export const SKIP_REASON = "../shared/icu-sepsis is absent: reference-data tests skipped";
