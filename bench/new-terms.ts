/**
 * Benchmark of the new_terms rule type (issue 7, item 5): the seed rule "Denied Service Account Request via
 * Unusual User Agent" over 7 days of Kubernetes audit events with N candidate terms in the rule window.
 *
 *   npx tsx bench/new-terms.ts            full run (≥ 2 M events), writes bench/results/new-terms.md,
 *                                         deletes its indices at the end (--keep to keep them)
 *   npx tsx bench/new-terms.ts --quick    200 k events, N ≤ 10,000; writes bench/results/new-terms-quick.md
 *   npx tsx bench/new-terms.ts --load-only  only creates and loads the indices (or finds them loaded)
 *   npx tsx bench/new-terms.ts --keep     full run that keeps its indices for the next run
 *   npx tsx bench/new-terms.ts --cleanup  deletes every benchmark index and the bench alerts/executions indices
 *
 * Data is loaded as the admin user (.kdw/connection.env); the rule runs as kdw's least-privilege user, each
 * measurement in a child process of its own (its peak RSS is the worker's own, from getrusage). The indices are
 * named after their parameters and reused while they hold a complete load.
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { Client } from '@elastic/elasticsearch';
import { installKdwTemplates } from '../src/alerts/install';
import { createEsClient } from '../src/es/client';
import { readConnectionFile } from '../src/es/connection';
import { FieldCapsService } from '../src/es/fieldCaps';
import { loadRules, resolveDateMath, type NewTermsRule } from '../src/rules';
import { createRunDeps } from '../src/ruleTypes/deps';
import { termsAccess } from '../src/ruleTypes/newTerms/fields';
import { runRule } from '../src/ruleTypes/runner';
import { prepareSearch } from '../src/ruleTypes/searchPrep';
import {
  candidateDocs,
  candidatesIndexName,
  historyDocs,
  historyIndexName,
  loadedStats,
  INDEX_PREFIX,
  loadIndex,
  T,
  WINDOW,
  type HistorySpec,
  type LoadStats,
} from './lib/newTermsData';
import {
  alternative,
  compareAnswers,
  executorAggregate,
  leanAlternative,
  referencePhases,
  type AltName,
  type PhaseInput,
  type PhaseTime,
  type StrategyResult,
} from './lib/newTermsPhases';

const ROOT = join(__dirname, '..');
const SEED_RULE = '63c056a0-339a-11ed-a261-0242ac120002';
const ALERTS_INDEX = 'kdw-alerts-bench';
const EXECUTIONS_INDEX = 'kdw-executions-bench';
const BULK_DOCS = 5000;
const BULK_CONCURRENCY = 2;
const ALTS: readonly AltName[] = [
  'exists+collapse',
  'exists via terms include',
  'one msearch per page',
  'one msearch per page, pipelined',
];

interface Plan {
  readonly quick: boolean;
  readonly spec: HistorySpec;
  readonly ns: readonly number[];
  /** history lengths (days) measured at historyN candidates */
  readonly historyDays: readonly number[];
  readonly historyN: number;
  readonly reps: number;
}

function plan(quick: boolean): Plan {
  return quick
    ? {
        quick,
        spec: { days: 7, docs: 200_000, tailAgents: 6_000, seed: 1 },
        ns: [1_000, 10_000],
        historyDays: [1, 3, 7],
        historyN: 10_000,
        reps: 2,
      }
    : {
        quick,
        spec: { days: 7, docs: 2_000_000, tailAgents: 60_000, seed: 1 },
        ns: [1_000, 10_000, 100_000],
        historyDays: [1, 3, 7],
        historyN: 10_000,
        reps: 3,
      };
}

// ---------------------------------------------------------------------------------------------- worker side

interface WorkerTask {
  readonly mode: 'rule' | 'phases' | 'alt';
  readonly indices: readonly string[];
  readonly historyDays: number;
  readonly alts?: readonly AltName[];
  readonly reps?: number;
  readonly skipExecutor?: boolean;
}

interface RuleMeasure {
  readonly wallMs: number;
  readonly totalMs: number;
  readonly searchMs: number;
  readonly esTookMs: number;
  readonly candidates: number;
  readonly newTerms: number;
  readonly alerts: number;
  readonly status: string;
  readonly warnings: readonly string[];
  readonly maxRssKb: number;
}

