import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { parseRuleBytes, parseRuleText, RULE_TYPE_NAMES, RuleError, type RuleFileResult } from '../../../src/rules';
import { scanPositions } from '../../../src/rules/positions';
import { NEW_TERMS_RULE, QUERY_RULE, THRESHOLD_RULE } from './helpers';

/**
 * The loader must answer every input with a rule or typed errors, never an exception. Inputs: mutations of
 * real rule files (lines deleted, duplicated, swapped; characters flipped; values given another type), TOML
 * built from the format's own keys with random values, random text and random bytes. Over 10,000 in all.
 */

const dirFiles = (dir: string) =>
  readdirSync(dir)
    .filter((f) => f.endsWith('.toml'))
    .map((f) => readFileSync(join(dir, f), 'utf8'));
const SEEDS = [
  ...dirFiles(join(__dirname, '../../../rules')),
  ...dirFiles(join(__dirname, '../../fixtures/rules/corpus')),
  QUERY_RULE,
  NEW_TERMS_RULE,
  THRESHOLD_RULE,
];

/** Plain checks (not expect): they run for every one of the inputs, and expect() costs more than parsing. */
function check(condition: boolean, what: string): void {
  if (!condition) throw new Error(`fuzz invariant broken: ${what}`);
}

function checkResult(result: RuleFileResult): void {
  if (result.ok) {
    check(typeof result.rule.ruleId === 'string', 'a rule has a rule_id');
    check((RULE_TYPE_NAMES as readonly string[]).includes(result.rule.type), 'a rule has a known type');
    return;
  }
  check(result.errors.length > 0, 'a refused file has errors');
  for (const e of result.errors) {
    check(e instanceof RuleError && e.code === 'rule_invalid', `a RuleError, got ${String(e)}`);
    check(e.issue.line >= 1 && e.issue.column >= 1, `a position, got ${e.issue.line}:${e.issue.column}`);
  }
}

const VALUES = ['42', '-1', '3.5', 'true', '"text"', '""', '[]', '["a", 1]', '{ a = 1 }', '1979-05-27', '"now-6x"'];

type Mutation = (lines: string[]) => string[];
const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.nat().map((i): Mutation => (lines) => lines.filter((_, n) => n !== i % lines.length)),
  fc.nat().map((i): Mutation => (lines) => lines.flatMap((l, n) => (n === i % lines.length ? [l, l] : [l]))),
  fc.tuple(fc.nat(), fc.nat()).map(([a, b]): Mutation => (lines) => {
    const out = [...lines];
    const x = a % out.length;
    const y = b % out.length;
    [out[x], out[y]] = [out[y] ?? '', out[x] ?? ''];
    return out;
  }),
  fc.tuple(fc.nat(), fc.nat(), fc.string({ minLength: 1, maxLength: 3 })).map(([i, j, s]): Mutation => (lines) =>
    lines.map((l, n) => (n === i % lines.length ? l.slice(0, j % (l.length + 1)) + s + l.slice((j % (l.length + 1)) + 1) : l)),
  ),
  fc.tuple(fc.nat(), fc.constantFrom(...VALUES)).map(([i, v]): Mutation => (lines) => {
    const assignments = lines.map((l, n) => [l, n] as const).filter(([l]) => /^\s*[\w."-]+\s*=/.test(l));
    const pick = assignments[i % Math.max(assignments.length, 1)];
    if (pick === undefined) return lines;
    return lines.map((l, n) => (n === pick[1] ? l.replace(/=.*$/, `= ${v}`) : l));
  }),
  fc.nat().map((i): Mutation => (lines) => lines.slice(0, i % (lines.length + 1))),
);

const mutatedSeed = fc
  .tuple(fc.constantFrom(...SEEDS), fc.array(mutation, { minLength: 1, maxLength: 6 }))
  .map(([seed, ms]) => ms.reduce((lines, m) => m(lines), seed.split('\n')).join('\n'));

const KEYS = [
  'rule_id', 'name', 'description', 'type', 'language', 'query', 'index', 'risk_score', 'severity', 'author',
  'from', 'to', 'interval', 'max_signals', 'tags', 'timestamp_override', 'version', 'enabled', 'field', 'value',
  'creation_date', 'updated_date', 'maturity', 'integration', 'history_window_start', 'group_by', 'id', 'reference',
];
const HEADERS = [
  '[metadata]', '[rule]', '[rule.new_terms]', '[[rule.new_terms.history_window_start]]', '[rule.threshold]',
  '[[rule.threat]]', '[rule.threat.tactic]', '[[rule.threat.technique]]', '[rule.alert_suppression]',
  '[[rule.exceptions_list]]', '[transform]', '[[transform.osquery]]', '[rule.investigation_fields]',
];
const STRINGS = ['query', 'new_terms', 'threshold', 'eql', 'kuery', 'low', 'now-7d', '5m', '2024/01/01', 'new_terms_fields'];
const value = fc.oneof(
  fc.constantFrom(...VALUES),
  fc.constantFrom(...STRINGS).map((s) => JSON.stringify(s)),
  fc.integer({ min: -5, max: 20_000 }).map(String),
  fc.array(fc.constantFrom(...STRINGS), { maxLength: 4 }).map((a) => JSON.stringify(a)),
);
const line = fc.oneof(
  { weight: 1, arbitrary: fc.constantFrom(...HEADERS) },
  { weight: 4, arbitrary: fc.tuple(fc.constantFrom(...KEYS), value).map(([k, v]) => `${k} = ${v}`) },
);
const structured = fc.array(line, { maxLength: 40 }).map((lines) => lines.join('\n'));

const RUNS = { mutated: 6000, structured: 2500, text: 1000, bytes: 1000, scanner: 1000 };

describe('fuzz: the loader returns a rule or typed errors, never throws', () => {
  const started = Date.now();
  afterAll(() => {
    const total = Object.values(RUNS).reduce((a, b) => a + b, 0);
    process.stdout.write(`fuzz: ${total} inputs in ${Date.now() - started} ms\n`);
  });

  it('mutated rule files', () => {
    fc.assert(fc.property(mutatedSeed, (text) => checkResult(parseRuleText(text, 'f.toml'))), {
      numRuns: RUNS.mutated,
    });
  });

  it('TOML made of the format keys with random values', () => {
    fc.assert(fc.property(structured, (text) => checkResult(parseRuleText(text, 'f.toml'))), {
      numRuns: RUNS.structured,
    });
  });

  it('random text', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 400 }), (text) => checkResult(parseRuleText(text, 'f.toml'))),
      { numRuns: RUNS.text },
    );
  });

  it('random bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 400 }), (bytes) => checkResult(parseRuleBytes(bytes, 'f.toml'))),
      { numRuns: RUNS.bytes },
    );
  });

  it('the key-position scanner accepts any text, valid TOML or not', () => {
    const text = fc.oneof(mutatedSeed, fc.string({ unit: 'binary', maxLength: 400 }));
    fc.assert(
      fc.property(text, (t) => {
        check(scanPositions(t).nearest(['rule', 'rule_id']).line >= 1, 'a position');
      }),
      { numRuns: RUNS.scanner },
    );
  });

  it('some mutations still load: the generators reach the validator, not only the TOML parser', () => {
    const results = fc.sample(mutatedSeed, { numRuns: 300, seed: 42 }).map((t) => parseRuleText(t, 'f.toml'));
    expect(results.filter((r) => r.ok).length).toBeGreaterThan(10);
    expect(results.filter((r) => !r.ok && r.errors.some((e) => e.issue.key.startsWith('rule.'))).length).toBeGreaterThan(10);
  });
});
