import { parse, TomlError, type TomlTable } from 'smol-toml';
import { RuleError, type RuleIssue, type SourcePosition } from './issues';
import { scanPositions } from './positions';
import { validateRuleDocument } from './schema/document';
import type { Rule } from './types';

/** The outcome of one rule file: a rule, or the reasons it has none. Warnings either way. */
export type RuleFileResult =
  | {
      readonly ok: true;
      readonly file: string;
      readonly rule: Rule;
      /** where `rule_id` is written (duplicate ids are reported there) */
      readonly ruleIdPosition: SourcePosition;
      /** where the text of `query` begins, so that a query parser can place its errors in the file */
      readonly queryPosition?: SourcePosition;
      readonly warnings: readonly RuleIssue[];
    }
  | {
      readonly ok: false;
      readonly file: string;
      readonly errors: readonly RuleError[];
      readonly warnings: readonly RuleIssue[];
    };

/** A file that holds a valid rule. */
export type LoadedRule = Extract<RuleFileResult, { ok: true }>;

/** Files over this size are refused before they are read. */
export const MAX_RULE_FILE_BYTES = 1024 * 1024;

export function fileError(file: string, key: string, message: string, at: SourcePosition = START): RuleFileResult {
  return { ok: false, file, errors: [new RuleError({ file, key, message, ...at })], warnings: [] };
}

const START: SourcePosition = { line: 1, column: 1 };

/** Bytes of a rule file to a result: refuses binary, non-UTF-8, empty and oversized content. Pure. */
export function parseRuleBytes(bytes: Uint8Array, file: string): RuleFileResult {
  if (bytes.length > MAX_RULE_FILE_BYTES) return tooLarge(file, bytes.length);
  const nul = bytes.indexOf(0);
  if (nul !== -1) return fileError(file, 'file', `is binary (NUL byte at offset ${nul})`);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return fileError(file, 'file', 'is not valid UTF-8 text');
  }
  return parseRuleText(text, file);
}

export function tooLarge(file: string, size: number): RuleFileResult {
  return fileError(file, 'file', `is too large (${size} bytes; the limit is ${MAX_RULE_FILE_BYTES})`);
}

/** The text of a rule file to a result. Pure: no I/O, no clock. */
export function parseRuleText(text: string, file: string): RuleFileResult {
  const body = text.startsWith('\uFEFF') ? text.slice(1) : text;
  if (body.trim() === '') return fileError(file, 'file', 'is empty');
  if (body.length > MAX_RULE_FILE_BYTES) return tooLarge(file, Buffer.byteLength(body));
  let doc: TomlTable;
  try {
    doc = parse(body);
  } catch (err) {
    return tomlError(err, file);
  }
  const positions = scanPositions(body);
  const result = validateRuleDocument(doc, file, positions);
  if (result.rule === undefined) {
    return { ok: false, file, errors: result.errors.map((i) => new RuleError(i)), warnings: result.warnings };
  }
  return {
    ok: true,
    file,
    rule: result.rule,
    ruleIdPosition: positions.nearest(['rule', 'rule_id']),
    ...queryPosition(positions.contentStart(['rule', 'query'])),
    warnings: result.warnings,
  };
}

function queryPosition(at: SourcePosition | undefined): { queryPosition?: SourcePosition } {
  return at === undefined ? {} : { queryPosition: at };
}

function tomlError(err: unknown, file: string): RuleFileResult {
  if (err instanceof TomlError) {
    // "Invalid TOML document: <reason>\n\n<code block>": keep the reason, the position goes in front.
    const reason = err.message.replace(/^Invalid TOML document: /, '').split('\n')[0] ?? 'syntax error';
    return fileError(file, 'toml', `not valid TOML: ${reason}`, { line: err.line, column: err.column });
  }
  const reason = err instanceof Error ? err.message : String(err);
  return fileError(file, 'toml', `not valid TOML: ${reason}`);
}
