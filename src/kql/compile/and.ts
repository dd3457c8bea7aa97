import type { NodeCompiler } from './types';

/** `a and b`: every operand in bool.filter (no scoring, as Kibana). */
export const compileAnd: NodeCompiler<'and'> = (node, context) => ({
  bool: { filter: node.children.map((child) => context.compile(child, context)) },
});
