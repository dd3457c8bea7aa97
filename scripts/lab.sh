#!/usr/bin/env bash
# npm run lab: everything from a fresh clone to a running local lab.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund
fi
if [ -f scripts/generate-parsers.mjs ]; then node scripts/generate-parsers.mjs; fi
bash scripts/elasticsearch.sh start >/dev/null
exec npx tsx scripts/lab.ts "$@"
