import { anyOf, resolveFields, wrapNested } from './fields';
import { timeZoneFor } from './is';
import type { NodeCompiler } from './types';

/** `field < value` and friends: a range per matched field, with time_zone on date fields. */
export const compileRange: NodeCompiler<'range'> = (node, context) => {
  const resolved = resolveFields(node.field, context);
  const value = node.value.type === 'wildcard' ? node.value.parts.join('*') : node.value.value;
  return anyOf(
    resolved.fields.map((f) => {
      const bounds = { [node.operator]: value, ...(f.date ? timeZoneFor(value, context) : {}) };
      return wrapNested({ range: { [f.name]: bounds } }, f, resolved, context);
    }),
  );
};
