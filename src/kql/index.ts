/**
 * KQL and Lucene queries of detection rules, compiled to Elasticsearch DSL as Kibana's detection engine
 * does (DESIGN.md §8). Pure: field types come in as data (see src/es/fieldCaps.ts for where they come from).
 */
import type { estypes } from '@elastic/elasticsearch';
import { compileKql } from './compile';
import { compileLucene } from './compile/lucene';
import type { FieldTypes } from './fieldTypes';
import { parseKql } from './parse';

export type * from './ast';
export { isLoneWildcard } from './ast';
export { KqlCompileError, KqlSyntaxError, type KqlPosition } from './errors';
export {
  fieldTypesFromFieldCaps,
  fieldTypesFromJson,
  fieldTypesFromMapping,
  type FieldTypes,
} from './fieldTypes';
export { compileKql, type KqlCompileOptions } from './compile';
export { compileLucene } from './compile/lucene';
export { parseKql } from './parse';
export { printKql } from './print';

/** The time zone Kibana's detection engine gives every rule query (its dateFormatTZ). */
export const DETECTION_ENGINE_TIME_ZONE = 'Zulu';

export type QueryLanguage = 'kuery' | 'lucene';

export interface CompileQueryInput {
  readonly language: QueryLanguage;
  readonly query: string;
  readonly fieldTypes: FieldTypes;
  readonly timeZone?: string | undefined;
}

/**
 * A rule's query as Elasticsearch DSL. kuery: the compiled KQL (Kibana puts it in bool.filter), an empty
 * query is match_all; lucene: query_string in bool.must. Throws KqlSyntaxError or KqlCompileError.
 */
export function compileQuery(input: CompileQueryInput): estypes.QueryDslQueryContainer {
  if (input.language === 'lucene') return compileLucene(input.query, input.timeZone);
  return compileKql(parseKql(input.query), { fieldTypes: input.fieldTypes, timeZone: input.timeZone });
}
