import { join, relative } from 'node:path';
import type { CommandContext } from '../program';

/** The paths a rules command works on: as given, or the repository's rules/ shown relative to the cwd. */
export function rulePaths(paths: readonly string[], ctx: CommandContext): string[] {
  if (paths.length > 0) return [...paths];
  const rel = relative(ctx.io.cwd, join(ctx.repoRoot, 'rules'));
  return [rel === '' ? '.' : rel];
}
