/**
 * Corpus check: loads every rule file under a directory (for example a local sample of the public
 * elastic/detection-rules repository, kept outside this repo) and, for each kuery/lucene rule, parses and
 * compiles its query twice: with no field types at all (every field unmapped) and with an ECS-like map
 * (keyword for most fields; dates, numbers, ips, wildcard and text where ECS has them).
 *
 *   npx tsx bench/corpus-check.ts /tmp/corpus [--json] [--verbose]
 *
 * Prints one line per file (ok / unsupported / FAIL with file:line:col) and a summary by folder and type.
 * Exit code 1 when any file fails to load or any query fails to parse or compile.
 */
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { compileQuery, parseKql, type FieldTypes, type KqlField, type KqlNode } from '../src/kql';
import { formatIssue, loadRuleFile, type RuleFileResult } from '../src/rules';

const NUMERIC =
  /(^|\.)(port|pid|bytes|packets|code_signature\.status_code|size|count|risk_score|score|ppid|uid|gid|entity_id_count|duration|sequence|exit_code|args_count|asn|number)$/;
const DATE = /(^@timestamp$|\.(ingested|created|start|end|creation_date|timestamp)$)/;
const IP = /(^|\.)(ip|ips|address_ip|client_ip|source_ip|caller_ip_address|ip_address)$/;
const WILDCARD =
  /^(process\.command_line|process\.parent\.command_line|file\.path|registry\.data\.strings|url\.full|url\.original|dll\.path)$/;
const TEXT = /(^message$|script_block_text$|\.text$|^error\.message$)/;

/** An ECS-ish type for a field name: what a typical Elastic mapping gives it. */
export function ecsType(field: string): string {
  if (field === 'event.ingested' || DATE.test(field)) return 'date';
  if (IP.test(field)) return 'ip';
  if (NUMERIC.test(field)) return 'long';
  if (WILDCARD.test(field)) return 'wildcard';
  if (TEXT.test(field)) return 'match_only_text';
  return 'keyword';
}

function fieldNames(node: KqlNode, prefix: string, out: Set<string>): void {
  const name = (f: KqlField): string | undefined => (f.type === 'literal' ? f.value : undefined);
  const add = (f: KqlField | null) => {
    if (f === null) return;
    const n = name(f);
    if (n !== undefined) out.add(prefix === '' ? n : `${prefix}.${n}`);
  };
  switch (node.kind) {
    case 'is':
      add(node.field);
      return;
    case 'exists':
    case 'range':
      add(node.field);
      return;
    case 'nested': {
      const path = name(node.path);
      fieldNames(node.child, path === undefined ? prefix : prefix === '' ? path : `${prefix}.${path}`, out);
      return;
    }
    case 'and':
    case 'or':
      for (const c of node.children) fieldNames(c, prefix, out);
      return;
    case 'not':
      fieldNames(node.child, prefix, out);
      return;
    case 'matchAll':
      return;
  }
}

function ecsFieldTypes(query: string): FieldTypes {
  const names = new Set<string>();
  fieldNames(parseKql(query), '', names);
  return new Map([...names].map((n) => [n, new Set([ecsType(n)])]));
}

interface Row {
  readonly file: string;
  readonly folder: string;
  readonly type: string;
  readonly language: string;
  readonly status: 'ok' | 'unsupported' | 'fail';
  readonly problems: string[];
  readonly warnings: string[];
  readonly queryChars: number;
}

function files(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const abs = join(dir, name);
    if (statSync(abs).isDirectory()) out.push(...files(abs));
    else if (name.endsWith('.toml')) out.push(abs);
  }
  return out;
}

function folderOf(root: string, file: string): string {
  const parts = relative(root, file).split('/');
  parts.pop();
  return parts.length === 0 ? '.' : parts.join('/');
}

function describe(err: unknown): string {
  return err instanceof Error ? `${err.name}: ${err.message}` : String(err);
}

/** A threat_match rule's `threat_query` (KQL over the indicator indices), read from the raw document. */
function threatQuery(result: Extract<RuleFileResult, { ok: true }>): string | undefined {
  const table = result.rule.raw['rule'];
  if (typeof table !== 'object' || table === null || Array.isArray(table)) return undefined;
  const value: unknown = (table as Record<string, unknown>)['threat_query'];
  return typeof value === 'string' ? value : undefined;
}

function checkThreatQuery(result: Extract<RuleFileResult, { ok: true }>, problems: string[]): void {
  const query = threatQuery(result);
  if (query === undefined) return;
  try {
    compileQuery({ language: 'kuery', query, fieldTypes: new Map(), timeZone: 'Zulu' });
  } catch (err) {
    problems.push(`${result.file}: threat_query does not compile: ${describe(err)}`);
  }
}

