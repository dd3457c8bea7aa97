#!/usr/bin/env bash
# The README's test command (npm test): installs what is missing, then runs unit and integration tests.
# Integration tests start a real, secured Elasticsearch themselves (test/helpers/globalSetup.ts).
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund
fi
if [ -f scripts/generate-parsers.mjs ]; then node scripts/generate-parsers.mjs; fi
exec npx jest --ci "$@"
