#!/bin/bash
# docker compose `certs` service (the Elasticsearch image, as root): a CA and the HTTP/transport
# certificates of Elasticsearch and Kibana, made once with elasticsearch-certutil into the `certs` volume
# (the pattern of Elastic's own docker-compose example). Idempotent: existing files are kept.
#
# Permissions: Elasticsearch and Kibana run as uid 1000, gid 0 and read their keys through the group (640,
# root:root). kdw's containers run as uid 10001 and only need the CA certificate: certificates are 644 and
# directories 755; private keys stay 640.
set -euo pipefail
cd /usr/share/elasticsearch
certs=config/certs
if [ ! -f "$certs/ca/ca.crt" ]; then
  echo "certs: creating the CA"
  bin/elasticsearch-certutil ca --silent --pem --out "$certs/ca.zip"
  unzip -o -q "$certs/ca.zip" -d "$certs"
  rm -f "$certs/ca.zip"
fi
if [ ! -f "$certs/elasticsearch/elasticsearch.crt" ] || [ ! -f "$certs/kibana/kibana.crt" ]; then
  echo "certs: creating the certificates of elasticsearch and kibana"
  cat >"$certs/instances.yml" <<'YML'
instances:
  - name: elasticsearch
    dns: [elasticsearch, localhost]
    ip: [127.0.0.1]
  - name: kibana
    dns: [kibana, localhost]
    ip: [127.0.0.1]
YML
  bin/elasticsearch-certutil cert --silent --pem --in "$certs/instances.yml" --out "$certs/certs.zip" \
    --ca-cert "$certs/ca/ca.crt" --ca-key "$certs/ca/ca.key"
  unzip -o -q "$certs/certs.zip" -d "$certs"
  rm -f "$certs/certs.zip"
fi
chown -R root:root "$certs"
find "$certs" -type d -exec chmod 755 {} +
find "$certs" -type f -exec chmod 640 {} +
find "$certs" -type f -name '*.crt' -exec chmod 644 {} +
echo "certs: ready in the certs volume (CA: ca/ca.crt)"
