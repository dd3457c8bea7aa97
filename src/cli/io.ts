/** What a command writes to. Passed in, so commands are testable without a terminal. */
export interface CliIo {
  out(text: string): void;
  err(text: string): void;
  /** true when stdout is a terminal (tables, progress bars); false for pipes (JSON) */
  readonly isTty: boolean;
  readonly env: NodeJS.ProcessEnv;
  readonly cwd: string;
}

export function processIo(): CliIo {
  return {
    out: (text) => process.stdout.write(text.endsWith('\n') ? text : `${text}\n`),
    err: (text) => process.stderr.write(text.endsWith('\n') ? text : `${text}\n`),
    isTty: process.stdout.isTTY === true,
    env: process.env,
    cwd: process.cwd(),
  };
}
