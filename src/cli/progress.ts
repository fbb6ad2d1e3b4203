import cliProgress from "cli-progress";

export interface Progress {
  update(done: number): void;
  stop(): void;
}

/**
 * A progress bar on stderr for long runs. cli-progress draws nothing when stderr is not a TTY, and in CI or
 * pipes a bar is noise anyway, so we only create one for an interactive terminal.
 */
export function progressBar(total: number, label: string): Progress {
  if (!process.stderr.isTTY) return { update: () => {}, stop: () => {} };
  const bar = new cliProgress.SingleBar(
    {
      stream: process.stderr,
      format: `${label} [{bar}] {percentage}% | {value}/{total} | eta {eta}s`,
      hideCursor: true,
    },
    cliProgress.Presets.shades_classic,
  );
  bar.start(total, 0);
  return { update: (d) => bar.update(d), stop: () => bar.stop() };
}
