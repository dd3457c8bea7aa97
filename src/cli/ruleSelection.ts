import { resolve as resolvePath } from 'node:path';
import { ConfigError } from '../errors';
import { loadRules, type RunnableRule } from '../rules';
import type { CliIo } from './io';

/**
 * One runnable rule named by its rule_id or its file. A file is loaded on its own (it need not sit in the
 * rules directory); a rule_id is looked up in `rulesPaths`. Errors of other rule files are printed, never fatal.
 */
export async function selectRule(
  wanted: string,
  rulesPaths: readonly string[],
  io: Pick<CliIo, 'cwd' | 'err'>,
): Promise<RunnableRule> {
  const looksLikeFile = wanted.endsWith('.toml') || wanted.includes('/');
  const paths = looksLikeFile ? [wanted] : rulesPaths;
  const loaded = await loadRules(paths, { cwd: io.cwd });
  const asFile = resolvePath(io.cwd, wanted);
  const rule = loaded.rules.find((r) => r.ruleId === wanted || resolvePath(io.cwd, r.file) === asFile);
  if (rule === undefined) {
    for (const error of loaded.errors) io.err(error.message);
    throw new ConfigError(`no rule with rule_id or file "${wanted}" in ${paths.join(', ')}`, {
      key: 'rule',
    });
  }
  if (!rule.supported)
    throw new ConfigError(`${rule.file}: rule type ${rule.type} is not supported yet`, { key: 'rule' });
  return rule;
}
