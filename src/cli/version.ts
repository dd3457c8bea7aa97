import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** kdw's version from its package.json (found upwards from this file, in src/ and in dist/ alike). */
export function kdwVersion(): string {
  let dir = __dirname;
  for (;;) {
    const candidate = join(dir, 'package.json');
    if (existsSync(candidate)) {
      const pkg: unknown = JSON.parse(readFileSync(candidate, 'utf8'));
      if (
        typeof pkg === 'object' &&
        pkg !== null &&
        'name' in pkg &&
        pkg.name === 'kdw' &&
        'version' in pkg
      ) {
        return String(pkg.version);
      }
    }
    const parent = dirname(dir);
    if (parent === dir) return 'unknown';
    dir = parent;
  }
}
