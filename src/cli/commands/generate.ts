import { createWriteStream } from 'node:fs';
import { resolve } from 'node:path';
import type { Writable } from 'node:stream';
import type { Command } from 'commander';
import { ConfigError } from '../../errors';
import { DEFAULT_RATE, DEFAULT_SEED, generateBaseline, generateScenarios } from '../../lab/generator';
import { SCENARIOS } from '../../lab/scenarios';
import { isDateMath, resolveDateMath } from '../../rules';
import { EXIT } from '../exitCodes';
import type { CommandContext } from '../program';
import { textTable } from '../table';

interface GenerateOptions {
  baseline?: boolean;
  scenarios?: boolean;
  from: string;
  to: string;
  at?: string;
  rate: string;
  seed: string;
  out?: string;
  listScenarios?: boolean;
  json?: boolean;
}

/** `kdw generate`: the lab's audit traffic as raw apiserver audit events (JSON lines) for `kdw replay`. */
export function registerGenerate(program: Command, ctx: CommandContext): void {
  program
    .command('generate')
    .description(
      'write realistic Kubernetes apiserver audit events (JSON lines) for kdw replay: a baseline of ordinary\n' +
        'traffic and the attack scenarios and near misses of the seed rules; deterministic for a seed',
    )
    .option('--baseline', 'only the baseline (default: baseline, then scenarios)')
    .option('--scenarios', 'only the scenarios')
    .option('--from <time>', 'baseline start: date math or ISO time', 'now-7d')
    .option('--to <time>', 'baseline end', 'now')
    .option('--at <time>', 'time of the first scenario event (default: --to)')
    .option('--rate <n>', 'baseline requests per second (mean)', String(DEFAULT_RATE))
    .option('--seed <n>', 'seed of the random sequence', String(DEFAULT_SEED))
    .option('--out <file>', 'write to a file (default: standard output)')
    .option('--list-scenarios', 'print the scenarios and the rule each must fire or leave silent')
    .option('--json', 'with --list-scenarios: JSON')
    .addHelpText(
      'after',
      '\nExamples:\n' +
        '  $ kdw generate --baseline --out baseline.jsonl           # 7 days, ~300,000 events\n' +
        '  $ kdw replay baseline.jsonl --ingested event              # history, in the past for the rules\n' +
        '  $ kdw generate --scenarios | kdw replay - --now           # the attacks and near misses, live\n' +
        '  $ kdw generate --list-scenarios --json',
    )
    .action(async (opts: GenerateOptions) => {
      ctx.setExit(await generate(opts, ctx));
    });
}

function time(text: string, key: string, now: Date): number {
  if (isDateMath(text)) return resolveDateMath(text, now).getTime();
  const ms = Date.parse(text);
  if (Number.isNaN(ms))
    throw new ConfigError(`${key} must be date math (now-7d) or an ISO time, got "${text}"`, { key });
  return ms;
}

function number(text: string, key: string): number {
  const value = Number(text);
  if (!Number.isFinite(value) || value <= 0)
    throw new ConfigError(`${key} must be a positive number, got "${text}"`, { key });
  return value;
}

/** Writes lines with backpressure; false once the reader went away (e.g. `| head`), which ends quietly. */
function lineWriter(out: Writable): (line: string) => Promise<boolean> {
  let closed = false;
  let failure: Error | undefined;
  out.on('error', (err: NodeJS.ErrnoException) => {
    closed = true;
    if (err.code !== 'EPIPE') failure = err;
  });
  return async (line) => {
    if (failure !== undefined) throw failure;
    if (closed) return false;
    if (!out.write(line)) {
      await new Promise<void>((r) => {
        const done = (): void => {
          out.off('drain', done);
          out.off('error', done);
          r();
        };
        out.on('drain', done);
        out.on('error', done);
      });
    }
    return !closed;
  };
}

async function generate(opts: GenerateOptions, ctx: CommandContext): Promise<number> {
  if (opts.listScenarios === true) {
    const rows = SCENARIOS.map((s) => ({
      id: s.id,
      rule_id: s.ruleId,
      expect: s.expect,
      events: s.calls.length,
      description: s.description,
    }));
    if (opts.json === true) ctx.io.out(JSON.stringify(rows));
    else
      ctx.io.out(
        textTable(
          rows.map((r) => ({ ...r, events: String(r.events) })),
          [
            ['id', 'SCENARIO'],
            ['expect', 'EXPECT'],
            ['rule_id', 'RULE'],
            ['description', 'DESCRIPTION'],
          ],
        ),
      );
    return EXIT.ok;
  }
  const now = new Date();
  const fromMs = time(opts.from, '--from', now);
  const toMs = time(opts.to, '--to', now);
  if (fromMs >= toMs) throw new ConfigError('--from must be earlier than --to', { key: '--from' });
  const atMs = opts.at === undefined ? toMs : time(opts.at, '--at', now);
  const rate = number(opts.rate, '--rate');
  const seed = Number(opts.seed);
  if (!Number.isInteger(seed))
    throw new ConfigError(`--seed must be an integer, got "${opts.seed}"`, { key: '--seed' });
  const both = opts.baseline !== true && opts.scenarios !== true;
  const out: Writable =
    opts.out === undefined ? process.stdout : createWriteStream(resolve(ctx.io.cwd, opts.out));
  const write = lineWriter(out);
  let count = 0;
  const events = function* () {
    if (both || opts.baseline === true) yield* generateBaseline({ fromMs, toMs, ratePerSecond: rate, seed });
    if (both || opts.scenarios === true) for (const s of generateScenarios(atMs, seed)) yield s.event;
  };
  for (const event of events()) {
    if (!(await write(`${JSON.stringify(event)}\n`))) break;
    count++;
  }
  if (opts.out !== undefined) {
    await new Promise<void>((r, j) => out.end((err?: Error | null) => (err ? j(err) : r())));
    ctx.io.err(`wrote ${count} audit events to ${opts.out}`);
  }
  return EXIT.ok;
}
