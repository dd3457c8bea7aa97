import { CONFIG_KEYS, type KeySpec } from './schema';

function defaultText(spec: KeySpec): string {
  if (spec.defaultText !== undefined) return spec.defaultText;
  if (spec.default === undefined) return 'unset';
  if (Array.isArray(spec.default)) return `\`${JSON.stringify(spec.default)}\``;
  return `\`${String(spec.default)}\``;
}

/** The README table of every config key, generated from the schema (a unit test keeps README in sync). */
export function configTableMarkdown(): string {
  const rows = CONFIG_KEYS.map(
    (k) =>
      `| \`${k.key}\` | ${k.kind} | ${defaultText(k)} | ${k.env.map((e) => `\`${e}\``).join(', ')} | ${k.doc} |`,
  );
  return [
    '| key | kind | default | environment | meaning |',
    '| --- | --- | --- | --- | --- |',
    ...rows,
  ].join('\n');
}