function checkQuery(result: Extract<RuleFileResult, { ok: true }>, problems: string[]): void {
  const rule = result.rule;
  const query = rule.query;
  const language = rule.language;
  if (query === undefined || (language !== 'kuery' && language !== 'lucene')) return;
  const at = result.queryPosition;
  const where = at === undefined ? result.file : `${result.file}:${at.line}:${at.column}`;
  let ecs: FieldTypes = new Map();
  if (language === 'kuery') {
    try {
      ecs = ecsFieldTypes(query);
    } catch (err) {
      problems.push(`${where}: query does not parse: ${describe(err)}`);
      return;
    }
  }
  for (const [label, fieldTypes] of [
    ['no field types', new Map()],
    ['ECS-like field types', ecs],
  ] as const) {
    try {
      const dsl = compileQuery({ language, query, fieldTypes, timeZone: 'Zulu' });
      JSON.stringify(dsl);
    } catch (err) {
      problems.push(`${where}: query does not compile with ${label}: ${describe(err)}`);
    }
  }
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const json = args.includes('--json');
  const verbose = args.includes('--verbose');
  const root = args.find((a) => !a.startsWith('--'));
  if (root === undefined) {
    process.stderr.write('usage: npx tsx bench/corpus-check.ts <dir> [--json] [--verbose]\n');
    process.exit(2);
  }
  const rows: Row[] = [];
  for (const file of files(root)) {
    const problems: string[] = [];
    let result: RuleFileResult;
    try {
      result = await loadRuleFile(file);
    } catch (err) {
      rows.push({
        file,
        folder: folderOf(root, file),
        type: '?',
        language: '?',
        status: 'fail',
        problems: [`loader threw: ${describe(err)}`],
        warnings: [],
        queryChars: 0,
      });
      continue;
    }
    if (!result.ok) {
      rows.push({
        file,
        folder: folderOf(root, file),
        type: '?',
        language: '?',
        status: 'fail',
        problems: result.errors.map((e) => e.message),
        warnings: result.warnings.map(formatIssue),
        queryChars: 0,
      });
      continue;
    }
    const rule = result.rule;
    checkQuery(result, problems);
    checkThreatQuery(result, problems);
    rows.push({
      file,
      folder: folderOf(root, file),
      type: rule.type,
      language: rule.language ?? '-',
      status: problems.length > 0 ? 'fail' : rule.supported ? 'ok' : 'unsupported',
      problems,
      warnings: result.warnings.map(formatIssue),
      queryChars: rule.query?.length ?? 0,
    });
  }

  if (json) {
    process.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
  } else {
    for (const r of rows) {
      if (r.status === 'fail' || verbose) {
        process.stdout.write(`${r.status.padEnd(11)} ${r.type}/${r.language} ${relative(root, r.file)}\n`);
        for (const p of r.problems) process.stdout.write(`    ${p}\n`);
      }
      for (const w of r.warnings) process.stdout.write(`    warning: ${w}\n`);
    }
    const count = (key: (r: Row) => string) => {
      const m = new Map<string, { total: number; ok: number; unsupported: number; fail: number }>();
      for (const r of rows) {
        const k = key(r);
        const e = m.get(k) ?? { total: 0, ok: 0, unsupported: 0, fail: 0 };
        e.total++;
        e[r.status]++;
        m.set(k, e);
      }
      return [...m.entries()].sort((a, b) => (a[0] < b[0] ? -1 : 1));
    };
    const table = (title: string, entries: ReturnType<typeof count>) => {
      process.stdout.write(
        `\n| ${title} | files | ok (runnable) | unsupported | failed |\n| --- | ---: | ---: | ---: | ---: |\n`,
      );
      for (const [k, e] of entries)
        process.stdout.write(`| ${k} | ${e.total} | ${e.ok} | ${e.unsupported} | ${e.fail} |\n`);
    };
    table(
      'folder',
      count((r) => r.folder),
    );
    table(
      'type/language',
      count((r) => `${r.type}/${r.language}`),
    );
    const kuery = rows.filter((r) => r.language === 'kuery' && r.type !== 'threat_match');
    const longest = Math.max(0, ...rows.map((r) => r.queryChars));
    process.stdout.write(
      `\n${rows.length} files: ${rows.filter((r) => r.status !== 'fail').length} loaded, ` +
        `${rows.filter((r) => r.status === 'fail').length} failed; ` +
        `${kuery.length} kuery queries (query/new_terms/threshold), ${kuery.filter((r) => r.status === 'ok').length} parsed and compiled; ` +
        `longest query ${longest} chars; ${rows.reduce((n, r) => n + r.warnings.length, 0)} warnings\n`,
    );
  }
  process.exit(rows.some((r) => r.status === 'fail') ? 1 : 0);
}

void main();
