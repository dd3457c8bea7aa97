import type { Command } from 'commander';
import { createEsClient } from '../../es/client';
import { toEsError } from '../../es/errors';
import { resolveConnection } from '../connection';
import { EXIT } from '../exitCodes';
import type { CliIo } from '../io';
import type { CommandContext } from '../program';

/** `kdw es-info`: which cluster kdw talks to, as whom, with which roles. */
export function registerEsInfo(program: Command, ctx: CommandContext): void {
  program
    .command('es-info')
    .description('show the Elasticsearch kdw connects to (URL, version, user, roles)')
    .option('--json', 'print JSON')
    .addHelpText(
      'after',
      '\nExamples:\n  $ kdw es-info\n  $ ES_URL=https://es.example:9200 ES_USERNAME=kdw ES_PASSWORD=... ES_CA_CERT=ca.crt kdw es-info --json',
    )
    .action(async (opts: { json?: boolean }) => {
      ctx.setExit(await esInfo(ctx.io, ctx.repoRoot, opts.json === true));
    });
}

async function esInfo(io: CliIo, repoRoot: string, json: boolean): Promise<number> {
  const settings = resolveConnection(io.env, repoRoot);
  const client = createEsClient(settings);
  try {
    const [me, health] = await Promise.all([client.security.authenticate(), client.cluster.health()]);
    const nodes = await client.nodes.info({ node_id: '_local', metric: 'version' } as never);
    const version = Object.values(nodes.nodes)[0]?.version ?? 'unknown';
    const info = {
      url: settings.url,
      version,
      cluster: health.cluster_name,
      status: health.status,
      user: me.username,
      roles: me.roles,
    };
    if (json) io.out(JSON.stringify(info));
    else
      io.out(
        `Elasticsearch ${version} at ${settings.url} (cluster ${health.cluster_name}, ${health.status}) as ${me.username} [${me.roles.join(', ')}]`,
      );
    return EXIT.ok;
  } catch (err) {
    throw toEsError(err, 'connect to Elasticsearch', { url: settings.url });
  } finally {
    await client.close();
  }
}
