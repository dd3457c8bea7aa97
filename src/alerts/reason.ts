import { getPath } from './sourcePath';

/**
 * kibana.alert.reason, as Kibana's detection engine writes it for every rule type (its i18n template
 * `xpack.securitySolution.detectionEngine.signals.alertReasonDescription`):
 *
 *   [<event.category> ]event[ with][ process <p>,][ parent process <pp>,][ file <f>,][ source <ip>][:<port>,]
 *   [ destination <ip>][:<port>,][ by <user.name>][ on <host.name>] created <severity> alert <rule name>.
 *
 * Kibana's quirk kept on purpose, so analysts see the same text: a value is shown only when it has a
 * `length`, so numeric values (e.g. `source.port` as a number) are left out; a lone "-" is absent too.
 */
export function buildReason(source: unknown, ruleName: string, severity: string): string {
  const value = (field: string): string | null => {
    const v = getPath(source, field);
    if (typeof v === 'string') return v.length === 0 || v === '-' ? null : v;
    if (Array.isArray(v)) {
      if (v.length === 0 || (v.length === 1 && v[0] === '-')) return null;
      return v.map(String).join(', ');
    }
    return null;
  };
  const category = value('event.category');
  const processName = value('process.name');
  const parentName = value('process.parent.name');
  const fileName = value('file.name');
  const sourceIp = value('source.ip');
  const sourcePort = value('source.port');
  const destIp = value('destination.ip');
  const destPort = value('destination.port');
  const user = value('user.name');
  const host = value('host.name');
  const withFields = [processName, parentName, fileName, sourceIp, sourcePort, destIp, destPort].some(
    (v) => v !== null,
  );

  let text = category === null ? 'event' : `${category} event`;
  if (withFields) text += ' with';
  if (processName !== null) text += ` process ${processName},`;
  if (parentName !== null) text += ` parent process ${parentName},`;
  if (fileName !== null) text += ` file ${fileName},`;
  if (sourceIp !== null) text += ` source ${sourceIp}`;
  if (sourcePort !== null) text += `:${sourcePort},`;
  if (destIp !== null) text += ` destination ${destIp}`;
  if (destPort !== null) text += `:${destPort},`;
  if (user !== null) text += ` by ${user}`;
  if (host !== null) text += ` on ${host}`;
  return `${text} created ${severity} alert ${ruleName}.`;
}
