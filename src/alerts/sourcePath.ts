/**
 * Reads a dotted field from a source document the way lodash `get` does, which is what Kibana uses: the
 * whole dotted string as a key first (documents with dotted keys), else the path split on dots.
 */
export function getPath(source: unknown, path: string): unknown {
  if (typeof source !== 'object' || source === null) return undefined;
  if (path in source) return (source as Record<string, unknown>)[path];
  let current: unknown = source;
  for (const part of path.split('.')) {
    if (typeof current !== 'object' || current === null || Array.isArray(current)) return undefined;
    current = (current as Record<string, unknown>)[part];
  }
  return current;
}
