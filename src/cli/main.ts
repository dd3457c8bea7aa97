#!/usr/bin/env node
import { join } from 'node:path';
import { existsSync } from 'node:fs';
import { processIo } from './io';
import { runCli } from './program';

/** The repo root when run from a clone (src/cli or dist/src/cli), else the working directory. */
function repoRoot(): string {
  for (const up of ['../..', '../../..']) {
    const dir = join(__dirname, up);
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'rules'))) return dir;
  }
  return process.cwd();
}

void runCli(process.argv.slice(2), processIo(), repoRoot()).then((code) => {
  process.exitCode = code;
});
