import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { STARTED_MARKER } from './globalSetup';

/** Stops the node only when this test run started it (and KDW_KEEP_ES is not set). */
export default function globalTeardown(): void {
  if (!existsSync(STARTED_MARKER)) return;
  if (readFileSync(STARTED_MARKER, 'utf8').trim() !== String(process.pid)) return;
  rmSync(STARTED_MARKER);
  if (process.env['KDW_KEEP_ES'] === '1') return;
  execFileSync('bash', [join(__dirname, '..', '..', 'scripts', 'elasticsearch.sh'), 'stop'], {
    stdio: 'inherit',
  });
}
