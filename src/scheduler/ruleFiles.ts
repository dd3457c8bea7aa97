import type { Dirent } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { join, relative } from 'node:path';
import type { KdwError } from '../errors';
import type { Logger } from '../observability/logger';
import { isRuleFileName, loadRuleFile, type Rule, type RunnableRule } from '../rules';
import { EXECUTORS } from '../ruleTypes/registry';

export interface RuleSink {
  upsert(rule: RunnableRule): void;
  remove(ruleId: string): void;
}

export interface RuleFilesOptions {
  readonly paths: readonly string[];
  readonly cwd: string;
  readonly sink: RuleSink;
  readonly logger: Logger;
  readonly onError?: () => void;
}

/** Checks a new or changed rule before it is scheduled (privileges on its indices); an error keeps it out. */
export type Admission = (rule: RunnableRule) => Promise<KdwError | undefined>;

interface FileState {
  signature: string;
  /** the version of the rule in this file that is scheduled, if any */
  rule?: RunnableRule;
}

/** Why a valid rule does not run: its type has no executor yet. */
function notRunnable(rule: Rule): string | undefined {
  if (!rule.supported) return `rule type ${rule.type} is not supported yet`;
  return EXECUTORS[rule.type] === undefined ? `rule type ${rule.type} cannot run yet` : undefined;
}

/**
 * The rule files under the configured paths, polled for changes (hot reload). A new or changed file is
 * loaded and its rule scheduled; a deleted file's rule is removed; an invalid edit is reported with
 * file:line:col and the previous version of that rule keeps running. Polling (stat signatures, files read
 * only when they changed) rather than fs.watch: it works the same on every file system, including the
 * network and overlay volumes where rules are mounted in Kubernetes.
 */
export class RuleFiles {
  private readonly files = new Map<string, FileState>();
  private readonly owners = new Map<string, string>();
  private timer: NodeJS.Timeout | undefined;
  private scanning: Promise<void> | undefined;
  private stopped = false;
  private admit: Admission | undefined;

  constructor(private readonly options: RuleFilesOptions) {}

  /** From now on, new and changed rules pass this check before they are scheduled. */
  setAdmission(admit: Admission): void {
    this.admit = admit;
  }

  /** The scheduled rules, by file. */
  rules(): RunnableRule[] {
    return [...this.files.values()].flatMap((f) => (f.rule === undefined ? [] : [f.rule]));
  }

  /** One pass over the files; concurrent callers share it. */
  scan(): Promise<void> {
    this.scanning ??= this.scanOnce().finally(() => {
      this.scanning = undefined;
    });
    return this.scanning;
  }

  /** Polls every `intervalMs` (0: never). */
  watch(intervalMs: number): void {
    if (intervalMs <= 0 || this.stopped) return;
    const next = (): void => {
      // a scan in flight when stop() came must not schedule another one
      if (this.stopped) return;
      this.timer = setTimeout(() => {
        this.scan().then(next, (err: unknown) => {
          this.options.logger.error('rule reload failed', { err });
          next();
        });
      }, intervalMs);
    };
    next();
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
  }

  private async scanOnce(): Promise<void> {
    const present = new Set<string>();
    for (const abs of await listRuleFiles(this.options.paths)) {
      if (this.stopped) return;
      present.add(abs);
      let signature: string;
      try {
        const info = await stat(abs);
        signature = `${info.mtimeMs}:${info.size}:${info.ino}`;
      } catch {
        continue; // deleted while we looked: handled on the next pass
      }
      const state = this.files.get(abs);
      if (state?.signature === signature) continue;
      await this.load(abs, signature, state);
    }
    for (const [abs, state] of this.files) {
      if (present.has(abs)) continue;
      this.files.delete(abs);
      if (state.rule !== undefined) this.drop(state.rule, `its file ${this.display(abs)} was deleted`);
    }
  }

  private display(abs: string): string {
    const rel = relative(this.options.cwd, abs);
    return rel.startsWith('..') ? abs : rel;
  }

  private drop(rule: RunnableRule, why: string): void {
    this.owners.delete(rule.ruleId);
    this.options.sink.remove(rule.ruleId);
    this.options.logger.info(`rule ${rule.ruleId} (${rule.name}) removed: ${why}`, {
      rule: { id: rule.ruleId },
    });
  }

  private async load(abs: string, signature: string, state: FileState | undefined): Promise<void> {
    const file = this.display(abs);
    const previous = state?.rule;
    const keep = (): void => {
      this.files.set(abs, { signature, ...(previous === undefined ? {} : { rule: previous }) });
    };
    const result = await loadRuleFile(file, { cwd: this.options.cwd });
    const kept =
      previous === undefined ? '' : ` (the previous version of rule ${previous.ruleId} keeps running)`;
    if (!result.ok) {
      for (const error of result.errors) {
        this.options.onError?.();
        this.options.logger.error(`invalid rule file: ${error.message}${kept}`, {
          file: { path: file },
          error: { type: error.code, message: error.message },
        });
      }
      return keep();
    }
    const rule = result.rule;
    const owner = this.owners.get(rule.ruleId);
    if (owner !== undefined && owner !== abs) {
      this.options.onError?.();
      this.options.logger.error(
        `invalid rule file: ${file}: rule.rule_id: duplicate rule_id ${rule.ruleId}; also in ${this.display(owner)}${kept}`,
        { file: { path: file } },
      );
      return keep();
    }
    const why = notRunnable(rule);
    if (why !== undefined || !rule.supported) {
      this.options.logger.warn(
        `rule ${rule.ruleId} (${rule.name}) in ${file} is not scheduled: ${why ?? ''}`,
        {
          file: { path: file },
        },
      );
      if (previous !== undefined) this.drop(previous, 'its new version cannot run');
      this.files.set(abs, { signature });
      return;
    }
    const refused = await this.admit?.(rule);
    if (refused !== undefined) {
      this.options.onError?.();
      this.options.logger.error(
        `rule ${rule.ruleId} in ${file} is not scheduled: ${refused.message}${kept}`,
        {
          file: { path: file },
          error: { type: refused.code, message: refused.message },
        },
      );
      return keep();
    }
    if (previous !== undefined && previous.ruleId !== rule.ruleId)
      this.drop(previous, 'its file now holds another rule');
    this.owners.set(rule.ruleId, abs);
    this.files.set(abs, { signature, rule });
    this.options.sink.upsert(rule);
    this.options.logger.info(
      `rule ${rule.ruleId} (${rule.name}) ${previous === undefined ? 'scheduled' : 'updated'} every ${rule.interval} from ${file}`,
      { rule: { id: rule.ruleId, name: rule.name }, file: { path: file } },
    );
  }
}

/** Rule files (*.toml, not *.test.toml) under the paths, recursively, hidden entries left out; sorted. */
export async function listRuleFiles(paths: readonly string[]): Promise<string[]> {
  const out = new Set<string>();
  const walk = async (dir: string): Promise<void> => {
    let entries: Dirent[];
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      if (e.name.startsWith('.')) continue;
      const abs = join(dir, e.name);
      if (e.isDirectory()) await walk(abs);
      else if ((e.isFile() || e.isSymbolicLink()) && isRuleFileName(e.name)) out.add(abs);
    }
  };
  for (const path of paths) {
    try {
      if ((await stat(path)).isDirectory()) await walk(path);
      else out.add(path);
    } catch {
      // a missing path holds no rules; the start-up check reports it
    }
  }
  return [...out].sort();
}
