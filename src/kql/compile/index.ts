import type { estypes } from '@elastic/elasticsearch';
import type { KqlNode, KqlNodeKind } from '../ast';
import type { FieldTypes } from '../fieldTypes';
import { compileAnd } from './and';
import { compileExists } from './exists';
import { fieldLookup } from './fields';
import { compileIs } from './is';
import { compileMatchAll } from './matchAll';
import { compileNested } from './nested';
import { compileNot } from './not';
import { compileOr } from './or';
import { compileRange } from './range';
import type { CompileContext, Dsl, NodeCompiler } from './types';

const COMPILERS = {
  is: compileIs,
  exists: compileExists,
  range: compileRange,
  nested: compileNested,
  and: compileAnd,
  or: compileOr,
  not: compileNot,
  matchAll: compileMatchAll,
} satisfies { [K in KqlNodeKind]: NodeCompiler<K> };

function compileNode(node: KqlNode, context: CompileContext): Dsl {
  const compiler = COMPILERS[node.kind] as NodeCompiler<KqlNode['kind']>;
  return compiler(node as never, context);
}

export interface KqlCompileOptions {
  readonly fieldTypes: FieldTypes;
  /** Kibana's detection engine uses "Zulu" */
  readonly timeZone?: string | undefined;
}

/** Compiles a KQL syntax tree to the Elasticsearch query Kibana's toElasticsearchQuery builds. Pure. */
export function compileKql(node: KqlNode, options: KqlCompileOptions): estypes.QueryDslQueryContainer {
  const context: CompileContext = {
    fields: fieldLookup(options.fieldTypes),
    timeZone: options.timeZone,
    nestedPath: undefined,
    compile: compileNode,
  };
  // The compiler's JSON is the DSL; Kibana puts typed literals (true, null) where the client's types want strings.
  return compileNode(node, context) as estypes.QueryDslQueryContainer;
}
