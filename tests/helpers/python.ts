import { spawnSync } from "node:child_process";

/**
 * The Python interpreters a cross-language test may use: `python3` on the PATH, then the system's own
 * (`/usr/bin/python3`), which can hold modules the first lacks (Debian's python3-pandas, say, when `python3`
 * is a separately installed Python without them). Each listed once, by the executable it runs.
 */
export const pythons: readonly string[] = (() => {
  const seen = new Map<string, string>();
  for (const candidate of ["python3", "/usr/bin/python3"]) {
    const r = spawnSync(candidate, ["-c", "import sys; print(sys.executable)"], { encoding: "utf8" });
    const executable = r.status === 0 ? r.stdout.trim() : "";
    if (executable !== "" && !seen.has(executable)) seen.set(executable, candidate);
  }
  return [...seen.values()];
})();

/** Whether `python` imports every one of `modules`. */
export const hasModules = (python: string, modules: readonly string[]): boolean =>
  spawnSync(python, ["-c", modules.map((m) => `import ${m}`).join("; ") || "pass"]).status === 0;

/** The first interpreter that imports every one of `modules`, or null. */
export const pythonWith = (modules: readonly string[]): string | null =>
  pythons.find((p) => hasModules(p, modules)) ?? null;
