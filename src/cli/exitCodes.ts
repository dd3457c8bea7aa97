/** Exit codes of every kdw command. */
export const EXIT = {
  /** everything ran and found nothing wrong */
  ok: 0,
  /** findings: an invalid rule, a failed rule run, a failed rule test */
  findings: 1,
  /** bad usage, bad configuration, or Elasticsearch unreachable */
  usage: 2,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];
