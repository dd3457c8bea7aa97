import { RuleError } from '../../../src/rules';
import { edit, messages, NEW_TERMS_RULE, parse, QUERY_RULE, THRESHOLD_RULE } from './helpers';

/** Each case: a valid fixture, one edit, and the one exact error it must produce. */
const ERRORS: ReadonlyArray<readonly [string, string, string, string, string]> = [
  // [case, fixture, from, to, message]
  ['empty file', QUERY_RULE, QUERY_RULE, ' \n\n', 't.toml:1:1: file: is empty'],
  [
    'TOML syntax error',
    QUERY_RULE,
    '[rule]',
    '[rule',
    't.toml:5:6: toml: not valid TOML: illegal character in key',
  ],
  [
    'key defined twice',
    QUERY_RULE,
    'type = "query"',
    'type = "query"\ntype = "query"',
    't.toml:15:1: toml: not valid TOML: trying to redefine an already defined table or value',
  ],
  [
    'missing [metadata]',
    QUERY_RULE,
    '[metadata]\ncreation_date = "2024/01/01"\nupdated_date = "2024/01/02"\n',
    '',
    't.toml:1:1: metadata: is required',
  ],
  ['missing [rule]', QUERY_RULE, '[rule]', '[rules]', 't.toml:1:1: rule: is required'],
  [
    '[rule] not a table',
    `rule = 1\n${QUERY_RULE.replace('[rule]', '[other]')}`,
    'rule = 1',
    'rule = 1',
    't.toml:1:1: rule: must be a table (got integer 1)',
  ],
  [
    'creation_date format',
    QUERY_RULE,
    '"2024/01/01"',
    '"2024-01-01"',
    't.toml:2:1: metadata.creation_date: must be a date like 2022/09/13 (got "2024-01-01")',
  ],
  [
    'creation_date as a TOML date',
    QUERY_RULE,
    '"2024/01/01"',
    '2024-01-01',
    't.toml:2:1: metadata.creation_date: must be a string (got date-time 2024-01-01)',
  ],
  [
    'missing updated_date',
    QUERY_RULE,
    'updated_date = "2024/01/02"\n',
    '',
    't.toml:1:1: metadata.updated_date: is required',
  ],
  [
    'maturity',
    QUERY_RULE,
    '[metadata]',
    '[metadata]\nmaturity = "prod"',
    't.toml:2:1: metadata.maturity: must be one of development, experimental, beta, production, deprecated (got "prod")',
  ],
  [
    'integration of the wrong type',
    QUERY_RULE,
    '[metadata]',
    '[metadata]\nintegration = 3',
    't.toml:2:1: metadata.integration: must be an array (got integer 3)',
  ],
  [
    'unknown rule type',
    QUERY_RULE,
    'type = "query"',
    'type = "sigma"',
    't.toml:14:1: rule.type: must be one of query, new_terms, threshold, eql, esql, machine_learning, threat_match, saved_query (got "sigma")',
  ],
  [
    'severity',
    QUERY_RULE,
    'severity = "low"',
    'severity = "urgent"',
    't.toml:13:1: rule.severity: must be one of low, medium, high, critical (got "urgent")',
  ],
  [
    'risk_score out of range',
    QUERY_RULE,
    'risk_score = 21',
    'risk_score = 101',
    't.toml:11:1: rule.risk_score: must be between 0 and 100 (got 101)',
  ],
  [
    'risk_score as a string',
    QUERY_RULE,
    'risk_score = 21',
    'risk_score = "21"',
    't.toml:11:1: rule.risk_score: must be an integer (got string "21")',
  ],
  [
    'risk_score as a float',
    QUERY_RULE,
    'risk_score = 21',
    'risk_score = 21.5',
    't.toml:11:1: rule.risk_score: must be an integer (got float 21.5)',
  ],
  ['missing name', QUERY_RULE, 'name = "Test rule"\n', '', 't.toml:5:1: rule.name: is required'],
  [
    'empty description',
    QUERY_RULE,
    'description = "Test rule."',
    'description = "  "',
    't.toml:7:1: rule.description: must not be empty',
  ],
  [
    'rule_id not a UUID',
    QUERY_RULE,
    'rule_id = "11111111-2222-4333-8444-555555555555"',
    'rule_id = "abc"',
    't.toml:12:1: rule.rule_id: must be a lowercase UUID (got "abc")',
  ],
  [
    'author not an array',
    QUERY_RULE,
    'author = ["kdw"]',
    'author = "kdw"',
    't.toml:6:1: rule.author: must be an array (got string "kdw")',
  ],
  [
    'author empty',
    QUERY_RULE,
    'author = ["kdw"]',
    'author = []',
    't.toml:6:1: rule.author: must have at least 1 entry (got 0)',
  ],
  [
    'tag not a string',
    QUERY_RULE,
    'type = "query"',
    'type = "query"\ntags = ["a", 3]',
    't.toml:15:14: rule.tags[1]: must be a string (got integer 3)',
  ],
  [
    'language of a query rule',
    QUERY_RULE,
    'language = "kuery"',
    'language = "eql"',
    't.toml:9:1: rule.language: must be one of kuery, lucene for rule type query (got "eql")',
  ],
  [
    'language of an eql rule',
    QUERY_RULE,
    'type = "query"',
    'type = "eql"',
    't.toml:9:1: rule.language: must be one of eql for rule type eql (got "kuery")',
  ],
  [
    'from is not date math',
    QUERY_RULE,
    'type = "query"',
    'type = "query"\nfrom = "now-6x"',
    't.toml:15:1: rule.from: invalid date math: unknown unit "x" (got "now-6x")',
  ],
  [
    'from out of the range of a date',
    QUERY_RULE,
    'type = "query"',
    'type = "query"\nfrom = "now-999999y"',
    't.toml:15:1: rule.from: invalid date math: out of range (got "now-999999y")',
  ],
  [
    'from is not before to',
    QUERY_RULE,
    'type = "query"',
    'type = "query"\nto = "now-10m"',
    't.toml:5:1: rule.from: must be earlier than to (now-10m) (got "now-6m")',
  ],
  [
    'to is not date math',
    QUERY_RULE,
    'type = "query"',
    'type = "query"\nto = "later"',
    't.toml:15:1: rule.to: invalid date math: "later" is neither now nor an ISO date (got "later")',
  ],
  [
    'interval syntax',
    QUERY_RULE,
    'type = "query"',
    'type = "query"\ninterval = "5 minutes"',
    't.toml:15:1: rule.interval: must be a duration like 5m, 1h, 30s or 1d (got "5 minutes")',
  ],
  [
    'max_signals below 1',
    QUERY_RULE,
    'type = "query"',
    'type = "query"\nmax_signals = 0',
    't.toml:15:1: rule.max_signals: must be between 1 and 10000 (got 0)',
  ],
  [
    'max_signals above the limit',
    QUERY_RULE,
    'type = "query"',
    'type = "query"\nmax_signals = 10001',
    't.toml:15:1: rule.max_signals: must be between 1 and 10000 (got 10001)',
  ],
  ['no index', QUERY_RULE, 'index = ["logs-*"]\n', '', 't.toml:5:1: rule.index: is required (or data_view_id)'],
  [
    'empty index list',
    QUERY_RULE,
    'index = ["logs-*"]',
    'index = []',
    't.toml:8:1: rule.index: must have at least 1 entry (got 0)',
  ],
  ['no query', QUERY_RULE, "query = '''\nevent.dataset:test\n'''\n", '', 't.toml:5:1: rule.query: is required'],
  [
    'enabled not a boolean',
    QUERY_RULE,
    'type = "query"',
    'type = "query"\nenabled = "yes"',
    't.toml:15:1: rule.enabled: must be true or false (got string "yes")',
  ],
  [
    'building_block_type',
    QUERY_RULE,
    'type = "query"',
    'type = "query"\nbuilding_block_type = "yes"',
    't.toml:15:1: rule.building_block_type: must be one of default (got "yes")',
  ],
  [
    'version below 1',
    QUERY_RULE,
    'type = "query"',
    'type = "query"\nversion = 0',
    't.toml:15:1: rule.version: must be at least 1 (got 0)',
  ],
  [
    'threat framework',
    QUERY_RULE,
    "test\n'''\n",
    "test\n'''\n[[rule.threat]]\nframework = \"ATTACK\"\n[rule.threat.tactic]\nid = \"TA0001\"\nname = \"Initial Access\"\nreference = \"https://attack.mitre.org/tactics/TA0001/\"\n",
    't.toml:19:1: rule.threat[0].framework: must be one of MITRE ATT&CK, MITRE ATLAS (got "ATTACK")',
  ],
  [
    'threat tactic id',
    QUERY_RULE,
    "test\n'''\n",
    "test\n'''\n[[rule.threat]]\nframework = \"MITRE ATT&CK\"\n[rule.threat.tactic]\nid = \"TA1\"\nname = \"Initial Access\"\nreference = \"https://attack.mitre.org/tactics/TA0001/\"\n",
    't.toml:21:1: rule.threat[0].tactic.id: must be a tactic id like TA0007 (got "TA1")',
  ],
  [
    'threat without tactic',
    QUERY_RULE,
    "test\n'''\n",
    "test\n'''\n[[rule.threat]]\nframework = \"MITRE ATT&CK\"\n",
    't.toml:18:1: rule.threat[0].tactic: is required',
  ],
  [
    'technique reference not a URL',
    QUERY_RULE,
    "test\n'''\n",
    "test\n'''\n[[rule.threat]]\nframework = \"MITRE ATT&CK\"\n[[rule.threat.technique]]\nid = \"T1078\"\nname = \"Valid Accounts\"\nreference = \"attack.mitre.org\"\n[rule.threat.tactic]\nid = \"TA0001\"\nname = \"Initial Access\"\nreference = \"https://attack.mitre.org/tactics/TA0001/\"\n",
    't.toml:23:1: rule.threat[0].technique[0].reference: must be an http(s) URL (got "attack.mitre.org")',
  ],
  [
    'exceptions_list namespace_type',
    QUERY_RULE,
    "test\n'''\n",
    "test\n'''\n[[rule.exceptions_list]]\nid = \"a\"\nlist_id = \"b\"\nnamespace_type = \"global\"\ntype = \"detection\"\n",
    't.toml:21:1: rule.exceptions_list[0].namespace_type: must be one of single, agnostic (got "global")',
  ],
  [
    'severity_mapping severity',
    QUERY_RULE,
    "test\n'''\n",
    "test\n'''\n[[rule.severity_mapping]]\nfield = \"event.severity\"\noperator = \"equals\"\nvalue = \"1\"\nseverity = \"info\"\n",
    't.toml:22:1: rule.severity_mapping[0].severity: must be one of low, medium, high, critical (got "info")',
  ],
  [
    'alert_suppression with too many fields',
    QUERY_RULE,
    "test\n'''\n",
    "test\n'''\n[rule.alert_suppression]\ngroup_by = [\"a\", \"b\", \"c\", \"d\"]\nmissing_fields_strategy = \"suppress\"\n",
    't.toml:19:1: rule.alert_suppression.group_by: must have 1 to 3 entries (got 4)',
  ],
  [
    'alert_suppression missing_fields_strategy',
    QUERY_RULE,
    "test\n'''\n",
    "test\n'''\n[rule.alert_suppression]\ngroup_by = [\"a\"]\nmissing_fields_strategy = \"ignore\"\n",
    't.toml:20:1: rule.alert_suppression.missing_fields_strategy: must be one of suppress, doNotSuppress (got "ignore")',
  ],
  [
    'alert_suppression duration unit',
    QUERY_RULE,
    "test\n'''\n",
    "test\n'''\n[rule.alert_suppression]\ngroup_by = [\"a\"]\nmissing_fields_strategy = \"suppress\"\n[rule.alert_suppression.duration]\nunit = \"d\"\nvalue = 1\n",
    't.toml:22:1: rule.alert_suppression.duration.unit: must be one of s, m, h (got "d")',
  ],
  [
    'investigation_fields empty',
    QUERY_RULE,
    "test\n'''\n",
    "test\n'''\n[rule.investigation_fields]\nfield_names = []\n",
    't.toml:19:1: rule.investigation_fields.field_names: must have at least 1 entry (got 0)',
  ],
  [
    'new_terms missing',
    NEW_TERMS_RULE,
    NEW_TERMS_RULE.slice(NEW_TERMS_RULE.indexOf('[rule.new_terms]')),
    '',
    't.toml:5:1: rule.new_terms: is required',
  ],
  [
    'new_terms field name',
    NEW_TERMS_RULE,
    'field = "new_terms_fields"',
    'field = "fields"',
    't.toml:17:1: rule.new_terms.field: must be "new_terms_fields" (got "fields")',
  ],
  [
    'new_terms with four fields',
    NEW_TERMS_RULE,
    'value = ["user.name"]',
    'value = ["a", "b", "c", "d"]',
    't.toml:18:1: rule.new_terms.value: must have 1 to 3 entries (got 4)',
  ],
  [
    'new_terms with no field',
    NEW_TERMS_RULE,
    'value = ["user.name"]',
    'value = []',
    't.toml:18:1: rule.new_terms.value: must have 1 to 3 entries (got 0)',
  ],
  [
    'new_terms field repeated',
    NEW_TERMS_RULE,
    'value = ["user.name"]',
    'value = ["user.name", "user.name"]',
    't.toml:18:23: rule.new_terms.value[1]: repeats "user.name"',
  ],
  [
    'history window not date math',
    NEW_TERMS_RULE,
    'value = "now-7d"',
    'value = "7 days ago"',
    't.toml:22:1: rule.new_terms.history_window_start[0].value: invalid date math: "7 days ago" is neither now nor an ISO date (got "7 days ago")',
  ],
  [
    'history window not earlier than from',
    NEW_TERMS_RULE,
    'value = "now-7d"',
    'value = "now-5m"',
    't.toml:22:1: rule.new_terms.history_window_start[0].value: must be earlier than from (now-6m) (got "now-5m")',
  ],
  [
    'history window field name',
    NEW_TERMS_RULE,
    'field = "history_window_start"',
    'field = "history"',
    't.toml:21:1: rule.new_terms.history_window_start[0].field: must be "history_window_start" (got "history")',
  ],
  [
    'two history windows',
    NEW_TERMS_RULE,
    'value = "now-7d"',
    'value = "now-7d"\n[[rule.new_terms.history_window_start]]\nfield = "history_window_start"\nvalue = "now-8d"',
    't.toml:20:1: rule.new_terms.history_window_start: must have exactly 1 entry (got 2)',
  ],
  [
    'threshold value 0',
    THRESHOLD_RULE,
    'value = 25',
    'value = 0',
    't.toml:18:1: rule.threshold.value: must be at least 1 (got 0)',
  ],
  [
    'threshold over six fields',
    THRESHOLD_RULE,
    'field = ["source.ip"]',
    'field = ["a", "b", "c", "d", "e", "f"]',
    't.toml:17:1: rule.threshold.field: must have 0 to 5 entries (got 6)',
  ],
  ['threshold missing', THRESHOLD_RULE, '[rule.threshold]', '[rule.other]', 't.toml:5:1: rule.threshold: is required'],
  [
    'threshold suppression without duration',
    THRESHOLD_RULE,
    'value = 25',
    'value = 25\n[rule.alert_suppression]\ngroup_by = ["a"]',
    't.toml:19:1: rule.alert_suppression.duration: is required',
  ],
  [
    'machine_learning without a job',
    QUERY_RULE,
    'type = "query"',
    'type = "machine_learning"\nanomaly_threshold = 75',
    't.toml:5:1: rule.machine_learning_job_id: is required',
  ],
  [
    'threat_match without threat_index',
    QUERY_RULE.replace('type = "query"', 'type = "threat_match"'),
    "test\n'''\n",
    "test\n'''\n[[rule.threat_mapping]]\n[[rule.threat_mapping.entries]]\nfield = \"source.ip\"\ntype = \"mapping\"\nvalue = \"threat.indicator.ip\"\n",
    't.toml:5:1: rule.threat_index: is required',
  ],
];

