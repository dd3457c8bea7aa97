/**
 * Compile time of KQL queries: every rule in rules/ (its `query`) and generated long queries, parsed and
 * compiled against the field types of the Kubernetes audit-logs mapping (no Elasticsearch needed).
 *
 *   npx tsx bench/kql-compile.ts            writes bench/results/kql-compile.md
 */
import { availableParallelism, cpus, loadavg } from 'node:os';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parse as parseToml } from 'smol-toml';
import { auditLogsMappings } from '../src/es/templates/auditLogs';
import { compileKql, fieldTypesFromMapping, parseKql, type QueryLanguage, compileQuery } from '../src/kql';

const ROOT = join(__dirname, '..');
const COMMAND = 'npx tsx bench/kql-compile.ts';
const fieldTypes = fieldTypesFromMapping({ mappings: auditLogsMappings('text') });

interface Row {
  name: string;
  chars: number;
  parseUs: number;
  compileUs: number;
  totalUs: number;
}

/** Median microseconds of `fn` over runs sized to take about `budgetMs`. */
function measure(fn: () => void, budgetMs = 300): number {
  for (let i = 0; i < 5; i++) fn();
  const t0 = performance.now();
  fn();
  const once = Math.max(performance.now() - t0, 0.001);
  const runs = Math.min(20_000, Math.max(7, Math.floor(budgetMs / once)));
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    fn();
    samples.push((performance.now() - t) * 1000);
  }
  samples.sort((a, b) => a - b);
  return samples[Math.floor(samples.length / 2)] ?? 0;
}

function bench(name: string, query: string, language: QueryLanguage = 'kuery'): Row {
  if (language === 'lucene') {
    const total = measure(() => compileQuery({ language, query, fieldTypes }));
    return { name, chars: query.length, parseUs: 0, compileUs: total, totalUs: total };
  }
  const tree = parseKql(query);
  const parseUs = measure(() => parseKql(query));
  const compileUs = measure(() => compileKql(tree, { fieldTypes, timeZone: 'Zulu' }));
  const totalUs = measure(() => compileQuery({ language, query, fieldTypes, timeZone: 'Zulu' }));
  return { name, chars: query.length, parseUs, compileUs, totalUs };
}

function ruleRows(): Row[] {
  const dir = join(ROOT, 'rules');
  let files: string[] = [];
  try {
    files = readdirSync(dir)
      .filter((f) => f.endsWith('.toml'))
      .sort();
  } catch {
    return [];
  }
  return files.flatMap((file) => {
    const doc = parseToml(readFileSync(join(dir, file), 'utf8')) as {
      rule?: { query?: unknown; language?: unknown };
    };
    const query = doc.rule?.query;
    if (typeof query !== 'string') return [];
    const language: QueryLanguage = doc.rule?.language === 'lucene' ? 'lucene' : 'kuery';
    if (doc.rule?.language !== undefined && doc.rule.language !== 'kuery' && language !== 'lucene') return [];
    return [bench(`rules/${file}`, query, language)];
  });
}

function generated(clauses: number): string {
  const parts: string[] = [];
  for (let i = 0; i < clauses; i++) {
    parts.push(
      `(kubernetes.audit.verb:(create or update or "patch") and not kubernetes.audit.user.username:system\\:node\\:n${i}* ` +
        `and kubernetes.audit.userAgent:(*kubectl* or "curl ${i}") and kubernetes.audit.responseStatus.code >= ${i})`,
    );
  }
  return parts.join(' or\n');
}

function valueList(values: number): string {
  const list = Array.from({ length: values }, (_, i) => `"registry.example/team-${i}/image:${i}"`).join(
    ' or ',
  );
  return `kubernetes.audit.requestObject.spec.containers.image:(${list})`;
}

const rows: Row[] = [
  ...ruleRows(),
  bench('generated: 10 clauses', generated(10)),
  bench('generated: 100 clauses', generated(100)),
  bench('generated: 600 clauses (~100 KB)', generated(600)),
  bench('generated: value list of 1,000', valueList(1000)),
  bench('generated: kubernetes.*:x (wildcard field over the mapping)', 'kubernetes.*:x'),
];

const fmt = (us: number): string => (us >= 1000 ? `${(us / 1000).toFixed(2)} ms` : `${us.toFixed(1)} µs`);
const cpu = cpus()[0]?.model ?? 'unknown';
const lines = [
  '# KQL compile benchmark',
  '',
  `Command: \`${COMMAND}\``,
  '',
  `Machine: ${availableParallelism()} CPUs (nproc), ${cpu}, Node ${process.version}, ${process.platform}/${process.arch}; ` +
    `run ${new Date().toISOString()}, load average ${loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')} (a shared machine: other jobs ran at the same time, so take the numbers as upper bounds).`,
  '',
  'Median time per query, field types of the Kubernetes audit-logs mapping (userAgent as text), time zone Zulu. ' +
    '"parse" is parseKql, "compile" is compileKql on the parsed tree, "total" is compileQuery (both).',
  '',
  '| query | chars | parse | compile | total |',
  '| ----- | ----: | ----: | ------: | ----: |',
  ...rows.map(
    (r) => `| ${r.name} | ${r.chars} | ${fmt(r.parseUs)} | ${fmt(r.compileUs)} | ${fmt(r.totalUs)} |`,
  ),
  '',
];
mkdirSync(join(ROOT, 'bench', 'results'), { recursive: true });
writeFileSync(join(ROOT, 'bench', 'results', 'kql-compile.md'), lines.join('\n'));
process.stdout.write(lines.join('\n'));
