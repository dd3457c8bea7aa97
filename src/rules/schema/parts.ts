import { evaluateDateMath, parseDateMath } from '../dateMath';
import { parseDurationMs } from '../duration';
import { MATURITIES, SEVERITIES } from '../types';
import { opt, req, table } from './table';
import {
  anyStr,
  bool,
  fail,
  freeTable,
  int,
  list,
  oneOf,
  quote,
  str,
  strList,
  strOrList,
  type Validator,
} from './validators';

/** Validators for the parts of a rule file shared by every rule type. */

/** detection-rules lets two malformed ids of old rules through; so does kdw, so that every public rule loads. */
const KNOWN_BAD_RULE_IDS = ['119c8877-8613-416d-a98a-96b6664ee73a5', '7eb54028-ca72-4eb7-8185-b6864572347db'];
const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
export const UUID = str({
  pattern: { re: { test: (s: string) => UUID_RE.test(s) || KNOWN_BAD_RULE_IDS.includes(s) }, expected: 'a lowercase UUID' },
});
export const DATE = str({ pattern: { re: /^\d{4}\/\d{2}\/\d{2}$/, expected: 'a date like 2022/09/13' } });
const SEMVER = str({ pattern: { re: /^\d+\.\d+(\.\d+[\w-]*)*$/, expected: 'a version like 8.3.0' } });
const URL = str({ pattern: { re: /^https?:\/\/\S+$/, expected: 'an http(s) URL' } });

export const severity = oneOf(SEVERITIES);
export const riskScore = int(0, 100);

/** Kibana accepts any positive max_signals; kdw caps it at 10,000 (Elasticsearch's default max_result_window). */
export const MAX_SIGNALS_LIMIT = 10_000;
export const maxSignals = int(1, MAX_SIGNALS_LIMIT);

export const dateMath: Validator<string> = (value, path, c) => {
  const s = str()(value, path, c);
  if (typeof s !== 'string') return s;
  const parsed = parseDateMath(s);
  if (!parsed.ok) return fail(c, path, `invalid date math: ${parsed.reason} (got ${quote(s)})`);
  // a far offset (now-999999y) parses but leaves the range of a Date
  if (Number.isNaN(evaluateDateMath(parsed.expr, new Date(0)).getTime())) {
    return fail(c, path, `invalid date math: out of range (got ${quote(s)})`);
  }
  return s;
};

export const interval: Validator<string> = (value, path, c) => {
  const s = str()(value, path, c);
  if (typeof s !== 'string') return s;
  return parseDurationMs(s) !== undefined
    ? s
    : fail(c, path, `must be a duration like 5m, 1h, 30s or 1d (got ${quote(s)})`);
};

export const metadata = table({
  creation_date: req(DATE),
  updated_date: req(DATE),
  deprecation_date: opt(DATE),
  deprecated_reason: opt(anyStr),
  maturity: opt(oneOf(MATURITIES)),
  integration: opt(strOrList()),
  min_stack_version: opt(SEMVER),
  min_stack_comments: opt(anyStr),
  comments: opt(anyStr),
  os_type_list: opt(list(oneOf(['windows', 'linux', 'macos']))),
  query_schema_validation: opt(bool),
  related_endpoint_rules: opt(strList()),
  promotion: opt(bool),
  bypass_bbr_timing: opt(bool),
  extended: opt(freeTable),
});

const threatEntry = (id: RegExp, idExpected: string) =>
  table({ id: req(str({ pattern: { re: id, expected: idExpected } })), name: req(str()), reference: req(URL) });

const subtechnique = threatEntry(/^(T\d{4}\.\d{3}|AML\.T\d{4}\.\d{3})$/, 'a sub-technique id like T1078.001');
const technique = table({
  id: req(str({ pattern: { re: /^(T\d{4}|AML\.T\d{4})$/, expected: 'a technique id like T1078' } })),
  name: req(str()),
  reference: req(URL),
  subtechnique: opt(list(subtechnique)),
});

export const threat = list(
  table({
    framework: req(oneOf(['MITRE ATT&CK', 'MITRE ATLAS'])),
    tactic: req(threatEntry(/^(TA\d{4}|AML\.TA\d{4})$/, 'a tactic id like TA0007')),
    technique: opt(list(technique)),
  }),
);

export const exceptionsList = list(
  table({
    id: req(str()),
    list_id: req(str()),
    namespace_type: req(oneOf(['single', 'agnostic'])),
    type: req(oneOf(['detection', 'endpoint', 'rule_default'])),
  }),
);

export const riskScoreMapping = list(
  table({ field: req(str()), operator: req(oneOf(['equals'])), value: req(anyStr), risk_score: opt(riskScore) }),
);

export const severityMapping = list(
  table({ field: req(str()), operator: req(oneOf(['equals'])), value: req(anyStr), severity: req(severity) }),
);

export const investigationFields = table({ field_names: req(strList({ min: 1 })) });

export const relatedIntegrations = list(
  table({ package: req(str()), version: req(str()), integration: opt(str()) }),
);

export const requiredFields = list(table({ name: req(str()), type: req(str()), ecs: req(bool) }));

export const suppressionDuration = table({ value: req(int(1)), unit: req(oneOf(['s', 'm', 'h'])) });

export const alertSuppression = table({
  group_by: req(strList({ min: 1, max: 3, unique: true })),
  duration: opt(suppressionDuration),
  missing_fields_strategy: req(oneOf(['suppress', 'doNotSuppress'])),
});

export const thresholdAlertSuppression = table({ duration: req(suppressionDuration) });

const osquery = table({ label: req(str()), query: req(str()), ecs_mapping: opt(freeTable) });
const provider = table({
  excluded: req(bool),
  field: req(str()),
  queryType: req(oneOf(['phrase', 'range'])),
  value: req(anyStr),
  valueType: req(oneOf(['string', 'boolean'])),
});
const investigate = table({
  label: req(str()),
  description: opt(anyStr),
  providers: req(list(list(provider))),
  relativeFrom: opt(dateMath),
  relativeTo: opt(dateMath),
});

/** `[transform]`: investigation-guide plugins that the build renders into the note. */
export const transform = table({ osquery: opt(list(osquery)), investigate: opt(list(investigate)) });