describe('validation errors', () => {
  it.each(ERRORS)('%s', (_name, fixture, from, to, message) => {
    const result = parse(edit(fixture, from, to));
    expect(messages(result)).toEqual([message]);
    expect(result.ok ? [] : result.errors.every((e) => e instanceof RuleError && e.code === 'rule_invalid')).toBe(
      true,
    );
  });

  it('the fixtures themselves are valid', () => {
    for (const fixture of [QUERY_RULE, NEW_TERMS_RULE, THRESHOLD_RULE]) {
      const result = parse(fixture);
      expect(messages(result)).toEqual([]);
      expect(result.warnings).toEqual([]);
    }
  });

  it('reports every problem of a file at once', () => {
    const text = edit(edit(QUERY_RULE, 'severity = "low"', 'severity = "urgent"'), 'risk_score = 21', 'risk_score = -1');
    expect(messages(parse(text))).toEqual([
      't.toml:11:1: rule.risk_score: must be between 0 and 100 (got -1)',
      't.toml:13:1: rule.severity: must be one of low, medium, high, critical (got "urgent")',
    ]);
  });

  it('carries file, line, column and key in the error', () => {
    const result = parse(edit(QUERY_RULE, 'severity = "low"', 'severity = "urgent"'));
    expect(result.ok ? undefined : result.errors[0]?.issue).toEqual({
      file: 't.toml',
      line: 13,
      column: 1,
      key: 'rule.severity',
      message: 'must be one of low, medium, high, critical (got "urgent")',
    });
    expect(result.ok ? undefined : result.errors[0]?.context).toMatchObject({ file: 't.toml', line: 13 });
  });
});