interface StrategySummary {
  readonly name: string;
  readonly candidates: number;
  readonly newTerms: number;
  readonly wallMs: number;
  readonly tookMs: number;
  readonly requests: number;
  readonly phases: Record<string, PhaseTime>;
  readonly problems: readonly string[];
}

interface PhasesMeasure {
  readonly strategies: readonly StrategySummary[];
}

interface AltMeasure {
  readonly wallMs: number;
  readonly tookMs: number;
  readonly candidates: number;
  readonly newTerms: number;
  readonly maxRssKb: number;
}

async function seedRule(indices: readonly string[], historyDays: number): Promise<NewTermsRule> {
  const { rules, errors } = await loadRules([join(ROOT, 'rules')]);
  if (errors.length > 0) throw new Error(errors.map((e) => e.message).join('\n'));
  const rule = rules.find((r) => r.ruleId === SEED_RULE);
  if (rule === undefined || rule.type !== 'new_terms') throw new Error(`no new_terms seed rule ${SEED_RULE}`);
  return {
    ...rule,
    index: [...indices],
    newTerms: { ...rule.newTerms, historyWindowStart: `now-${historyDays}d` },
  };
}

async function phaseInput(client: Client, rule: NewTermsRule): Promise<PhaseInput> {
  const deps = createRunDeps(client, new FieldCapsService(client, { checkIntervalMs: 0 }), {
    alertsIndex: ALERTS_INDEX,
  });
  const prepared = await prepareSearch(rule, deps);
  if (prepared.skip) throw new Error('no index matched');
  const { access } = termsAccess(rule.newTerms.fields, prepared.snapshot);
  if (access.kind !== 'aggregate' || access.fields.length !== 1)
    throw new Error('expected one aggregatable field');
  return {
    client,
    indices: prepared.indices,
    query: prepared.query,
    timestamps: prepared.timestamps,
    window: WINDOW,
    historyStart: resolveDateMath(rule.newTerms.historyWindowStart, WINDOW.to),
    field: access.fields[0] ?? '',
    pageSize: 10_000,
    maxSignals: rule.maxSignals,
  };
}

function summarize(r: StrategyResult, problems: readonly string[]): StrategySummary {
  return {
    name: r.name,
    candidates: r.candidates,
    newTerms: r.newTerms.size,
    wallMs: r.wallMs,
    tookMs: r.tookMs,
    requests: r.requests,
    phases: r.phases,
    problems,
  };
}

const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? (s[m] ?? 0) : ((s[m - 1] ?? 0) + (s[m] ?? 0)) / 2;
};

/** The fastest of a strategy's rounds (the first round of a process pays connection set-up and JIT). */
function fastestOf(runs: readonly StrategyResult[]): StrategyResult {
  const first = runs[0];
  if (first === undefined) throw new Error('no runs');
  return runs.reduce((best, r) => (r.wallMs < best.wallMs ? r : best), first);
}

