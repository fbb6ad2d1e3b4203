import { Option } from "@commander-js/extra-typings";
import { DEFAULT_TOLERANCE } from "../io/policy.js";
import { warn } from "./output.js";
import { parsePositive, parseSeed } from "./parse.js";

/**
 * The CLI's one option vocabulary (docs/cli.md has the table). Each concept has one spelling on every
 * command; an old spelling stays accepted for a release as a hidden alias that warns on stderr.
 */

/** Seed of every command that draws random numbers, when --seed is not given (bench's seeds start here too). */
export const DEFAULT_SEED = 1;

/** The parts of a commander Command an alias needs (any command, whatever its typed arguments). */
interface AliasHost {
  addOption(option: Option): unknown;
  on(event: string, listener: (text: string) => void): unknown;
  error(message: string, options: { exitCode: number }): never;
  setOptionValueWithSource(key: string, value: unknown, source: "cli"): unknown;
}

/**
 * Accept `--old` as a deprecated spelling of the option `canonical` (given as on `cmd`, e.g.
 * "--max-episode-steps <n>"): the value goes through the same parser, so errors name the same range.
 */
export function deprecatedAlias<T>(
  cmd: AliasHost,
  old: string,
  canonical: string,
  parse: (text: string) => T,
): void {
  const target = new Option(canonical).attributeName();
  const flag = canonical.split(" ")[0]!;
  cmd.addOption(new Option(`--${old} <value>`, `deprecated: use ${flag}`).hideHelp());
  cmd.on(`option:${old}`, (text: string) => {
    warn(`--${old} is deprecated; use ${flag}`);
    let value: T;
    try {
      value = parse(text);
    } catch (err) {
      cmd.error(`error: option '--${old} <value>' argument '${text}' is invalid. ${(err as Error).message}`, {
        exitCode: 2,
      });
    }
    cmd.setOptionValueWithSource(target, value, "cli");
  });
}

/** Every command that reads an MDP folder: the row-sum tolerance it loads with (float32 tables need more). */
export const rowSumToleranceOption = () =>
  new Option("--row-sum-tolerance <t>", "allowed |row sum - 1| for transitions, d0 and policies when reading")
    .argParser(parsePositive)
    .default(DEFAULT_TOLERANCE);

/** The read options of a loading command. */
export const readOptions = (o: { readonly rowSumTolerance: number }): { tolerance: number } => ({
  tolerance: o.rowSumTolerance,
});

/** `--seed <s>` with the documented default. */
export const seedOption = (what = "seed (same arguments, same output)") =>
  new Option("--seed <s>", what).argParser(parseSeed).default(DEFAULT_SEED);
