import type { RuleIssue } from '../issues';
import { formatPath, type KeyPath } from '../path';
import type { PositionIndex } from '../positions';

/** Gathers errors and warnings of one file, each placed at the key it names. */
export class Collector {
  readonly errors: RuleIssue[] = [];
  readonly warnings: RuleIssue[] = [];

  constructor(
    readonly file: string,
    private readonly positions: PositionIndex,
  ) {}

  error(path: KeyPath, message: string): void {
    this.errors.push(this.issue(path, message));
  }

  warn(path: KeyPath, message: string): void {
    this.warnings.push(this.issue(path, message));
  }

  private issue(path: KeyPath, message: string): RuleIssue {
    const pos = this.positions.nearest(path);
    return { file: this.file, line: pos.line, column: pos.column, key: formatPath(path), message };
  }
}