async function worker(task: WorkerTask): Promise<unknown> {
  const conn = readConnectionFile(join(ROOT, '.kdw', 'connection.env'));
  const client = createEsClient({ ...conn.kdw, requestTimeoutMs: 300_000 });
  try {
    const rule = await seedRule(task.indices, task.historyDays);
    if (task.mode === 'rule') {
      const deps = {
        ...createRunDeps(client, new FieldCapsService(client, { checkIntervalMs: 0 }), {
          alertsIndex: ALERTS_INDEX,
        }),
        dryRun: true,
      };
      const t = performance.now();
      const result = await runRule(rule, [{ ...WINDOW, kind: 'manual' }], deps, {
        executionsIndex: EXECUTIONS_INDEX,
        trigger: 'manual',
        scheduledAt: T,
        kdwVersion: 'bench',
        workerId: 'bench',
      });
      const wallMs = performance.now() - t;
      const outcome = result.outcomes[0];
      const measure: RuleMeasure = {
        wallMs,
        totalMs: result.record.durations.total_ms,
        searchMs: result.record.durations.search_ms,
        esTookMs: result.record.durations.es_took_ms,
        candidates: outcome?.candidates ?? 0,
        newTerms: outcome?.hits ?? 0,
        alerts: outcome?.alertsCreated ?? 0,
        status:
          result.error === undefined
            ? result.record.status
            : `${result.record.status}: ${result.error.message}`,
        warnings: (outcome?.warnings ?? []).map((w) => w.code),
        maxRssKb: process.resourceUsage().maxRSS,
      };
      return measure;
    }
    if (task.mode === 'alt') {
      const t = performance.now();
      const r = await leanAlternative(await phaseInput(client, rule));
      const measure: AltMeasure = {
        wallMs: performance.now() - t,
        tookMs: r.tookMs,
        candidates: r.candidates,
        newTerms: r.newTerms.size,
        maxRssKb: process.resourceUsage().maxRSS,
      };
      return measure;
    }
    const input = await phaseInput(client, rule);
    const reps = task.reps ?? 1;
    // round robin (A B C … A B C …) so that the machine's drifting load hits every strategy alike
    // the first strategy is the reference answer: the executor's own code, or (to save minutes at 100,000
    // candidates) the same requests phase by phase, which the smaller N show to give the executor's answer
    const strategies: (() => Promise<StrategyResult>)[] = [
      ...(task.skipExecutor === true ? [] : [() => executorAggregate(input)]),
      () => referencePhases(input),
      () => leanAlternative(input),
      ...(task.alts ?? ALTS).map((name) => () => alternative(input, name)),
    ];
    const runs: StrategyResult[][] = strategies.map(() => []);
    for (let r = 0; r < reps; r++) {
      for (const [i, run] of strategies.entries()) runs[i]?.push(await run());
    }
    const picked = runs.map(fastestOf);
    const ref = picked[0];
    if (ref === undefined) throw new Error('no reference run');
    const out = picked.map((r, i) =>
      summarize(r, i === 0 ? [] : (runs[i] ?? []).flatMap((x) => compareAnswers(ref, x)).slice(0, 5)),
    );
    const measure: PhasesMeasure = { strategies: out };
    return measure;
  } finally {
    await client.close();
  }
}

// ---------------------------------------------------------------------------------------------- parent side

const log = (line: string): void => {
  process.stderr.write(`[${new Date().toISOString().slice(11, 19)}] ${line}\n`);
};

/** Runs one measurement in a child process and returns what it printed (JSON on its last stdout line). */
function childOnce<R>(task: WorkerTask): Promise<R> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', __filename, '--worker', JSON.stringify(task)], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.on('error', reject);
    child.on('exit', (code) => {
      const last = out.trim().split('\n').pop() ?? '';
      if (code !== 0) reject(new Error(`worker ${JSON.stringify(task)} exited ${code}: ${out}`));
      else resolve(JSON.parse(last) as R);
    });
  });
}

/**
 * One measurement in a child process; when the shared Elasticsearch was restarted under it (other engineers
 * restart it), waits until it answers again and measures again, at most twice.
 */
async function inChild<R>(task: WorkerTask): Promise<R> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await childOnce<R>(task);
    } catch (err) {
      if (attempt > 2) throw err;
      log(
        `measurement failed (${err instanceof Error ? err.message.slice(0, 200) : String(err)}); retrying in 30 s`,
      );
      await new Promise((r) => setTimeout(r, 30_000));
    }
  }
}

interface RuleRow {
  readonly label: string;
  readonly n: number;
  readonly historyDays: number;
  readonly runs: readonly RuleMeasure[];
  /** the machine's 1-minute load average when the measurement started (2 cores) */
  readonly load1: number;
}

function ruleRow(r: RuleRow): string {
  const wall = median(r.runs.map((m) => m.totalMs));
  const search = median(r.runs.map((m) => m.searchMs));
  const took = median(r.runs.map((m) => m.esTookMs));
  const rss = median(r.runs.map((m) => m.maxRssKb)) / 1024;
  const first = r.runs[0];
  const cand = first?.candidates ?? 0;
  const perSec = wall > 0 ? Math.round((cand / wall) * 1000) : 0;
  const range = `${Math.min(...r.runs.map((m) => m.totalMs))}–${Math.max(...r.runs.map((m) => m.totalMs))}`;
  return `| ${r.label} | ${cand.toLocaleString('en-US')} | ${(first?.newTerms ?? 0).toLocaleString('en-US')} | ${Math.round(wall)} (${range}) | ${Math.round(search)} | ${Math.round(took)} | ${(wall / Math.max(took, 1)).toFixed(2)} | ${perSec.toLocaleString('en-US')} | ${rss.toFixed(0)} | ${r.load1.toFixed(1)} | ${first?.status ?? ''} (${(first?.warnings ?? []).join(', ')}) |`;
}

