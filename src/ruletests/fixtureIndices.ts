import { randomBytes } from 'node:crypto';
import type { Client } from '@elastic/elasticsearch';
import type { JsonObject } from '../audit/transform';
import { toEsError } from '../es/errors';
import { installAuditLogsTemplate } from '../es/setup';
import type { UserAgentMapping } from '../es/templates/auditLogs';

/** One case's throw-away index and what goes into it. */
export interface FixtureIndex {
  readonly index: string;
  readonly mapping: UserAgentMapping;
  readonly docs: readonly JsonObject[];
}

/**
 * Throw-away plain indices with the integration mapping, for the cases of one test file: a template per
 * user-agent mapping over `logs-kubernetes.audit_logs-kdwtest-<batch>-<mapping>-*` (priority 300 shadows the
 * integration's data-stream template), every case's documents in one bulk request and one refresh: on a busy
 * cluster each index creation and refresh costs seconds, so a file pays for them once.
 */
export class FixtureBatch {
  readonly id = `${Date.now().toString(36)}${randomBytes(3).toString('hex')}`;
  private readonly templates = new Set<string>();
  private readonly indices: string[] = [];

  constructor(private readonly admin: Client) {}

  indexName(mapping: UserAgentMapping, n: number): string {
    return `logs-kubernetes.audit_logs-kdwtest-${this.id}-${mapping}-${n}`;
  }

  async load(fixtures: readonly FixtureIndex[]): Promise<void> {
    if (fixtures.length === 0) return;
    this.indices.push(...fixtures.map((f) => f.index));
    for (const mapping of new Set(fixtures.map((f) => f.mapping))) {
      const name = `kdwtest-${this.id}-${mapping}`;
      this.templates.add(name);
      await installAuditLogsTemplate(this.admin, {
        name,
        indexPatterns: [`logs-kubernetes.audit_logs-kdwtest-${this.id}-${mapping}-*`],
        userAgent: mapping,
        priority: 300,
        dataStream: false,
      });
    }
    const operations = fixtures.flatMap((f) =>
      f.docs.flatMap((doc) => [{ create: { _index: f.index } }, doc]),
    );
    try {
      for (const f of fixtures.filter((x) => x.docs.length === 0))
        await this.admin.indices.create({ index: f.index });
      if (operations.length > 0) {
        const res = await this.admin.bulk({ operations });
        if (res.errors) {
          const item = res.items.find((i) => i.create?.error !== undefined)?.create;
          throw new Error(
            `a fixture was refused by ${item?._index ?? '?'}: ${item?.error?.type ?? ''}: ${item?.error?.reason ?? ''}`,
          );
        }
      }
      await this.admin.indices.refresh({ index: this.indices });
    } catch (err) {
      if (err instanceof Error && err.message.startsWith('a fixture was refused')) throw err;
      throw toEsError(err, 'load the fixtures', { index: this.indices });
    }
  }

  /** Deletes the indices and templates; never throws (a failed clean-up must not hide the results). */
  async remove(): Promise<void> {
    if (this.indices.length > 0)
      await this.admin.indices.delete({ index: this.indices }, { ignore: [404] }).catch(() => undefined);
    for (const name of this.templates)
      await this.admin.indices.deleteIndexTemplate({ name }, { ignore: [404] }).catch(() => undefined);
  }
}
