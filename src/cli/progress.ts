import { Presets, SingleBar } from 'cli-progress';

/** Progress of a long command: a bar on stderr when it is a terminal, nothing otherwise. */
export interface Progress {
  start(total: number): void;
  update(done: number, detail: string): void;
  stop(): void;
}

export const NO_PROGRESS: Progress = { start: () => {}, update: () => {}, stop: () => {} };

/** A bar on stderr when both stdout and stderr are terminals (pipes and tests get none). */
export function terminalProgress(label: string, stdoutIsTty: boolean): Progress {
  if (!stdoutIsTty || process.stderr.isTTY !== true) return NO_PROGRESS;
  const bar = new SingleBar(
    {
      format: `${label} [{bar}] {percentage}% | {value}/{total} windows | ETA {eta_formatted} | {detail}`,
      stream: process.stderr,
      clearOnComplete: true,
      hideCursor: true,
    },
    Presets.shades_classic,
  );
  return {
    start: (total) => bar.start(total, 0, { detail: '' }),
    update: (done, detail) => bar.update(done, { detail }),
    stop: () => bar.stop(),
  };
}