const RULE_HEADER = [
  '| measurement | candidate terms | new terms | rule wall ms, median (min–max) | search ms | ES took ms (sum) | wall / took | candidates / s | worker peak RSS MiB | load avg (1 min) | status (warnings) |',
  '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |',
];

function phasesTable(label: string, m: PhasesMeasure): string[] {
  const lines = [
    `#### ${label}`,
    '',
    '| strategy | candidates | new terms | wall ms | ES took ms | wall / took | requests | candidates / s | same answer as the first row |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |',
  ];
  for (const s of m.strategies) {
    const same =
      s === m.strategies[0]
        ? '(reference)'
        : s.problems.length === 0
          ? 'yes'
          : `NO: ${s.problems.slice(0, 3).join('; ')}`;
    lines.push(
      `| ${s.name} | ${s.candidates.toLocaleString('en-US')} | ${s.newTerms.toLocaleString('en-US')} | ${Math.round(s.wallMs)} | ${Math.round(s.tookMs)} | ${(s.wallMs / Math.max(s.tookMs, 1)).toFixed(2)} | ${s.requests || ''} | ${Math.round((s.candidates / s.wallMs) * 1000).toLocaleString('en-US')} | ${same} |`,
    );
  }
  lines.push(
    '',
    '| strategy | phase | requests | wall ms | ES took ms |',
    '| --- | --- | ---: | ---: | ---: |',
  );
  for (const s of m.strategies) {
    for (const [phase, p] of Object.entries(s.phases)) {
      lines.push(
        `| ${s.name} | ${phase} | ${p.requests} | ${Math.round(p.wallMs)} | ${Math.round(p.tookMs)} |`,
      );
    }
  }
  return lines;
}

async function ensureHistory(admin: Client, spec: HistorySpec): Promise<LoadStats> {
  const index = historyIndexName(spec);
  const ready = await loadedStats(admin, index, spec.docs);
  if (ready !== undefined) return ready;
  log(`loading ${index} (${spec.docs} events over ${spec.days} days)`);
  return loadIndex(admin, index, historyDocs(spec, BULK_DOCS), BULK_CONCURRENCY, log);
}

async function ensureCandidates(admin: Client, spec: HistorySpec, n: number): Promise<LoadStats> {
  const index = candidatesIndexName(spec, n);
  const ready = await loadedStats(admin, index);
  if (ready !== undefined) return ready;
  log(`loading ${index} (${n} candidate terms)`);
  return loadIndex(admin, index, candidateDocs(n, spec.seed, BULK_DOCS), BULK_CONCURRENCY, log);
}

async function cleanup(admin: Client): Promise<void> {
  // destructive actions need explicit names on this cluster: resolve the pattern first
  const names = Object.keys(await admin.indices.get({ index: `${INDEX_PREFIX}-*`, expand_wildcards: 'all' }));
  if (names.length > 0) await admin.indices.delete({ index: names });
  await admin.indices.delete({ index: [ALERTS_INDEX, EXECUTIONS_INDEX] }, { ignore: [404] });
  await admin.indices.deleteIndexTemplate({ name: `${ALERTS_INDEX},${EXECUTIONS_INDEX}` }, { ignore: [404] });
  log(`deleted the benchmark indices: ${[...names, ALERTS_INDEX, EXECUTIONS_INDEX].join(', ')}`);
}

function cpuPressure(): string {
  try {
    return readFileSync('/proc/pressure/cpu', 'utf8').split('\n')[0] ?? '?';
  } catch {
    return '?';
  }
}

function sh(cmd: string, args: string[]): string {
  try {
    return execFileSync(cmd, args, { encoding: 'utf8' }).trim();
  } catch {
    return '?';
  }
}

