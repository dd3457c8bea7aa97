import type { ReplaySummary } from '../../../src/audit/replay';
import { formatReplaySummary } from '../../../src/audit/summary';
import { auditDataStream, namespaceOf } from '../../../src/audit/target';

const base: ReplaySummary = {
  lines_read: 1000,
  empty_lines: 0,
  events: 970,
  indexed: 969,
  unindexed: 1,
  unindexed_listed: [{ line: 12, status: 400, reason: 'mapper_parsing_exception: failed to parse' }],
  bad: 30,
  bad_listed: Array.from({ length: 30 }, (_, i) => ({ line: i * 10 + 1, reason: 'truncated JSON' })),
  without_own_time: 2,
  retries: 0,
  bulk_requests: 1,
  shift_ms: 0,
  duration_ms: 2000,
  events_per_s: 485,
};

describe('the replay summary', () => {
  it('lists the first 20 bad lines with their numbers and counts the rest', () => {
    const text = formatReplaySummary(base, 'audit.log', 'logs-kubernetes.audit_logs-default');
    expect(text).toContain('bad lines         30');
    expect(text).toContain('    line 1: truncated JSON');
    expect(text).toContain('    line 191: truncated JSON');
    expect(text).not.toContain('line 201:');
    expect(text).toContain('… 10 more (--json lists up to 30)');
    expect(text).toContain('    line 12: 400 mapper_parsing_exception: failed to parse');
    expect(text).toContain('without own time  2');
    expect(text).toContain('2.0 s, 485 events/s, 1 bulk requests');
  });
});

describe('data stream names', () => {
  it('follows the integration: logs-kubernetes.audit_logs-<namespace>', () => {
    expect(auditDataStream('lab')).toBe('logs-kubernetes.audit_logs-lab');
    expect(namespaceOf('logs-kubernetes.audit_logs-prod')).toBe('prod');
    expect(namespaceOf('logs-kubernetes.audit_logs-')).toBeUndefined();
    expect(namespaceOf('my-index')).toBeUndefined();
  });
});
