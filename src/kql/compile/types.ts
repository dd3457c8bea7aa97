import type { KqlNode, KqlNodeKind, KqlNodeOf } from '../ast';
import type { FieldLookup } from './fields';

/** JSON as the compiler builds it; converted to the client's DSL type once, in ./index.ts. */
export type Json = string | number | boolean | null | readonly Json[] | { readonly [key: string]: Json };
export type Dsl = { readonly [key: string]: Json };

export interface CompileContext {
  readonly fields: FieldLookup;
  /** Kibana's dateFormatTZ: added as time_zone to range queries on date fields (not for epoch values) */
  readonly timeZone: string | undefined;
  /** set inside `path:{…}`: field names are relative to it */
  readonly nestedPath: string | undefined;
  /** compiles a child node (the dispatch table, passed in to keep node modules free of import cycles) */
  readonly compile: (node: KqlNode, context: CompileContext) => Dsl;
}

export type NodeCompiler<K extends KqlNodeKind> = (node: KqlNodeOf<K>, context: CompileContext) => Dsl;
