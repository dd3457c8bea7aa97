/**
 * The KQL syntax tree that src/kql/grammar.peggy builds. It mirrors the node kinds of Kibana's kuery package
 * (is, range, exists, nested, and, or, not, plus match-all), with values kept as written so that the
 * compiler (./compile) can reproduce Kibana's Elasticsearch DSL exactly.
 */

/** A typed literal: unquoted `true`, `false` and `null` are not strings, as in Kibana. */
export type KqlLiteralValue = string | boolean | null;

/** A value without an unescaped `*`: text with its escapes resolved, or a typed literal (unquoted only). */
export interface KqlLiteral {
  readonly type: 'literal';
  readonly value: KqlLiteralValue;
  /** written in double quotes: compiled to a phrase query on analyzed fields */
  readonly quoted: boolean;
}

/** An unquoted value with at least one unescaped `*`: the literal text between the wildcards. */
export interface KqlWildcard {
  readonly type: 'wildcard';
  /** at least two parts; `*` stands between consecutive parts (`a*b` is ["a", "b"], `*` is ["", ""]) */
  readonly parts: readonly string[];
}

export type KqlValue = KqlLiteral | KqlWildcard;

/** A field name: text (quoted or not) or a pattern with `*` that expands over the mapped fields. */
export type KqlField =
  { readonly type: 'literal'; readonly value: string; readonly quoted: boolean } | KqlWildcard;

export type KqlRangeOperator = 'gt' | 'gte' | 'lt' | 'lte';

/** `field:value`, or a bare value (`field` null) searched in every field. */
export interface KqlIsNode {
  readonly kind: 'is';
  readonly field: KqlField | null;
  readonly value: KqlValue;
}

/** `field:*` */
export interface KqlExistsNode {
  readonly kind: 'exists';
  readonly field: KqlField;
}

/** `field < value`, `<=`, `>`, `>=` */
export interface KqlRangeNode {
  readonly kind: 'range';
  readonly field: KqlField;
  readonly operator: KqlRangeOperator;
  readonly value: KqlValue;
}

/** `path:{ query }`: the query runs on the nested documents under `path`. */
export interface KqlNestedNode {
  readonly kind: 'nested';
  readonly path: KqlField;
  readonly child: KqlNode;
}

export interface KqlAndNode {
  readonly kind: 'and';
  readonly children: readonly KqlNode[];
}

export interface KqlOrNode {
  readonly kind: 'or';
  readonly children: readonly KqlNode[];
}

export interface KqlNotNode {
  readonly kind: 'not';
  readonly child: KqlNode;
}

/** An empty query, or `*:*`. */
export interface KqlMatchAllNode {
  readonly kind: 'matchAll';
}

export type KqlNode =
  | KqlIsNode
  | KqlExistsNode
  | KqlRangeNode
  | KqlNestedNode
  | KqlAndNode
  | KqlOrNode
  | KqlNotNode
  | KqlMatchAllNode;

export type KqlNodeKind = KqlNode['kind'];

export type KqlNodeOf<K extends KqlNodeKind> = Extract<KqlNode, { kind: K }>;

/** true for `*` alone (Kibana: exactly one wildcard and nothing else). */
export function isLoneWildcard(value: KqlValue | KqlField): boolean {
  return value.type === 'wildcard' && value.parts.length === 2 && value.parts.every((p) => p === '');
}

/** The text of a field or value as Elasticsearch receives it: wildcards as `*`, typed literals as is. */
export function valueText(value: KqlField): string {
  return value.type === 'wildcard' ? value.parts.join('*') : value.value;
}
