import type { Client } from '@elastic/elasticsearch';
import { alertsMappings, fieldTypes } from '../alerts/fieldMap';
import type { FieldCapsService } from '../es/fieldCaps';
import type { FieldTypesSource, RunDeps } from './types';

/** The Kibana version kdw's alerts claim compatibility with (kibana.version). */
export const KIBANA_COMPAT_VERSION = '8.19.21';

/** Field types for executors from the field-caps service (one cached _field_caps per pattern). */
export function fieldCapsSource(service: FieldCapsService): FieldTypesSource {
  return {
    fieldTypes: async (patterns) => {
      const snapshot = await service.get(patterns);
      return {
        types: snapshot.fieldTypes,
        indices: snapshot.indices,
        indicesByType: (field) => snapshot.indicesByType(field),
      };
    },
  };
}

let alertTypes: ReadonlyMap<string, string> | undefined;

/** The type of a field in the alerts index mapping; computed once. */
export function alertFieldType(path: string): string | undefined {
  alertTypes ??= fieldTypes(alertsMappings().properties ?? {});
  return alertTypes.get(path);
}

export function createRunDeps(
  client: Client,
  fieldCaps: FieldCapsService,
  options: { alertsIndex: string; refresh?: boolean; space?: string; now?: () => Date },
): RunDeps {
  return {
    client,
    fields: fieldCapsSource(fieldCaps),
    alertsIndex: options.alertsIndex,
    alertTypeOf: alertFieldType,
    kibanaVersion: KIBANA_COMPAT_VERSION,
    space: options.space ?? 'default',
    now: options.now ?? (() => new Date()),
    ...(options.refresh === undefined ? {} : { refresh: options.refresh }),
  };
}
