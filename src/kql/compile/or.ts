import type { NodeCompiler } from './types';

/** `a or b`: bool.should with minimum_should_match 1. */
export const compileOr: NodeCompiler<'or'> = (node, context) => ({
  bool: { should: node.children.map((child) => context.compile(child, context)), minimum_should_match: 1 },
});
