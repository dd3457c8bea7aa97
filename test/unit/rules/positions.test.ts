import { scanPositions } from '../../../src/rules/positions';

describe('scanPositions', () => {
  const text = [
    '# comment = 1', // 1
    '[metadata]', // 2
    'creation_date = "2024/01/01"', // 3
    '', // 4
    '[rule]', // 5
    'note = """', // 6
    'fake = "inside a multi-line string"', // 7
    '[not.a.table]', // 8
    '"""', // 9
    '  tags = [', // 10
    '    "a", # comment', // 11
    '    "b",', // 12
    '  ]', // 13
    'inline = { a = 1, "b.c" = { d = 2 } }', // 14
    "literal = '''", // 15
    "x = '' ", // 16
    "'''", // 17
    '[[rule.threat]]', // 18
    'framework = "MITRE ATT&CK"', // 19
    '[[rule.threat.technique]]', // 20
    'id = "T1"', // 21
    '[[rule.threat.technique]]', // 22
    'id = "T2"', // 23
    '[rule.threat.tactic]', // 24
    'id = "TA1"', // 25
    '[[rule.threat]]', // 26
    '[[rule.threat.technique]]', // 27
    'id = "T3"', // 28
    '[rule . "quoted.key"]', // 29
    'dotted.key = 1', // 30
  ].join('\n');
  const index = scanPositions(text);

  it.each([
    [['metadata'], 2, 1],
    [['metadata', 'creation_date'], 3, 1],
    [['rule'], 5, 1],
    [['rule', 'note'], 6, 1],
    [['rule', 'tags'], 10, 3],
    [['rule', 'tags', 0], 11, 5],
    [['rule', 'tags', 1], 12, 5],
    [['rule', 'inline', 'a'], 14, 12],
    [['rule', 'inline', 'b.c', 'd'], 14, 29],
    [['rule', 'literal'], 15, 1],
    [['rule', 'threat', 0], 18, 1],
    [['rule', 'threat', 0, 'framework'], 19, 1],
    [['rule', 'threat', 0, 'technique', 0, 'id'], 21, 1],
    [['rule', 'threat', 0, 'technique', 1, 'id'], 23, 1],
    [['rule', 'threat', 0, 'tactic', 'id'], 25, 1],
    [['rule', 'threat', 1, 'technique', 0, 'id'], 28, 1],
    [['rule', 'quoted.key', 'dotted', 'key'], 30, 1],
  ] as const)('%j at %i:%i', (path, line, column) => {
    expect(index.get(path)).toEqual({ line, column });
  });

  it('does not take text inside strings for keys', () => {
    expect(index.get(['rule', 'fake'])).toBeUndefined();
    expect(index.get(['not', 'a', 'table'])).toBeUndefined();
    expect(index.get(['rule', 'x'])).toBeUndefined();
  });

  it('places a missing key at its closest written ancestor, else at 1:1', () => {
    expect(index.nearest(['rule', 'threat', 0, 'tactic', 'name'])).toEqual({ line: 24, column: 1 });
    expect(index.nearest(['nothing'])).toEqual({ line: 1, column: 1 });
  });

  it('knows where string contents begin (after the newline TOML drops from a multi-line string)', () => {
    expect(index.contentStart(['rule', 'note'])).toEqual({ line: 7, column: 1 });
    expect(index.contentStart(['metadata', 'creation_date'])).toEqual({ line: 3, column: 18 });
    expect(index.contentStart(['rule', 'literal'])).toEqual({ line: 16, column: 1 });
    expect(index.contentStart(['rule', 'tags', 1])).toEqual({ line: 12, column: 6 });
    expect(index.contentStart(['rule', 'inline', 'a'])).toBeUndefined();
  });

  it('handles CRLF line ends', () => {
    expect(scanPositions('[rule]\r\nname = "x"\r\n').get(['rule', 'name'])).toEqual({ line: 2, column: 1 });
  });
});
