import { InputError } from "../core/errors.js";
import { safeReason } from "./quote.js";

/**
 * Where readers send the problems they find. The loader throws on the first one; the validator collects up to
 * a cap and readers stop early once `full` is set, so one code path serves both.
 */
export interface ProblemSink {
  add(p: InputError): void;
  readonly full: boolean;
  /** How many problems it takes in all (1 for a throwing sink), so readers can stop once more cannot help. */
  readonly capacity: number;
  readonly problems: readonly InputError[];
}

/** Throws each problem as it is reported (used by the loaders). */
export function throwingSink(): ProblemSink {
  return {
    add(p) {
      throw p;
    },
    full: false,
    capacity: 1,
    problems: [],
  };
}

/** Collects problems; `full` once `max` are in (later ones are dropped). */
export function collectingSink(max: number): ProblemSink {
  const problems: InputError[] = [];
  return {
    add(p) {
      if (problems.length < max) problems.push(p);
    },
    get full() {
      return problems.length >= max;
    },
    capacity: max,
    problems,
  };
}

/** Shorthand: report a located problem (control characters escaped, long reasons cut). */
export function report(
  sink: ProblemSink,
  file: string,
  line: number | null,
  column: number | null,
  reason: string,
): void {
  sink.add(new InputError(file, line, column, safeReason(reason)));
}

/** Tolerance check shared by all "sums to 1" rules. */
export const offOne = (sum: number, tolerance: number): boolean => !(Math.abs(sum - 1) <= tolerance);

/** "0.99999" style text for sums in messages: enough digits to see the deviation. */
export const showSum = (sum: number): string => `${sum} (off by ${Math.abs(sum - 1).toExponential(2)})`;
