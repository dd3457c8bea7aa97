import { createHash } from 'node:crypto';

export const DEFAULT_SPACE = 'default';

/**
 * The uuid kdw gives a rule (Kibana's saved-object id, kibana.alert.rule.uuid): a name-based UUID (v5 layout)
 * of its rule_id, so every replica and every restart agrees on it without storing anything.
 */
export function ruleUuid(ruleId: string): string {
  const hash = createHash('sha1').update(`kdw-rule:${ruleId}`).digest();
  hash[6] = ((hash[6] ?? 0) & 0x0f) | 0x50;
  hash[8] = ((hash[8] ?? 0) & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

/**
 * The id of a query-rule alert, with Kibana's formula: SHA-256 of _index + _id + String(_version) +
 * "<space>:<rule uuid>". Kibana's search never asks for `version`, so the version part is literally
 * "undefined"; kdw keeps that, so an alert has the same id whichever of the two engines wrote it.
 * A deterministic function of the source document and the rule: overlapping windows and restarts dedupe.
 */
export function queryAlertId(
  index: string,
  id: string,
  ruleUuidValue: string,
  space: string = DEFAULT_SPACE,
): string {
  return createHash('sha256').update(`${index}${id}undefined${space}:${ruleUuidValue}`).digest('hex');
}
