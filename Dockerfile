# syntax=docker/dockerfile:1
# kdw's image: the worker (`kdw run`, the default), and every other kdw command
# (docker run --rm kdw validate, kdw replay, kdw generate, ...).
#
#   docker build -t kdw .
#   docker run --rm -e ES_URL=https://es:9200 -e ES_USERNAME=kdw -e ES_PASSWORD=... \
#     -e ES_CA_CERT=/certs/ca.crt -v /path/to/ca.crt:/certs/ca.crt:ro kdw
#
# Two stages: the build stage has the dev dependencies (TypeScript, peggy) and the sources; the runtime
# stage has only the production dependencies, the compiled dist/, the rules, the default configuration, and
# the files of docker-compose.yml's setup and generator services. It runs as an unprivileged user.

# --- build: compile TypeScript (and the KQL parser from its grammar) to dist/ ---------------------------
FROM node:20-bookworm-slim AS build
WORKDIR /build
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY scripts/generate-parsers.mjs scripts/
COPY src/ src/
# `npm run build` runs `npm run generate` first (src/kql/generated/ from src/kql/grammar.peggy).
# Source maps point at sources the image does not have: leave them out.
RUN npm run build && find dist -name '*.map' -delete

# --- runtime: production dependencies and the compiled code only ----------------------------------------
FROM node:20-bookworm-slim AS runtime
ENV NODE_ENV=production
WORKDIR /app
COPY package.json package-lock.json ./
# no dev dependencies; no install scripts (none of the production dependencies needs one)
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund && npm cache clean --force
COPY --from=build /build/dist/src dist/src
COPY rules/ rules/
COPY config/ config/
# docker-compose.yml's one-shot setup (role, users, templates, Kibana saved objects) and lab traffic
COPY docker/setup.mjs docker/kdw_worker-role.json docker/generator.sh docker/
COPY kibana/ kibana/
# `kdw` on the PATH (the generator service pipes `kdw generate` into `kdw replay`); a fixed numeric
# uid/gid so orchestrators can check runAsNonRoot, and so the CA certificate of the shared volume
# (mode 644) is readable.
RUN chmod 755 dist/src/cli/main.js \
  && ln -s /app/dist/src/cli/main.js /usr/local/bin/kdw \
  && groupadd --system --gid 10001 kdw \
  && useradd --system --uid 10001 --gid kdw --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin kdw
USER 10001:10001
# /healthz, /readyz and /metrics (set KDW_HTTP_HOST=0.0.0.0 to reach them from outside the container)
EXPOSE 9464
ENTRYPOINT ["node", "dist/src/cli/main.js"]
CMD ["run"]