async function machineFacts(admin: Client): Promise<string[]> {
  const nodes = await admin.nodes.info({ node_id: '_local', metric: ['jvm', 'os'] });
  const node = Object.values(nodes.nodes)[0];
  const heap = node?.jvm?.mem?.heap_max_in_bytes ?? 0;
  const cpuModel = cpus()[0]?.model ?? '?';
  return [
    `- nproc: ${sh('nproc', [])} (${cpuModel}); memory: ${(totalmem() / 2 ** 30).toFixed(1)} GiB; ${sh('uname', ['-sr'])}`,
    `- node ${process.version}; @elastic/elasticsearch ${(JSON.parse(readFileSync(join(ROOT, 'node_modules/@elastic/elasticsearch/package.json'), 'utf8')) as { version: string }).version}`,
    `- Elasticsearch ${node?.version ?? '?'} on the same machine (single node, ${node?.os?.allocated_processors ?? '?'} processors), heap ${(heap / 2 ** 30).toFixed(1)} GiB, JVM ${node?.jvm?.version ?? '?'}; shared with other engineers' test runs`,
  ];
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const workerAt = args.indexOf('--worker');
  if (workerAt >= 0) {
    const task = JSON.parse(args[workerAt + 1] ?? '{}') as WorkerTask;
    process.stdout.write(`${JSON.stringify(await worker(task))}\n`);
    return;
  }
  const conn = readConnectionFile(join(ROOT, '.kdw', 'connection.env'));
  const admin = createEsClient({ ...conn.admin, requestTimeoutMs: 600_000 });
  const kdw = createEsClient(conn.kdw);
  try {
    if (args.includes('--cleanup')) {
      await cleanup(admin);
      return;
    }
    const p = plan(args.includes('--quick'));
    const command = `npx tsx bench/new-terms.ts${p.quick ? ' --quick' : ''}`;
    const started = Date.now();
    const date = new Date().toISOString();
    await installKdwTemplates(kdw, { alertsIndex: ALERTS_INDEX, executionsIndex: EXECUTIONS_INDEX });
    const loads: LoadStats[] = [await ensureHistory(admin, p.spec)];
    for (const n of new Set([...p.ns, p.historyN])) loads.push(await ensureCandidates(admin, p.spec, n));
    if (args.includes('--load-only')) return;
    const history = historyIndexName(p.spec);
    const loadAtStart = loadavg()[0] ?? 0;
    const indicesFor = (n: number): string[] => [history, candidatesIndexName(p.spec, n)];
    await inChild<RuleMeasure>({ mode: 'rule', indices: indicesFor(p.ns[0] ?? 1000), historyDays: 7 }); // warm-up

    const ruleRows: RuleRow[] = [];
    const altWorker: { n: number; runs: AltMeasure[] }[] = [];
    const repsFor = (n: number): number => (n >= 100_000 ? Math.min(p.reps, 2) : p.reps);
    /** the rule's runs; with `lean`, each followed by a run of the lean alternative (pairs: A B A B …) */
    const measureRule = async (
      label: string,
      n: number,
      historyDays: number,
      lean = false,
    ): Promise<RuleRow> => {
      const runs: RuleMeasure[] = [];
      const leanRuns: AltMeasure[] = [];
      const load1 = loadavg()[0] ?? 0;
      for (let i = 0; i < repsFor(n); i++) {
        runs.push(await inChild<RuleMeasure>({ mode: 'rule', indices: indicesFor(n), historyDays }));
        if (lean)
          leanRuns.push(await inChild<AltMeasure>({ mode: 'alt', indices: indicesFor(n), historyDays }));
      }
      if (lean) altWorker.push({ n, runs: leanRuns });
      const row = { label, n, historyDays, runs, load1 };
      log(ruleRow(row));
      return row;
    };
    for (const n of p.ns)
      ruleRows.push(await measureRule(`N = ${n.toLocaleString('en-US')}, history 7 d`, n, 7, true));
    const historyRows: RuleRow[] = [];
    for (const d of p.historyDays) {
      const existing = ruleRows.find((r) => r.n === p.historyN && r.historyDays === d);
      historyRows.push(
        existing ??
          (await measureRule(`N = ${p.historyN.toLocaleString('en-US')}, history ${d} d`, p.historyN, d)),
      );
    }

    const phaseRuns: { label: string; n: number; m: PhasesMeasure }[] = [];
    for (const n of p.ns) {
      // the slower alternatives only where they are quick to measure
      const m = await inChild<PhasesMeasure>({
        mode: 'phases',
        indices: indicesFor(n),
        historyDays: 7,
        reps: n >= 100_000 ? 1 : 2,
        alts: n >= 100_000 ? [] : ALTS,
        skipExecutor: false,
      });
      phaseRuns.push({ label: `N = ${n.toLocaleString('en-US')}, history 7 d`, n, m });
      for (const s of m.strategies)
        log(
          `N=${n} ${s.name}: wall ${Math.round(s.wallMs)} took ${Math.round(s.tookMs)} ${s.problems.join('; ')}`,
        );
    }
    const failures = phaseRuns.flatMap((r) =>
      r.m.strategies
        .filter((s) => s.problems.length > 0)
        .map((s) => `${r.label}: ${s.name}: ${s.problems.join('; ')}`),
    );
    phaseRuns.forEach(({ label, n, m }) => {
      const rule = ruleRows.find((r) => r.n === n && r.historyDays === 7)?.runs[0];
      const ref = m.strategies[0];
      if (
        rule !== undefined &&
        ref !== undefined &&
        (rule.newTerms !== ref.newTerms || rule.candidates !== ref.candidates)
      )
        failures.push(
          `${label}: the rule found ${rule.newTerms} new of ${rule.candidates}, the reference ${ref.newTerms} of ${ref.candidates}`,
        );
    });

    const lines: string[] = [
      '# new_terms benchmark',
      '',
      `Command: \`${command}\` (from the repository root, Elasticsearch from \`npm run es -- start\`).`,
      '',
      `Date: ${date}; the run took ${((Date.now() - started) / 60_000).toFixed(1)} min (data ${loads.every((l) => l.reused) ? 'reused from an earlier run' : 'loaded in this run'}).`,
      '',
      '## Machine',
      '',
      ...(await machineFacts(admin)),
      `- Load: the machine is shared (other engineers' tests, type checks and benchmarks run on the same 2 cores and the same Elasticsearch). 1-minute load average ${loadAtStart.toFixed(1)} at the start of the measurements, ${(loadavg()[0] ?? 0).toFixed(1)} at the end; CPU pressure (/proc/pressure/cpu) at the end: \`${cpuPressure()}\`. Absolute times are therefore inflated and noisy; ratios between strategies measured back to back are the robust figures.`,
      '',
      '## Data',
      '',
      `- History index \`${history}\`: ${loads[0]?.docs.toLocaleString('en-US')} Kubernetes audit events over ${p.spec.days} days before ${T.toISOString()} in the integration's indexed shape (mapping of src/es/templates/auditLogs.ts, userAgent as keyword), 1 shard, 0 replicas, request cache off (so repeated runs do real work), ${((loads[0]?.storeBytes ?? 0) / 2 ** 20).toFixed(0)} MiB.`,
      '- User agents: 300 common agents (kubelets, controller-manager, scheduler, add-ons, kubectl, SDKs) drawn with Zipf weights (s = 1.1) for 90 % of the events, and a long tail of ' +
        `${p.spec.tailAgents.toLocaleString('en-US')} rare agents for 10 %. 70 % of events come from service accounts, 12 % of those denied; 0.2 % of events lack \`event.ingested\` (the rule falls back to \`@timestamp\`).`,
      `- Candidate indices \`${history}-cand<N>\`: N distinct user agents in denied service-account requests in the rule window [${WINDOW.from.toISOString()}, ${WINDOW.to.toISOString()}] (1 or 2 events each): half are tail agents of the history, half never seen. The history's own window traffic adds the common agents as further candidates.`,
      ...loads.map(
        (l) =>
          `- \`${l.index}\`: ${l.docs.toLocaleString('en-US')} docs, ${l.reused ? 'reused, ' : ''}loaded in ${l.seconds.toFixed(0)} s (${Math.round(l.docs / Math.max(l.seconds, 0.001)).toLocaleString('en-US')} docs/s, bulk ${BULK_DOCS} docs × ${BULK_CONCURRENCY} in flight, as admin).`,
      ),
      '',
      '## The rule (runRule, new_terms executor as in src/)',
      '',
      `The seed rule from rules/ with \`index\` = [history, candidates N], as kdw's least-privilege user, one window [now-6m, now] at ${T.toISOString()}, \`deps.dryRun = true\` (alerts are built and counted, max_signals stays at the rule's 100, nothing is written; the execution record is written to \`${EXECUTIONS_INDEX}\`). ` +
        `Each run in its own child process (node + tsx); ${p.reps} runs (2 for N = 100,000) after one warm-up, medians. Wall = the execution record's \`durations.total_ms\` (field caps, searches, alert building, mget of existing ids); ES took = \`durations.es_took_ms\`; candidates / s = candidate terms ÷ wall.`,
      '',
      '### Candidate terms (cardinality of the window)',
      '',
      ...RULE_HEADER,
      ...ruleRows.map(ruleRow),
      '',
      `### History length (N = ${p.historyN.toLocaleString('en-US')}; history_window_start = now-1d / now-3d / now-7d)`,
      '',
      ...RULE_HEADER,
      ...historyRows.map(ruleRow),
      '',
      '## Where the time goes, and alternatives',
      '',
      `One child process per N runs every strategy in turn (round robin), twice for N ≤ 10,000 (the faster round kept: the first round of a process pays connection set-up and JIT) and once for N = 100,000 (the slower alternatives left out): the executor's own aggregateNewTerms; the same requests phase by phase (A candidates composite, B first-seen min aggregations over [history_window_start, to], C top_hits of the earliest document); and the alternatives of bench/lib/newTermsPhases.ts. Every alternative is checked against the executor: same candidates, same new terms, same first-seen time, and a source document at that time. Wall here is the new-terms search only (no field caps, no alerts).`,
      '',
      ...phaseRuns.flatMap((r) => [...phasesTable(r.label, r.m), '']),
      "### The lean alternative in a worker of its own, paired with the rule's runs",
      '',
      "Each run of the rule above (N rows, history 7 d) was followed by a child process that does the lean alternative's work: field caps and the compiled query (prepareSearch), the new terms, and the source documents of the alerts (no alert building, no execution record). Speed-up = median over the pairs of rule wall ÷ lean wall.",
      '',
      '| N | new terms (rule / lean) | lean wall ms (median) | ES took ms | wall / took | candidates / s | worker peak RSS MiB | rule wall ms (same pairs) | speed-up |',
      '| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
      ...altWorker.map(({ n, runs }) => {
        const wall = median(runs.map((r) => r.wallMs));
        const took = median(runs.map((r) => r.tookMs));
        const rule = ruleRows.find((r) => r.n === n && r.historyDays === 7);
        const ruleWall = median((rule?.runs ?? []).map((r) => r.totalMs));
        const speedUp = median(runs.map((r, i) => (rule?.runs[i]?.totalMs ?? 0) / Math.max(r.wallMs, 1)));
        return `| ${n.toLocaleString('en-US')} | ${(rule?.runs[0]?.newTerms ?? 0).toLocaleString('en-US')} / ${(runs[0]?.newTerms ?? 0).toLocaleString('en-US')} | ${Math.round(wall)} | ${Math.round(took)} | ${(wall / Math.max(took, 1)).toFixed(2)} | ${Math.round(((runs[0]?.candidates ?? 0) / wall) * 1000).toLocaleString('en-US')} | ${(median(runs.map((r) => r.maxRssKb)) / 1024).toFixed(0)} | ${Math.round(ruleWall)} | ${speedUp.toFixed(1)}× |`;
      }),
      '',
      failures.length === 0
        ? "Every alternative gave the reference's answer on every N, and the reference's counts equal the rule's (candidates, new terms)."
        : `DIFFERENT ANSWERS:\n${failures.map((f) => `- ${f}`).join('\n')}`,
      '',
      '## Interpretation',
      '',
      '<!-- INTERPRETATION -->',
      '',
    ];
    mkdirSync(join(ROOT, 'bench', 'results'), { recursive: true });
    const file = join(ROOT, 'bench', 'results', p.quick ? 'new-terms-quick.md' : 'new-terms.md');
    writeFileSync(file, lines.join('\n'));
    log(`wrote ${file}`);
    if (!p.quick && !args.includes('--keep')) await cleanup(admin);
    if (failures.length > 0) process.exitCode = 1;
  } finally {
    await admin.close();
    await kdw.close();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
