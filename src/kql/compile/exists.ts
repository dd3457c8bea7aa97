import { anyOf, resolveFields, wrapNested } from './fields';
import type { NodeCompiler } from './types';

/** `field:*`: an exists query per matched field (Kibana's `is` with a lone wildcard). */
export const compileExists: NodeCompiler<'exists'> = (node, context) => {
  const resolved = resolveFields(node.field, context);
  return anyOf(resolved.fields.map((f) => wrapNested({ exists: { field: f.name } }, f, resolved, context)));
};