describe('warnings', () => {
  const WARNINGS: ReadonlyArray<readonly [string, string, string, string, string]> = [
    [
      'unknown key in [rule]',
      QUERY_RULE,
      'type = "query"',
      'type = "query"\nfoo = 1',
      't.toml:15:1: rule.foo: unknown key (ignored)',
    ],
    [
      'key of another rule type',
      QUERY_RULE,
      'type = "query"',
      'type = "query"\nanomaly_threshold = 50',
      't.toml:15:1: rule.anomaly_threshold: not used by rule type query (ignored)',
    ],
    [
      'unknown table',
      QUERY_RULE,
      '[metadata]',
      '[extra]\na = 1\n[metadata]',
      't.toml:1:1: extra: unknown key (ignored)',
    ],
    [
      'unknown key in a nested table',
      QUERY_RULE,
      '[metadata]',
      '[metadata]\nowner = "me"',
      't.toml:2:1: metadata.owner: unknown key (ignored)',
    ],
    [
      'look-back shorter than the interval',
      QUERY_RULE,
      'type = "query"',
      'type = "query"\nfrom = "now-2m"',
      't.toml:15:1: rule.from: look-back from now-2m to now is shorter than the interval 5m: events between runs are never searched',
    ],
  ];

  it.each(WARNINGS)('%s', (_name, fixture, from, to, message) => {
    const result = parse(edit(fixture, from, to));
    expect(messages(result)).toEqual([]);
    expect(result.warnings.map((w) => `${w.file}:${w.line}:${w.column}: ${w.key}: ${w.message}`)).toEqual([message]);
  });
});

describe('defaults', () => {
  it("applies Kibana's defaults", () => {
    const result = parse(QUERY_RULE);
    expect(result.ok && result.rule).toMatchObject({
      interval: '5m',
      intervalMs: 300_000,
      from: 'now-6m',
      to: 'now',
      maxSignals: 100,
      version: 1,
      enabled: true,
      timestampOverrideFallbackDisabled: false,
      tags: [],
      threat: [],
      exceptionsList: [],
    });
  });

  it('tells where the query text begins in the file', () => {
    const result = parse(QUERY_RULE);
    expect(result.ok && result.queryPosition).toEqual({ line: 16, column: 1 });
    const inline = parse(NEW_TERMS_RULE);
    expect(inline.ok && inline.queryPosition).toEqual({ line: 15, column: 10 });
  });

  it('keeps values that are given', () => {
    const text = edit(QUERY_RULE, 'type = "query"', 'type = "query"\ninterval = "1h"\nfrom = "now-70m"\nmax_signals = 500');
    const result = parse(text);
    expect(result.ok && result.rule).toMatchObject({ interval: '1h', intervalMs: 3_600_000, from: 'now-70m', maxSignals: 500 });
  });
});
