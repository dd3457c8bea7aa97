import type { TomlTable } from 'smol-toml';
import type { RuleIssue, SourcePosition } from '../rules';
import type { KeyPath } from '../rules/path';
import { formatPath } from '../rules/path';
import type { PositionIndex } from '../rules/positions';

export function isTable(value: unknown): value is TomlTable {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date);
}

/** Collects the issues of one test file, each placed at the key it is about. */
export class ParseContext {
  readonly issues: RuleIssue[] = [];

  constructor(
    readonly file: string,
    readonly positions: PositionIndex,
  ) {}

  at(path: KeyPath): SourcePosition {
    return this.positions.nearest(path);
  }

  issue(path: KeyPath, message: string, at: SourcePosition = this.at(path)): void {
    this.issues.push({ file: this.file, key: formatPath(path), message, ...at });
  }

  /** Reports keys of `table` that are not in `allowed`. */
  onlyKeys(table: TomlTable, path: KeyPath, allowed: readonly string[]): void {
    for (const key of Object.keys(table)) {
      if (!allowed.includes(key))
        this.issue([...path, key], `unknown key (expected one of ${allowed.join(', ')})`);
    }
  }

  string(table: TomlTable, path: KeyPath, key: string): string | undefined {
    const value = table[key];
    if (value === undefined) return undefined;
    if (typeof value !== 'string') {
      this.issue([...path, key], `must be a string (got ${describe(value)})`);
      return undefined;
    }
    return value;
  }

  tables(table: TomlTable, path: KeyPath, key: string): TomlTable[] {
    const value = table[key];
    if (value === undefined) return [];
    if (!Array.isArray(value) || !value.every(isTable)) {
      this.issue(
        [...path, key],
        `must be an array of tables ([[${formatPath([...path, key]).replace(/\[\d+\]/g, '')}]])`,
      );
      return [];
    }
    return value;
  }
}

export function describe(value: unknown): string {
  if (Array.isArray(value)) return 'an array';
  if (value instanceof Date) return 'a date';
  if (isTable(value)) return 'a table';
  if (typeof value === 'string') return JSON.stringify(value);
  return `${typeof value} ${String(value)}`;
}
