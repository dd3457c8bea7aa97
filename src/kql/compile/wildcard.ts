import type { KqlWildcard } from '../ast';

/** Characters query_string treats as syntax; Kibana escapes them in the text between wildcards. */
const QUERY_STRING_RESERVED = /[+\-=&|><!(){}[\]^"~*?:\\/]/g;
const REGEXP_RESERVED = /[.*+?^${}()|[\]\\]/g;

/** The pattern for `wildcard` and `query_string` queries: literal text escaped, `*` between the parts. */
export function toQueryString(value: KqlWildcard): string {
  return value.parts.map((part) => part.replace(QUERY_STRING_RESERVED, (c) => `\\${c}`)).join('*');
}

/** Whether a field name matches a wildcard field pattern (`*` matches any run of characters, dots too). */
export function wildcardMatcher(value: KqlWildcard): (name: string) => boolean {
  const regexp = new RegExp(
    `^${value.parts.map((p) => p.replace(REGEXP_RESERVED, '\\$&')).join('[\\s\\S]*')}$`,
  );
  return (name) => regexp.test(name);
}
