import type { NodeCompiler } from './types';

/** `not a`: bool.must_not with the single operand (an object, not an array, as Kibana sends it). */
export const compileNot: NodeCompiler<'not'> = (node, context) => ({
  bool: { must_not: context.compile(node.child, context) },
});
