import { valueText } from '../ast';
import type { NodeCompiler } from './types';

/** `path:{ query }`: the query runs on the nested documents; paths of inner groups are relative. */
export const compileNested: NodeCompiler<'nested'> = (node, context) => {
  const path = valueText(node.path);
  const fullPath = context.nestedPath === undefined ? path : `${context.nestedPath}.${path}`;
  return {
    nested: {
      path: fullPath,
      query: context.compile(node.child, { ...context, nestedPath: fullPath }),
      score_mode: 'none',
    },
  };
};
