#!/bin/sh
# docker compose `generator` service: the lab's Kubernetes audit traffic, through the same path as real
# data (`kdw generate` writes raw apiserver audit events, `kdw replay` indexes them as Elastic's Kubernetes
# integration does, into logs-kubernetes.audit_logs-default):
#   1. KDW_LAB_HISTORY (default 7d) of ordinary traffic as history, with event.ingested = event time, so the
#      new_terms rule has its 7-day baseline;
#   2. waits until the worker is ready (KDW_WORKER_READYZ, at most 5 minutes), then replays the attack
#      scenarios and near misses of the seed rules as live events (now);
#   3. keeps writing ordinary traffic in real time, so the dashboard stays alive.
# The healthcheck of the service reports healthy once the history is loaded.
set -eu
marker=/tmp/kdw-history-loaded
history="${KDW_LAB_HISTORY:-7d}"
rm -f "$marker"

echo "generator: loading $history of ordinary traffic as history"
kdw generate --baseline --from "now-$history" --to now | kdw replay - --ingested event
touch "$marker"

if [ -n "${KDW_WORKER_READYZ:-}" ]; then
  echo "generator: waiting for the worker ($KDW_WORKER_READYZ)"
  tries=0
  until node -e 'fetch(process.argv[1]).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))' "$KDW_WORKER_READYZ"; do
    tries=$((tries + 1))
    if [ "$tries" -ge 150 ]; then
      echo "generator: the worker is not ready after 5 minutes; replaying the scenarios anyway"
      break
    fi
    sleep 2
  done
fi

echo "generator: the attack scenarios and near misses of the seed rules, now (kdw generate --list-scenarios)"
kdw generate --scenarios | kdw replay - --now

echo "generator: ordinary traffic in real time from now on"
kdw generate --baseline --from now --to now+30d | kdw replay - --speed 1
