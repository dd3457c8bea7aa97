import type { CliIo } from '../../src/cli/io';

/** A CliIo that keeps what a command prints (for runCli in tests). */
export function captureIo(
  env: NodeJS.ProcessEnv = process.env,
  cwd = process.cwd(),
): CliIo & {
  stdout: string[];
  stderr: string[];
} {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return {
    stdout,
    stderr,
    out: (text) => stdout.push(text),
    err: (text) => stderr.push(text),
    isTty: false,
    env,
    cwd,
  };
}
