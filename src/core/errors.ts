/** Base class of every error tabmdp raises on purpose; the CLI prints these without a stack trace (exit 2). */
export class TabmdpError extends Error {
  override readonly name: string = "TabmdpError";
}

/** A problem in an input file, located 1-based by line and column (column = field number for CSV). */
export class InputError extends TabmdpError {
  override readonly name: string = "InputError";
  constructor(
    readonly file: string,
    readonly line: number | null,
    readonly column: number | null,
    readonly reason: string,
  ) {
    super(`${file}${line === null ? "" : `:${line}`}${column === null ? "" : `:${column}`}: ${reason}`);
  }
}

/** Several input problems found in one pass (validate lists them all rather than stopping at the first). */
export class InputErrors extends TabmdpError {
  override readonly name: string = "InputErrors";
  constructor(readonly problems: readonly InputError[]) {
    super(problems.map((p) => p.message).join("\n"));
  }
}

/** A model that is well-formed on disk but inconsistent (e.g. a bad transition row built in code). */
export class ModelError extends TabmdpError {
  override readonly name: string = "ModelError";
}

/** A call that cannot be answered as asked (a policy that never terminates under gamma = 1, a bad action...). */
export class UsageError extends TabmdpError {
  override readonly name: string = "UsageError";
}

/** An output that cannot be written (a parent that is a file, no permission, a full disk, a held lock...). */
export class OutputError extends TabmdpError {
  override readonly name: string = "OutputError";
  constructor(
    readonly path: string,
    readonly reason: string,
  ) {
    super(`${path}: ${reason}`);
  }
}
