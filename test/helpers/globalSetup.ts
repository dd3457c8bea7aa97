import { execFileSync } from 'node:child_process';
import { writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';

const REPO_ROOT = join(__dirname, '..', '..');
export const STARTED_MARKER = join(REPO_ROOT, '.kdw', 'started-by-tests');

/**
 * Makes sure a real, secured Elasticsearch answers before any integration test runs: the one in ES_URL, or
 * one that scripts/elasticsearch.sh starts (Docker or the Maven Central distribution). Fails the run loudly
 * when none can be had; integration tests never skip.
 */
export default function globalSetup(): void {
  let out: string;
  try {
    out = execFileSync('bash', [join(REPO_ROOT, 'scripts', 'elasticsearch.sh'), 'start'], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
      timeout: 10 * 60_000,
    });
  } catch (err) {
    const why = err instanceof Error ? err.message : String(err);
    throw new Error(
      `integration tests need a real Elasticsearch and none could be started (${why}).\n` +
        'See the messages of scripts/elasticsearch.sh above; set ES_URL/ES_USERNAME/ES_PASSWORD/ES_CA_CERT to use an existing cluster.',
    );
  }
  process.stdout.write(`\n[integration] ${out.trim()}\n`);
  if (/state=started/.test(out)) {
    mkdirSync(join(REPO_ROOT, '.kdw'), { recursive: true });
    // the pid of this jest run: only the run that started the node stops it (other runs may share it)
    writeFileSync(STARTED_MARKER, `${process.pid}\n`);
  }
}
