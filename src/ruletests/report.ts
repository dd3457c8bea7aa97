import type { ActualAlert, Comparison } from './diff';
import { getField, showValue } from './fields';
import type { CaseResult } from './runCase';
import type { FileResult, SuiteResult } from './suite';

const MAX_LISTED = 10;

/** The lines that explain a failed case: count, then each expected alert not found against its closest alert. */
export function diffLines(
  comparison: Comparison,
  alerts: readonly ActualAlert[],
  keyFields: readonly string[],
): string[] {
  const out: string[] = [];
  if (comparison.expectedCount !== comparison.actualCount) {
    out.push(`expected ${comparison.expectedCount} alert(s), got ${comparison.actualCount}`);
    for (const alert of alerts.slice(0, MAX_LISTED)) {
      const fields = keyFields.map((f) => `${f}=${showValue(getField(alert.doc, f))}`).join(' ');
      out.push(`  + ${alert.time} ${fields === '' ? alert.reason : fields}`);
    }
    if (alerts.length > MAX_LISTED) out.push(`  + … ${alerts.length - MAX_LISTED} more`);
  }
  for (const missing of comparison.missing) {
    const n = `expected alert ${missing.index + 1}`;
    if (missing.closest === undefined) {
      out.push(`${n} not found (no alert at all):`);
      for (const [field, value] of Object.entries(missing.expected))
        out.push(`  - ${field}: ${showValue(value)}`);
      continue;
    }
    out.push(`${n} not found; closest alert (${missing.closest.alert.time}), - expected + actual:`);
    for (const f of missing.closest.fields) {
      if (f.equal) out.push(`    ${f.field}: ${showValue(f.actual)}`);
      else out.push(`  - ${f.field}: ${showValue(f.expected)}`, `  + ${f.field}: ${showValue(f.actual)}`);
    }
  }
  return out;
}

const MARK: Record<CaseResult['status'], string> = { pass: 'PASS', fail: 'FAIL', error: 'ERROR' };

/** The human report: one line per case, the diff under each failure, a summary line. */
export function textReport(result: SuiteResult): string[] {
  return [...result.files.flatMap(fileLines), ...summaryLines(result)];
}

/** The end of the human report: test paths not found, and the counts. */
export function summaryLines(result: SuiteResult): string[] {
  const out: string[] = [];
  for (const m of result.missing) out.push(`ERROR ${m}: not found`);
  const c = result.counts;
  const cases = c.passed + c.failed;
  out.push(
    '',
    `${cases} case(s): ${c.passed} passed, ${c.failed} failed` +
      (c.errors > 0 ? `, ${c.errors} error(s)` : '') +
      ` in ${result.files.length} file(s), ${(result.tookMs / 1000).toFixed(1)} s`,
  );
  return out;
}

/** One file of the human report. */
export function fileLines(file: FileResult): string[] {
  const out = [file.rule === undefined ? file.file : `${file.file}  (${file.rule.name})`];
  for (const e of file.errors) out.push(`  ERROR ${e}`);
  for (const c of file.cases) {
    out.push(
      `  ${MARK[c.status].padEnd(5)} ${c.name}  (${file.file}:${c.line}:${c.column}, ${c.alerts.length} alert(s), ${c.tookMs} ms)`,
    );
    if (c.error !== undefined) out.push(`        ${c.error}`);
    if (c.status !== 'pass') for (const w of c.warnings) out.push(`        warning: ${w}`);
    if (c.status === 'fail' && c.comparison !== undefined) {
      const keys = [...new Set(c.comparison.missing.flatMap((m) => Object.keys(m.expected)))];
      for (const line of diffLines(c.comparison, c.alerts, keys)) out.push(`        ${line}`);
    }
  }
  return out;
}

/** The machine-readable report (--json). */
export function jsonReport(result: SuiteResult): Record<string, unknown> {
  return {
    ok: result.counts.failed === 0 && result.counts.errors === 0 && result.missing.length === 0,
    counts: result.counts,
    took_ms: result.tookMs,
    missing: result.missing,
    files: result.files.map((f) => ({
      file: f.file,
      rule: f.rule === undefined ? null : { rule_id: f.rule.ruleId, name: f.rule.name, file: f.rule.file },
      errors: f.errors,
      cases: f.cases.map((c) => ({
        name: c.name,
        status: c.status,
        position: `${f.file}:${c.line}:${c.column}`,
        end: c.end,
        windows: c.windows,
        fixture_index: c.fixtureIndex,
        took_ms: c.tookMs,
        expected_count: c.comparison?.expectedCount ?? null,
        actual_count: c.comparison?.actualCount ?? c.alerts.length,
        missing: (c.comparison?.missing ?? []).map((m) => ({
          index: m.index,
          expected: m.expected,
          closest:
            m.closest === undefined
              ? null
              : { id: m.closest.alert.id, time: m.closest.alert.time, fields: m.closest.fields },
        })),
        alerts: c.alerts.map((a) => ({ id: a.id, time: a.time, reason: a.reason })),
        warnings: c.warnings,
        ...(c.error === undefined ? {} : { error: c.error }),
      })),
    })),
  };
}
