/**
 * Benchmark of `kdw replay`: throughput (events/s) and peak memory into the local Elasticsearch.
 *
 *   npx tsx bench/replay.ts [--size-mb 300] [--results bench/results/replay.md] [--keep]
 *   npx tsx bench/replay.ts prepare --size-mb 300     # file + index only, for an external timer
 *   npx tsx bench/replay.ts cleanup --index <name> --file <path>
 *
 * It generates an audit log of the requested size with the lab generator (src/lab), creates a plain index
 * with the integration mapping (logs-kubernetes.audit_logs-kdwbench<id>, template of its own; this
 * Elasticsearch build cannot delete data streams), runs `kdw replay <file> --index <index> --json` as a child
 * process as the admin user (after one `--dry-run` pass: kdw's own cost without the cluster's), checks that
 * the index holds every event, and deletes the index, the template
 * and the file at the end (unless --keep). Peak memory is the replay process's own maximum resident set
 * (getrusage), reported by kdw replay --json.
 */
import { execFileSync, spawn } from 'node:child_process';
import { createWriteStream, existsSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { createEsClient, type Client } from '../src/es/client';
import { readConnectionFile } from '../src/es/connection';
import { installAuditLogsTemplate } from '../src/es/setup';
import { generateBaseline } from '../src/lab/generator';

const ROOT = join(__dirname, '..');

interface Args {
  readonly mode: 'run' | 'prepare' | 'cleanup';
  readonly sizeMb: number;
  readonly results?: string;
  readonly keep: boolean;
  readonly index?: string;
  readonly file?: string;
}

function parseArgs(argv: readonly string[]): Args {
  const mode = argv[0] === 'prepare' || argv[0] === 'cleanup' ? argv[0] : 'run';
  const value = (flag: string): string | undefined => {
    const i = argv.indexOf(flag);
    return i === -1 ? undefined : argv[i + 1];
  };
  const sizeMb = Number(value('--size-mb') ?? '300');
  if (!(sizeMb > 0)) throw new Error('--size-mb must be a positive number');
  const results = value('--results');
  const index = value('--index');
  const file = value('--file');
  return {
    mode,
    sizeMb,
    keep: argv.includes('--keep'),
    ...(results === undefined ? {} : { results }),
    ...(index === undefined ? {} : { index }),
    ...(file === undefined ? {} : { file }),
  };
}

function admin(): Client {
  return createEsClient(readConnectionFile(join(ROOT, '.kdw', 'connection.env')).admin);
}

/** Writes generated events until the file reaches sizeMb; returns the number of events. */
async function generateFile(path: string, sizeMb: number): Promise<number> {
  const limit = sizeMb * 1024 * 1024;
  const out = createWriteStream(path);
  let bytes = 0;
  let events = 0;
  // a busy cluster: 200 requests/s over as many days as the size needs
  const fromMs = Date.parse('2026-01-01T00:00:00Z');
  for (const event of generateBaseline({
    fromMs,
    toMs: fromMs + 365 * 86_400_000,
    ratePerSecond: 200,
    seed: 1,
  })) {
    const line = `${JSON.stringify(event)}\n`;
    bytes += Buffer.byteLength(line);
    events++;
    if (!out.write(line)) await new Promise<void>((r) => out.once('drain', () => r()));
    if (bytes >= limit) break;
  }
  await new Promise<void>((r, j) => out.end((err?: Error | null) => (err ? j(err) : r())));
  return events;
}

async function prepare(sizeMb: number): Promise<{ index: string; file: string; events: number }> {
  const id = `kdwbench${Date.now().toString(36)}`;
  const index = `logs-kubernetes.audit_logs-${id}`;
  const file = join(tmpdir(), `${id}.jsonl`);
  const started = Date.now();
  const events = await generateFile(file, sizeMb);
  process.stderr.write(
    `generated ${events} events, ${(statSync(file).size / 1048576).toFixed(0)} MB in ${((Date.now() - started) / 1000).toFixed(1)} s: ${file}\n`,
  );
  const client = admin();
  try {
    await installAuditLogsTemplate(client, {
      name: id,
      indexPatterns: [index],
      priority: 300,
      dataStream: false,
    });
    await client.indices.create({ index });
  } finally {
    await client.close();
  }
  return { index, file, events };
}

async function cleanup(index: string | undefined, file: string | undefined): Promise<void> {
  if (file !== undefined && existsSync(file)) rmSync(file);
  if (index === undefined) return;
  const client = admin();
  try {
    await client.indices.delete({ index }, { ignore: [404] });
    const template = index.replace('logs-kubernetes.audit_logs-', '');
    await client.indices.deleteIndexTemplate({ name: template }, { ignore: [404] });
  } finally {
    await client.close();
  }
}

interface ReplayJson {
  readonly events: number;
  readonly indexed: number;
  readonly bad: number;
  readonly unindexed: number;
  readonly duration_ms: number;
  readonly events_per_s: number;
  readonly bulk_requests: number;
  readonly peak_rss_mb: number;
}

function replayCommand(file: string, index: string, ...flags: string[]): string[] {
  return [
    join(ROOT, 'node_modules', '.bin', 'tsx'),
    join(ROOT, 'src', 'cli', 'main.ts'),
    'replay',
    file,
    '--index',
    index,
    '--json',
    ...flags,
  ];
}

async function runReplay(
  file: string,
  index: string,
  ...flags: string[]
): Promise<{ json: ReplayJson; wallMs: number }> {
  const [cmd, ...args] = replayCommand(file, index, ...flags);
  if (cmd === undefined) throw new Error('no command');
  const started = Date.now();
  const child = spawn(cmd, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
  let stdout = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  const code = await new Promise<number>((r) => child.on('close', (c) => r(c ?? -1)));
  const wallMs = Date.now() - started;
  if (code !== 0) throw new Error(`kdw replay exited ${code}: ${stdout.slice(0, 2000)}`);
  return { json: JSON.parse(stdout) as ReplayJson, wallMs };
}

function machine(): string {
  const version = (): string => {
    try {
      const client = readConnectionFile(join(ROOT, '.kdw', 'connection.env'));
      return `Elasticsearch ${client.version} (${client.mode}, single node, 1 GB heap, same machine)`;
    } catch {
      return 'Elasticsearch (unknown)';
    }
  };
  const nproc = execFileSync('nproc', { encoding: 'utf8' }).trim();
  return `nproc ${nproc} (${cpus()[0]?.model ?? 'cpu'}), ${(totalmem() / 2 ** 30).toFixed(0)} GB RAM, Node ${process.version}, ${version()}`;
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  if (args.mode === 'cleanup') return cleanup(args.index, args.file);
  const prepared = await prepare(args.sizeMb);
  if (args.mode === 'prepare') {
    process.stdout.write(`${JSON.stringify(prepared)}\n`);
    return;
  }
  try {
    // kdw's own cost first: everything but the network (--dry-run), then the real thing
    const dry = await runReplay(prepared.file, prepared.index, '--dry-run');
    const { json, wallMs } = await runReplay(prepared.file, prepared.index);
    const client = admin();
    let stored: number;
    try {
      await client.indices.refresh({ index: prepared.index });
      stored = (await client.count({ index: prepared.index })).count;
    } finally {
      await client.close();
    }
    const ok =
      json.indexed === prepared.events &&
      stored === prepared.events &&
      json.bad === 0 &&
      json.unindexed === 0;
    const lines = [
      `date: ${new Date().toISOString()}`,
      `machine: ${machine()}`,
      `command: ${replayCommand(prepared.file, prepared.index)
        .map((a) => a.replace(ROOT + '/', ''))
        .join(' ')}`,
      `file: ${args.sizeMb} MB, ${prepared.events} events`,
      `indexed: ${json.indexed} (index count ${stored}) ${ok ? 'all' : 'MISMATCH'}`,
      `replay: ${(json.duration_ms / 1000).toFixed(1)} s, ${json.events_per_s} events/s, ${json.bulk_requests} bulk requests`,
      `kdw alone (--dry-run): ${(dry.json.duration_ms / 1000).toFixed(1)} s, ${dry.json.events_per_s} events/s, peak RSS ${dry.json.peak_rss_mb} MB`,
      `process: ${(wallMs / 1000).toFixed(1)} s wall (start-up included), ${Math.round((prepared.events * 1000) / wallMs)} events/s, peak RSS ${json.peak_rss_mb} MB`,
    ];
    process.stdout.write(`${lines.join('\n')}\n`);
    if (args.results !== undefined) writeFileSync(args.results, `${lines.map((l) => `- ${l}`).join('\n')}\n`);
    if (!ok) process.exitCode = 1;
  } finally {
    if (!args.keep) await cleanup(prepared.index, prepared.file);
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`bench/replay: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
});
