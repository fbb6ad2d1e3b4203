import { mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { hasIcuSepsis, icuSepsisDir, repoRoot, SKIP_REASON } from "./helpers/shared.js";

/**
 * Every TSDoc `@example` in src/ and solvers/ runs as written. An example states its figures as
 * `EXPRESSION; //=> VALUE` lines: the test evaluates EXPRESSION in the example's scope and compares it with
 * VALUE (JSON; a number ending in "..." is a prefix of the printed digits; a parenthesised remark after
 * VALUE is prose). The scope is the package entry point plus the exports of the example's own module;
 * `import ... from "tabmdp"` reads the package entry point. Each example runs in a fresh working folder in
 * which `icu-sepsis` names the ICU-Sepsis tables.
 */

interface Example {
  readonly file: string;
  readonly line: number;
  readonly code: string;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(p);
    return e.name.endsWith(".ts") && !e.name.endsWith(".generated.ts") ? [p] : [];
  });
}

/** The text after `@example` up to the next tag or the end of the comment, without the ` * ` margins. */
function examplesIn(file: string): Example[] {
  const lines = readFileSync(file, "utf8").split("\n");
  const out: Example[] = [];
  lines.forEach((l, i) => {
    const at = l.indexOf("@example");
    if (at < 0) return;
    const body = [l.slice(at + "@example".length).trim()];
    for (let j = i + 1; j < lines.length; j++) {
      const t = lines[j]!.trim();
      if (t.startsWith("*/") || /^\* @/.test(t)) break;
      body.push(t.replace(/^\* ?/, ""));
    }
    out.push({ file: relative(repoRoot, file), line: i + 1, code: body.filter((b) => b !== "").join("\n") });
  });
  return out;
}

const examples = ["src", "solvers"].flatMap((d) => sourceFiles(join(repoRoot, d))).flatMap(examplesIn);
const needsIcu = (e: Example): boolean => e.code.includes('"icu-sepsis');

/** The claim text: the JSON value before an optional "(remark)". */
function expected(text: string): { prefix: string } | { value: unknown } {
  const v = text.replace(/\s+\(.*\)$/, "").trim();
  return v.endsWith("...") ? { prefix: v.slice(0, -3) } : { value: JSON.parse(v) };
}

/** Module specifiers the examples import, loaded by the test ("tabmdp" is the package entry point). */
async function modulesOf(code: string): Promise<Record<string, unknown>> {
  const out: Record<string, unknown> = {};
  for (const [, spec] of code.matchAll(/^import \{[^}]*\} from "([^"]+)";$/gm)) {
    out[spec!] = await import(spec === "tabmdp" ? pathToFileURL(join(repoRoot, "src/index.ts")).href : spec!);
  }
  return out;
}

/** The example as an async function body: imports read preloaded modules, each `//=>` line records its value. */
function runnable(code: string): { body: string; claims: string[] } {
  const claims: string[] = [];
  const body = code
    .split("\n")
    .map((l) => {
      const imp = /^import \{([^}]*)\} from "([^"]+)";$/.exec(l);
      if (imp) return `const {${imp[1]}} = __modules[${JSON.stringify(imp[2])}];`;
      const claim = /^(.*?);?\s*\/\/=>\s*(.+)$/.exec(l);
      if (!claim) return l;
      claims.push(claim[2]!);
      return `__claims.push(${claim[1]});`;
    })
    .join("\n");
  // A block of its own, so the example's declarations may shadow the scope's names.
  return { body: `{\n${body}\n}`, claims };
}

const AsyncFunction = Object.getPrototypeOf(async () => {}).constructor as new (
  ...args: string[]
) => (...values: unknown[]) => Promise<void>;

const folders: string[] = [];
afterAll(() => {
  for (const d of folders) rmSync(d, { recursive: true, force: true });
});

describe("TSDoc examples", () => {
  it("there are examples, and each states at least one figure", () => {
    expect(examples.length).toBeGreaterThanOrEqual(10);
    for (const e of examples)
      expect(runnable(e.code).claims.length, `${e.file}:${e.line}`).toBeGreaterThan(0);
  });

  for (const e of examples) {
    it.skipIf(needsIcu(e) && !hasIcuSepsis)(
      `${e.file}:${e.line}${needsIcu(e) && !hasIcuSepsis ? ` (${SKIP_REASON})` : ""}`,
      async () => {
        const scope: Record<string, unknown> = {
          ...(await import(pathToFileURL(join(repoRoot, "src/index.ts")).href)),
          ...(await import(pathToFileURL(join(repoRoot, e.file)).href)),
        };
        const cwd = mkdtempSync(join(tmpdir(), "tabmdp-example-"));
        folders.push(cwd);
        if (hasIcuSepsis) symlinkSync(icuSepsisDir, join(cwd, "icu-sepsis"));
        const { body, claims } = runnable(e.code);
        const recorded: unknown[] = [];
        const names = Object.keys(scope).filter((n) => /^[A-Za-z_$][\w$]*$/.test(n));
        const fn = new AsyncFunction("__claims", "__modules", ...names, body);
        const back = process.cwd();
        process.chdir(cwd);
        try {
          await fn(recorded, await modulesOf(e.code), ...names.map((n) => scope[n]));
        } finally {
          process.chdir(back);
        }
        expect(recorded.length).toBe(claims.length);
        claims.forEach((c, i) => {
          const want = expected(c);
          const got = recorded[i];
          if ("prefix" in want)
            expect(String(got).startsWith(want.prefix), `${String(got)} vs ${c}`).toBe(true);
          else expect(got).toEqual(want.value);
        });
      },
    );
  }
});
