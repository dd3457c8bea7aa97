import type { Client, estypes } from '@elastic/elasticsearch';
import { ConfigError } from '../errors';
import { EsResponseError, toEsError } from '../es/errors';
import {
  alertsIndexTemplate,
  DEFAULT_ALERTS_INDEX,
  DEFAULT_EXECUTIONS_INDEX,
  executionsIndexTemplate,
} from './template';

export interface InstallKdwTemplatesOptions {
  readonly alertsIndex?: string;
  readonly executionsIndex?: string;
  /** 0 (default) on a single node */
  readonly replicas?: number;
  /** kdw's version in the templates' _meta (default: package.json's) */
  readonly version?: string;
}

export interface InstalledIndex {
  readonly template: string;
  readonly index: string;
  /** false when the index existed already (its mapping was then extended with the template's fields) */
  readonly created: boolean;
}

export interface InstalledTemplates {
  readonly alerts: InstalledIndex;
  readonly executions: InstalledIndex;
}

/** Elasticsearch's rules for index names, checked before any request so the error names the setting. */
function checkIndexName(name: string, key: string): void {
  if (
    name === '' ||
    name !== name.toLowerCase() ||
    /[\\/*?"<>| ,#:]/.test(name) ||
    /^[-_+.]/.test(name) ||
    Buffer.byteLength(name) > 255
  ) {
    throw new ConfigError(`${key} is not a valid index name: "${name}"`, { key, index: name });
  }
}

function checkNames(alerts: string, executions: string): void {
  checkIndexName(alerts, 'alertsIndex');
  checkIndexName(executions, 'executionsIndex');
  // each template matches `<index>*`: one name may not start with the other, or one index gets both mappings
  if (alerts.startsWith(executions) || executions.startsWith(alerts)) {
    throw new ConfigError(
      `alertsIndex "${alerts}" and executionsIndex "${executions}" must not be prefixes of each other`,
      { key: 'alertsIndex', index: alerts },
    );
  }
}

async function installOne(
  client: Client,
  request: estypes.IndicesPutIndexTemplateRequest,
): Promise<InstalledIndex> {
  const index = request.name;
  try {
    await client.indices.putIndexTemplate(request);
  } catch (err) {
    throw toEsError(err, `install index template ${index}`, { template: index });
  }
  try {
    await client.indices.create({ index });
    return { template: index, index, created: true };
  } catch (err) {
    const error = toEsError(err, `create index ${index}`, { index });
    if (!(error instanceof EsResponseError && error.type === 'resource_already_exists_exception'))
      throw error;
  }
  // An existing index keeps the mapping it was created with: add the fields a newer template declares.
  const mappings = request.template?.mappings ?? {};
  try {
    await client.indices.putMapping({ index, ...mappings });
  } catch (err) {
    throw toEsError(err, `update the mapping of index ${index}`, { index });
  }
  return { template: index, index, created: false };
}

/**
 * Puts the index templates of the alerts and execution-record indices and creates both indices when they do
 * not exist (another kdw creating them at the same moment is fine). Needs only what kdw's role grants:
 * manage_index_templates and manage on kdw-*.
 */
export async function installKdwTemplates(
  client: Client,
  options: InstallKdwTemplatesOptions = {},
): Promise<InstalledTemplates> {
  const alertsIndex = options.alertsIndex ?? DEFAULT_ALERTS_INDEX;
  const executionsIndex = options.executionsIndex ?? DEFAULT_EXECUTIONS_INDEX;
  checkNames(alertsIndex, executionsIndex);
  const common = {
    ...(options.replicas === undefined ? {} : { replicas: options.replicas }),
    ...(options.version === undefined ? {} : { version: options.version }),
  };
  const alerts = await installOne(client, alertsIndexTemplate({ ...common, index: alertsIndex }));
  const executions = await installOne(client, executionsIndexTemplate({ ...common, index: executionsIndex }));
  return { alerts, executions };
}
