import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { type Command, Option } from 'commander';
import { ConfigError } from '../../errors';
import { createEsClient } from '../../es/client';
import { FieldCapsService } from '../../es/fieldCaps';
import {
  compileQuery,
  DETECTION_ENGINE_TIME_ZONE,
  fieldTypesFromJson,
  KqlCompileError,
  KqlSyntaxError,
  type FieldTypes,
  type QueryLanguage,
} from '../../kql';
import { resolveConnection } from '../connection';
import { EXIT } from '../exitCodes';
import type { CliIo } from '../io';
import type { CommandContext } from '../program';

const DEFAULT_PATTERN = 'logs-kubernetes.*';

interface KqlOptions {
  language: QueryLanguage;
  index?: string;
  mapping?: string;
  timeZone: string;
}

/** `kdw kql '<query>'`: what a rule's query really asks Elasticsearch, as Kibana's detection engine sends it. */
export function registerKql(program: Command, ctx: CommandContext): void {
  program
    .command('kql')
    .description('print the Elasticsearch DSL of a KQL (or Lucene) rule query, compiled as Kibana does')
    .argument('<query>', 'the query, as in a rule file')
    .addOption(
      new Option('--language <language>', 'query language').choices(['kuery', 'lucene']).default('kuery'),
    )
    .option('--index <pattern>', `field types of this index pattern on the configured Elasticsearch`)
    .option('--mapping <file.json>', 'field types of a saved _mapping or _field_caps response (offline)')
    .option('--time-zone <tz>', 'time_zone of date queries', DETECTION_ENGINE_TIME_ZONE)
    .addHelpText(
      'after',
      `\nWithout --index or --mapping the field types of ${DEFAULT_PATTERN} are used when Elasticsearch answers.\n` +
        'Exit codes: 0 compiled, 1 syntax error in the query, 2 usage, file or connection error.\n\nExamples:\n' +
        `  $ kdw kql 'kubernetes.audit.verb:(create or patch) and not kubernetes.audit.user.username:system\\:*'\n` +
        "  $ kdw kql 'user_agent.original:curl*' --mapping mapping.json\n" +
        "  $ kdw kql 'process.name:cmd.exe AND NOT user.name:SYSTEM' --language lucene",
    )
    .action(async (query: string, opts: KqlOptions) => {
      ctx.setExit(await kql(ctx.io, ctx.repoRoot, query, opts));
    });
}

async function kql(io: CliIo, repoRoot: string, query: string, opts: KqlOptions): Promise<number> {
  if (opts.index !== undefined && opts.mapping !== undefined) {
    throw new ConfigError('use either --index or --mapping, not both', { key: 'mapping' });
  }
  const fieldTypes = opts.language === 'lucene' ? new Map() : await loadFieldTypes(io, repoRoot, opts);
  try {
    const dsl = compileQuery({ language: opts.language, query, fieldTypes, timeZone: opts.timeZone });
    io.out(JSON.stringify(dsl, null, 2));
    return EXIT.ok;
  } catch (err) {
    if (err instanceof KqlSyntaxError || err instanceof KqlCompileError) {
      io.err(`kdw: ${err instanceof KqlSyntaxError ? 'KQL syntax error' : 'KQL error'}: ${err.message}`);
      return EXIT.findings;
    }
    throw err;
  }
}

async function loadFieldTypes(io: CliIo, repoRoot: string, opts: KqlOptions): Promise<FieldTypes> {
  if (opts.mapping !== undefined) return readMappingFile(resolve(io.cwd, opts.mapping));
  const explicit = opts.index !== undefined;
  const pattern = opts.index ?? DEFAULT_PATTERN;
  let client;
  try {
    client = createEsClient(resolveConnection(io.env, repoRoot));
  } catch (err) {
    if (explicit) throw err;
    io.err(`kdw: no Elasticsearch configured; compiling without field types (every field as unmapped)`);
    return new Map();
  }
  try {
    const snapshot = await new FieldCapsService(client).get(pattern);
    io.err(
      `kdw: field types of ${pattern} (${snapshot.indices.length} indices, ${snapshot.fieldTypes.size} fields)`,
    );
    return snapshot.fieldTypes;
  } catch (err) {
    if (explicit) throw err;
    const why = err instanceof Error ? err.message : String(err);
    io.err(`kdw: ${why}; compiling without field types (every field as unmapped)`);
    return new Map();
  } finally {
    await client.close();
  }
}

function readMappingFile(path: string): FieldTypes {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new ConfigError(
      `cannot read the mapping file ${path}: ${err instanceof Error ? err.message : String(err)}`,
      {
        file: path,
      },
    );
  }
  const types = fieldTypesFromJson(json);
  if (types.size === 0) {
    throw new ConfigError(`${path} holds no field types: expected a _mapping or _field_caps response`, {
      file: path,
    });
  }
  return types;
}
