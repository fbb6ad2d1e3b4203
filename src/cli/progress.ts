import cliProgress from "cli-progress";

export interface Progress {
  /** Set the count done so far (the bar starts on the first call, so quick runs draw nothing early). */
  update(done: number): void;
  stop(): void;
}

const SILENT: Progress = { update: () => {}, stop: () => {} };

/**
 * The one progress bar of the CLI: on stderr, and only for an interactive terminal without --json. A bar in
 * a pipe or a log is noise, and --json output is read by programs, so both stay silent.
 */
export function progressBar(
  total: number,
  label: string,
  o: { readonly unit?: string; readonly json?: boolean | undefined } = {},
): Progress {
  if (!process.stderr.isTTY || o.json === true || total <= 0) return SILENT;
  const bar = new cliProgress.SingleBar(
    {
      stream: process.stderr,
      format: `${label} [{bar}] {percentage}% | {value}/{total}${o.unit === undefined ? "" : ` ${o.unit}`} | eta {eta}s`,
      hideCursor: true,
    },
    cliProgress.Presets.shades_classic,
  );
  let started = false;
  return {
    update: (done) => {
      if (!started) bar.start(total, done);
      else bar.update(done);
      started = true;
    },
    stop: () => {
      if (started) bar.stop();
    },
  };
}
