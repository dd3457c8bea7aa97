import type { TomlTable } from 'smol-toml';
import type { RuleIssue } from '../issues';
import type { PositionIndex } from '../positions';
import { RULE_TYPE_NAMES, type Rule, type RuleTypeName } from '../types';
import { buildBase, buildMetadata } from './base';
import { Collector } from './collector';
import { COMMON_FIELDS } from './common';
import { metadata, transform } from './parts';
import { RULE_TYPES } from './ruleTypes';
import { checkFields, opt, req } from './table';
import { freeTable, INVALID, isTable, type Table } from './validators';

export interface DocumentResult {
  readonly rule?: Rule;
  readonly errors: readonly RuleIssue[];
  readonly warnings: readonly RuleIssue[];
}

const TOP_LEVEL = { metadata: req(metadata), rule: req(freeTable), transform: opt(transform) } as const;
const RULE_PATH = ['rule'] as const;

/** Validates a parsed rule document (pure: no I/O, no clock) and builds the typed Rule when it is valid. */
export function validateRuleDocument(doc: TomlTable, file: string, positions: PositionIndex): DocumentResult {
  const c = new Collector(file, positions);
  const top = checkFields(TOP_LEVEL, doc, [], c);
  const ruleTable = isTable(doc['rule']) ? doc['rule'] : undefined;
  if (ruleTable === undefined) return { errors: c.errors, warnings: c.warnings };

  const common = checkFields(COMMON_FIELDS, ruleTable, RULE_PATH, c, { ignoreUnknown: true });
  const type = ruleTypeOf(ruleTable);
  if (type === undefined) return { errors: c.errors, warnings: c.warnings };
  warnUnknownKeys(ruleTable, type, c);
  const finish = RULE_TYPES[type].check(ruleTable, RULE_PATH, c);
  if (top === INVALID || common === INVALID || finish === INVALID) return { errors: c.errors, warnings: c.warnings };

  const base = buildBase(
    common,
    {
      file,
      raw: doc,
      metadata: buildMetadata(top.metadata),
      ...(top.transform === undefined ? {} : { transform: top.transform }),
      rulePath: RULE_PATH,
    },
    c,
  );
  const rule = finish(base, c);
  return rule === INVALID || c.errors.length > 0
    ? { errors: c.errors, warnings: c.warnings }
    : { rule, errors: [], warnings: c.warnings };
}

function ruleTypeOf(rule: Table): RuleTypeName | undefined {
  const t = rule['type'];
  return RULE_TYPE_NAMES.find((name) => name === t);
}

function warnUnknownKeys(rule: Table, type: RuleTypeName, c: Collector): void {
  const own = new Set([...Object.keys(COMMON_FIELDS), ...RULE_TYPES[type].fieldNames]);
  for (const key of Object.keys(rule)) {
    if (own.has(key)) continue;
    const usedByOther = RULE_TYPE_NAMES.some((t) => RULE_TYPES[t].fieldNames.includes(key));
    c.warn([...RULE_PATH, key], usedByOther ? `not used by rule type ${type} (ignored)` : 'unknown key (ignored)');
  }
}
