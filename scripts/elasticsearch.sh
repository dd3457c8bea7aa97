#!/usr/bin/env bash
# A real, secured Elasticsearch for kdw's tests, lab and CLI.
#
#   scripts/elasticsearch.sh start    use ES_URL, else Docker, else the Maven Central integ-test zip
#   scripts/elasticsearch.sh stop     stop the node this script started (by pid / container name)
#   scripts/elasticsearch.sh status   exit 0 and print the connection when it answers, exit 3 otherwise
#   scripts/elasticsearch.sh env      print the connection settings file (shell syntax, passwords included)
#
# Whatever the source, the result is the same: HTTPS with a CA file, a superuser used only for setup
# (`kdw-admin`), and the least-privilege user kdw runs as (`kdw`, role `kdw_worker` from
# config/elasticsearch/roles.yml). The settings are written to .kdw/connection.env (mode 600, git-ignored),
# which the tests, the lab and the CLI read. See DESIGN.md §10 for what this Elasticsearch build can do.
#
# Environment (all optional):
#   ES_URL, ES_USERNAME/ES_PASSWORD or ES_API_KEY, ES_CA_CERT   an existing cluster (credentials are its admin)
#   KDW_ES_USERNAME/KDW_ES_PASSWORD   kdw's own user on that cluster (else created through the security API)
#   KDW_ES_VERSION     default 8.19.21
#   KDW_CACHE_DIR      where the distribution and the node live (default <repo>/.cache)
#   KDW_ES_PORT        first HTTP port to try (default 9200; the next free one is taken)
#   KDW_ES_HEAP        JVM heap (default 1g)
#   ES_JAVA_HOME       a JDK 17+ (default: the newest found under /usr/lib/jvm)
#   KDW_ES_NO_DOCKER=1 skip the Docker path even when an engine answers
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VERSION="${KDW_ES_VERSION:-8.19.21}"
STATE_DIR="$REPO/.kdw"
CONN_FILE="$STATE_DIR/connection.env"
ROLES_FILE="$REPO/config/elasticsearch/roles.yml"
ES_OS_USER="kdw-es"
ADMIN_USER="kdw-admin"
KDW_USER="kdw"
KDW_ROLE="kdw_worker"
CONTAINER="kdw-elasticsearch"
IMAGE="docker.elastic.co/elasticsearch/elasticsearch:$VERSION"

log() { printf '[elasticsearch] %s\n' "$*" >&2; }
die() {
  printf '[elasticsearch] error: %s\n' "$1" >&2
  [ $# -gt 1 ] && printf '[elasticsearch] fix: %s\n' "$2" >&2
  exit 1
}
need() { command -v "$1" >/dev/null 2>&1 || die "'$1' is not installed" "$2"; }
random_password() { head -c 18 /dev/urandom | od -An -tx1 | tr -d ' \n'; }

# --- connection file --------------------------------------------------------------------------------------

write_connection() { # mode url ca admin_user admin_pw kdw_user kdw_pw version
  mkdir -p "$STATE_DIR"
  local tmp="$CONN_FILE.tmp"
  (
    umask 077
    {
      printf '# written by scripts/elasticsearch.sh on %s; contains passwords: keep it private\n' "$(date -u +%FT%TZ)"
      printf 'KDW_ES_MODE=%q\n' "$1"
      printf 'ES_URL=%q\n' "$2"
      printf 'ES_CA_CERT=%q\n' "$3"
      printf 'ES_ADMIN_USERNAME=%q\n' "$4"
      printf 'ES_ADMIN_PASSWORD=%q\n' "$5"
      printf 'ES_USERNAME=%q\n' "$6"
      printf 'ES_PASSWORD=%q\n' "$7"
      printf 'ES_VERSION=%q\n' "$8"
    } >"$tmp"
  )
  mv "$tmp" "$CONN_FILE"
}

# curl against the cluster: es_curl <user> <password> <ca> <method> <url> [body]
es_curl() {
  local user="$1" pw="$2" ca="$3" method="$4" url="$5" body="${6:-}"
  local args=(-sS --max-time 10 -X "$method" -H 'Content-Type: application/json')
  [ -n "$ca" ] && args+=(--cacert "$ca")
  if [ -n "$user" ]; then
    args+=(-K -) # credentials on stdin, never on the command line (ps would show them)
  fi
  [ -n "$body" ] && args+=(--data-binary "$body")
  if [ -n "$user" ]; then
    printf 'user = "%s:%s"\n' "$user" "$pw" | curl "${args[@]}" "$url"
  else
    curl "${args[@]}" "$url"
  fi
}

http_code() { # same arguments as es_curl, prints only the HTTP status
  local user="$1" pw="$2" ca="$3" method="$4" url="$5"
  local args=(-s -o /dev/null -w '%{http_code}' --max-time 10 -X "$method")
  [ -n "$ca" ] && args+=(--cacert "$ca")
  printf 'user = "%s:%s"\n' "$user" "$pw" | curl "${args[@]}" -K - "$url" || true
}

version_of() { # user pw ca url
  es_curl "$1" "$2" "$3" GET "$4/_nodes/_local/version" 2>/dev/null |
    sed -n 's/.*"version":"\([^"]*\)".*/\1/p' | head -n 1
}

wait_healthy() { # user pw ca url seconds
  local deadline=$((SECONDS + $5)) out
  while [ $SECONDS -lt $deadline ]; do
    out="$(es_curl "$1" "$2" "$3" GET "$4/_cluster/health?wait_for_status=yellow&timeout=5s" 2>/dev/null || true)"
    case "$out" in *'"status":"green"'* | *'"status":"yellow"'*) return 0 ;; esac
    sleep 1
  done
  return 1
}

# The role body for the security API, from the same roles.yml the file realm uses (single source of truth).
role_json() {
  cat <<'EOF'
{
  "cluster": ["monitor", "manage_index_templates"],
  "indices": [
    { "names": ["logs-*"], "privileges": ["read", "view_index_metadata"] },
    { "names": ["kdw-*", ".kdw-*"], "privileges": ["read", "write", "manage"] }
  ]
}
EOF
}

check_roles_in_sync() {
  # roles.yml (file realm) and role_json (security API) must grant the same: a test checks this too.
  grep -q "^$KDW_ROLE:" "$ROLES_FILE" || die "$ROLES_FILE does not define $KDW_ROLE"
}

# --- mode 1: an existing cluster --------------------------------------------------------------------------

start_external() {
  need curl "install curl (apt-get install curl)"
  local url="${ES_URL%/}" ca="${ES_CA_CERT:-}" user="${ES_USERNAME:-}" pw="${ES_PASSWORD:-}"
  [ -n "${ES_API_KEY:-}" ] && [ -z "$user" ] &&
    die "ES_API_KEY alone cannot create kdw's user for the tests" "set ES_USERNAME/ES_PASSWORD of a superuser, or KDW_ES_USERNAME/KDW_ES_PASSWORD of an existing kdw user"
  local version
  version="$(version_of "$user" "$pw" "$ca" "$url")"
  [ -n "$version" ] || die "ES_URL=$url does not answer (or the credentials are refused)" "check ES_URL, ES_USERNAME/ES_PASSWORD and ES_CA_CERT, or unset ES_URL to let this script start a local node"
  local kuser="${KDW_ES_USERNAME:-}" kpw="${KDW_ES_PASSWORD:-}"
  if [ -z "$kuser" ]; then
    kuser="$KDW_USER"
    kpw="$(random_password)"
    ensure_api_user "$user" "$pw" "$ca" "$url" "$kuser" "$kpw"
  fi
  write_connection external "$url" "$ca" "$user" "$pw" "$kuser" "$kpw" "$version"
  report external "$url" "$ca" "$version"
}

ensure_api_user() { # admin pw ca url kuser kpw: role + user through the native realm
  es_curl "$1" "$2" "$3" PUT "$4/_security/role/$KDW_ROLE" "$(role_json)" >/dev/null ||
    die "could not create role $KDW_ROLE through the security API" "create it by hand from $ROLES_FILE"
  es_curl "$1" "$2" "$3" PUT "$4/_security/user/$5" "{\"password\":\"$6\",\"roles\":[\"$KDW_ROLE\"]}" >/dev/null ||
    die "could not create user $5 through the security API" "set KDW_ES_USERNAME/KDW_ES_PASSWORD of an existing user with role $KDW_ROLE"
}

# --- mode 2: Docker ---------------------------------------------------------------------------------------

docker_available() {
  [ "${KDW_ES_NO_DOCKER:-}" = 1 ] && return 1
  command -v docker >/dev/null 2>&1 && timeout 5 docker info >/dev/null 2>&1
}

start_docker() {
  local port pw ca="$STATE_DIR/docker-http_ca.crt" url
  if [ -f "$CONN_FILE" ] && grep -q '^KDW_ES_MODE=docker' "$CONN_FILE" && docker ps -q -f "name=^$CONTAINER$" | grep -q .; then
    # shellcheck disable=SC1090
    . "$CONN_FILE"
    if wait_healthy "$ES_ADMIN_USERNAME" "$ES_ADMIN_PASSWORD" "$ES_CA_CERT" "$ES_URL" 5; then
      report docker "$ES_URL" "$ES_CA_CERT" "$ES_VERSION" already
      return
    fi
  fi
  docker rm -f "$CONTAINER" >/dev/null 2>&1 || true
  port="$(free_port "${KDW_ES_PORT:-9200}")"
  pw="$(random_password)"
  log "starting $IMAGE on 127.0.0.1:$port"
  docker run -d --name "$CONTAINER" -p "127.0.0.1:$port:9200" \
    -e discovery.type=single-node -e ELASTIC_PASSWORD="$pw" -e "ES_JAVA_OPTS=-Xms${KDW_ES_HEAP:-1g} -Xmx${KDW_ES_HEAP:-1g}" \
    "$IMAGE" >/dev/null || die "docker run $IMAGE failed" "check 'docker info', or set KDW_ES_NO_DOCKER=1 to use the local distribution"
  url="https://127.0.0.1:$port"
  mkdir -p "$STATE_DIR"
  local i
  for i in $(seq 1 60); do
    docker cp "$CONTAINER:/usr/share/elasticsearch/config/certs/http_ca.crt" "$ca" >/dev/null 2>&1 && break
    sleep 2
  done
  [ -f "$ca" ] || die "the container did not generate its CA certificate" "see 'docker logs $CONTAINER'"
  wait_healthy elastic "$pw" "$ca" "$url" 120 || die "Elasticsearch in Docker did not become healthy" "see 'docker logs $CONTAINER'"
  local kpw version
  kpw="$(random_password)"
  ensure_api_user elastic "$pw" "$ca" "$url" "$KDW_USER" "$kpw"
  version="$(version_of elastic "$pw" "$ca" "$url")"
  write_connection docker "$url" "$ca" elastic "$pw" "$KDW_USER" "$kpw" "$version"
  report docker "$url" "$ca" "$version"
}

# --- mode 3: the integ-test zip from Maven Central --------------------------------------------------------

free_port() { # first free TCP port on 127.0.0.1 at or after $1
  local p="$1"
  while [ "$p" -lt $(($1 + 100)) ]; do
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then
      echo "$p"
      return
    fi
    p=$((p + 1))
  done
  die "no free TCP port in $1..$(($1 + 99)) on 127.0.0.1" "stop what listens there or set KDW_ES_PORT"
}

find_jdk() {
  if [ -n "${ES_JAVA_HOME:-}" ]; then
    [ -x "$ES_JAVA_HOME/bin/java" ] || die "ES_JAVA_HOME=$ES_JAVA_HOME has no bin/java" "point ES_JAVA_HOME at a JDK 17 or newer"
    echo "$ES_JAVA_HOME"
    return
  fi
  local best="" best_major=0 d major
  for d in /usr/lib/jvm/*/ "${JAVA_HOME:-/nonexistent}/"; do
    d="${d%/}"
    [ -x "$d/bin/java" ] || continue
    major="$("$d/bin/java" -version 2>&1 | sed -n 's/.*version "\([0-9]*\).*/\1/p' | head -n 1)"
    [ -n "$major" ] || continue
    if [ "$major" -ge 17 ] && [ "$major" -gt "$best_major" ]; then
      best="$d"
      best_major="$major"
    fi
  done
  [ -n "$best" ] || die "no JDK 17 or newer found under /usr/lib/jvm" "apt-get install openjdk-17-jdk-headless, or set ES_JAVA_HOME"
  echo "$best"
}

cache_dir() {
  local dir="${KDW_CACHE_DIR:-$REPO/.cache}"
  mkdir -p "$dir"
  # The unprivileged node must be able to reach its files: every parent needs o+x. A repo under a private
  # home (/root is 700) cannot serve, so fall back to a folder outside it.
  if [ "$(id -u)" = 0 ] && [ -z "${KDW_CACHE_DIR:-}" ] && id "$ES_OS_USER" >/dev/null 2>&1 &&
    ! runuser -u "$ES_OS_USER" -- test -x "$dir"; then
    dir="/var/tmp/kdw-cache-$(printf '%s' "$REPO" | cksum | cut -d' ' -f1)"
    mkdir -p "$dir"
    chmod 755 "$dir"
  fi
  echo "$dir"
}

ensure_os_user() {
  [ "$(id -u)" = 0 ] || return 0 # not root: run the node as ourselves
  id "$ES_OS_USER" >/dev/null 2>&1 && return 0
  need useradd "install passwd (apt-get install passwd), or run this script as a non-root user"
  useradd --system --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin "$ES_OS_USER" ||
    die "could not create the unprivileged user $ES_OS_USER (Elasticsearch refuses to run as root)" "create it yourself: useradd --system $ES_OS_USER"
}

as_es() { # run a command as the node's OS user
  if [ "$(id -u)" = 0 ]; then runuser -u "$ES_OS_USER" -- "$@"; else "$@"; fi
}

ensure_distribution() { # prints ES_HOME
  local cache="$1" home="$1/elasticsearch-$VERSION" zip="$1/downloads/elasticsearch-$VERSION.zip"
  if [ -x "$home/bin/elasticsearch" ]; then
    echo "$home"
    return
  fi
  if [ ! -f "$zip" ]; then
    need mvn "install Maven (apt-get install maven): it fetches the distribution from Maven Central"
    log "fetching org.elasticsearch.distribution.integ-test-zip:elasticsearch:$VERSION:zip from Maven Central"
    mkdir -p "$1/downloads"
    local avail
    avail="$(df -Pk "$1" | awk 'NR==2 {print $4}')"
    [ "${avail:-0}" -gt 1048576 ] || die "less than 1 GB free under $1" "free disk space or set KDW_CACHE_DIR to a larger disk"
    mvn -q -B dependency:copy \
      "-Dartifact=org.elasticsearch.distribution.integ-test-zip:elasticsearch:$VERSION:zip" \
      "-DoutputDirectory=$1/downloads" >&2 ||
      die "mvn dependency:copy failed" "check that Maven Central is reachable (mvn -X ...) or place the zip at $zip"
  fi
  need unzip "install unzip (apt-get install unzip)"
  log "unpacking $zip"
  rm -rf "$home.tmp"
  mkdir -p "$home.tmp"
  unzip -q "$zip" -d "$home.tmp"
  mv "$home.tmp/elasticsearch-$VERSION" "$home"
  rm -rf "$home.tmp"
  chmod -R a+rX "$home"
  echo "$home"
}

local_paths() { # sets NODE CONF PIDFILE PORTFILE ES_HOME
  local cache
  cache="$(cache_dir)"
  NODE="$cache/node-$VERSION"
  CONF="$NODE/config"
  PIDFILE="$NODE/elasticsearch.pid"
  PORTFILE="$NODE/http.port"
  ES_HOME="$cache/elasticsearch-$VERSION"
}

local_running() { # pid alive?
  [ -f "$PIDFILE" ] && kill -0 "$(cat "$PIDFILE")" 2>/dev/null
}

add_file_user() { # name password role
  as_es env ES_PATH_CONF="$CONF" ES_JAVA_HOME="$JDK" "$ES_HOME/bin/elasticsearch-users" userdel "$1" >/dev/null 2>&1 || true
  as_es env ES_PATH_CONF="$CONF" ES_JAVA_HOME="$JDK" "$ES_HOME/bin/elasticsearch-users" useradd "$1" -p "$2" -r "$3" >/dev/null ||
    die "elasticsearch-users useradd $1 failed" "check $CONF is writable by $ES_OS_USER"
}

start_local() {
  need curl "install curl (apt-get install curl)"
  ensure_os_user
  local_paths
  JDK="$(find_jdk)"
  if local_running && [ -f "$CONN_FILE" ] && grep -q '^KDW_ES_MODE=local' "$CONN_FILE"; then
    # shellcheck disable=SC1090
    . "$CONN_FILE"
    # a busy machine can make a live node slow to answer: wait for it rather than kill it under someone's feet
    if wait_healthy "$ES_ADMIN_USERNAME" "$ES_ADMIN_PASSWORD" "$ES_CA_CERT" "$ES_URL" 120; then
      report local "$ES_URL" "$ES_CA_CERT" "$ES_VERSION" already
      return
    fi
    die "the node (pid $(cat "$PIDFILE")) runs but has not answered at $ES_URL for 120 s" "see $NODE/logs/elasticsearch.log; scripts/elasticsearch.sh stop, then start"
  fi
  if local_running; then
    log "a node runs (pid $(cat "$PIDFILE")) without a connection file: restarting it"
    stop_local
  fi
  ES_HOME="$(ensure_distribution "$(dirname "$NODE")")"
  check_roles_in_sync

  if [ ! -d "$CONF" ]; then
    mkdir -p "$NODE/data" "$NODE/logs"
    cp -r "$ES_HOME/config" "$CONF"
  fi
  cp "$ROLES_FILE" "$CONF/roles.yml"
  [ "$(id -u)" = 0 ] && chown -R "$ES_OS_USER:$ES_OS_USER" "$NODE"

  # File-realm users are made once per node (each elasticsearch-users call starts a JVM); their passwords
  # live beside the node, readable only by the account that runs this script.
  local admin_pw kdw_pw port url ca="$CONF/certs/http_ca.crt" creds="$NODE/credentials"
  if [ -f "$creds" ] && grep -q "^$ADMIN_USER:" "$CONF/users" 2>/dev/null && grep -q "^$KDW_USER:" "$CONF/users" 2>/dev/null; then
    admin_pw="$(sed -n 's/^admin=//p' "$creds")"
    kdw_pw="$(sed -n 's/^kdw=//p' "$creds")"
  else
    admin_pw="$(random_password)"
    kdw_pw="$(random_password)"
    add_file_user "$ADMIN_USER" "$admin_pw" superuser
    add_file_user "$KDW_USER" "$kdw_pw" "$KDW_ROLE"
    (
      umask 077
      printf 'admin=%s\nkdw=%s\n' "$admin_pw" "$kdw_pw" >"$creds"
    )
    chown root:root "$creds" 2>/dev/null || true
  fi

  port="$(free_port "$(cat "$PORTFILE" 2>/dev/null || echo "${KDW_ES_PORT:-9200}")")"
  echo "$port" >"$PORTFILE"
  log "starting Elasticsearch $VERSION on 127.0.0.1:$port (JDK $JDK, node in $NODE)"
  local started=$SECONDS
  if ! as_es env ES_JAVA_HOME="$JDK" ES_PATH_CONF="$CONF" ES_JAVA_OPTS="-Xms${KDW_ES_HEAP:-1g} -Xmx${KDW_ES_HEAP:-1g}" \
    "$ES_HOME/bin/elasticsearch" -d -p "$PIDFILE" \
    -Ediscovery.type=single-node -Enetwork.host=127.0.0.1 -Ehttp.port="$port" -Etransport.port=$((port + 100)) \
    -Epath.data="$NODE/data" -Epath.logs="$NODE/logs" \
    -Ecluster.routing.allocation.disk.threshold_enabled=false >"$NODE/logs/start.out" 2>&1; then
    tail -n 20 "$NODE/logs/start.out" >&2
    die "Elasticsearch did not start" "see $NODE/logs/start.out and $NODE/logs/elasticsearch.log"
  fi
  url="https://127.0.0.1:$port"
  local i
  for i in $(seq 1 60); do
    [ -f "$ca" ] && break
    sleep 1
  done
  [ -f "$ca" ] || die "Elasticsearch did not generate its HTTP CA ($ca)" "see $NODE/logs/elasticsearch.log"
  wait_healthy "$ADMIN_USER" "$admin_pw" "$ca" "$url" 90 ||
    die "Elasticsearch did not become healthy within 90 s" "see $NODE/logs/elasticsearch.log"
  local version
  version="$(version_of "$ADMIN_USER" "$admin_pw" "$ca" "$url")"
  [ "$(http_code "$KDW_USER" "$kdw_pw" "$ca" GET "$url/_security/_authenticate")" = 200 ] ||
    die "the $KDW_USER user cannot authenticate" "see $NODE/logs/elasticsearch.log"
  write_connection local "$url" "$ca" "$ADMIN_USER" "$admin_pw" "$KDW_USER" "$kdw_pw" "$version"
  log "up in $((SECONDS - started)) s"
  report local "$url" "$ca" "$version" started
}

stop_local() {
  local_running || {
    rm -f "$PIDFILE"
    return 0
  }
  local pid i
  pid="$(cat "$PIDFILE")"
  log "stopping Elasticsearch (pid $pid)"
  kill "$pid" 2>/dev/null || true
  for i in $(seq 1 60); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.5
  done
  if kill -0 "$pid" 2>/dev/null; then
    log "pid $pid still running after 30 s: killing it"
    kill -9 "$pid" 2>/dev/null || true
  fi
  rm -f "$PIDFILE"
}

report() { # mode url ca version [started|already]
  log "${5:-ready}: Elasticsearch $4 at $2 (CA $3, $1)"
  printf 'mode=%s url=%s version=%s ca=%s state=%s\n' "$1" "$2" "$4" "$3" "${5:-ready}"
}

# One start or stop at a time: two concurrent starts would launch two nodes on one data path, and the
# loser's exit removes the winner's pid file.
lock() {
  mkdir -p "$STATE_DIR"
  exec 9>"$STATE_DIR/elasticsearch.lock"
  if command -v flock >/dev/null 2>&1; then
    flock -w 600 9 || die "another scripts/elasticsearch.sh has held $STATE_DIR/elasticsearch.lock for 10 minutes" "wait for it, or remove the lock file if no such process runs"
  fi
}

cmd="${1:-}"
case "$cmd" in start | stop) lock ;; esac
case "$cmd" in
start)
  if [ -n "${ES_URL:-}" ]; then
    start_external
  elif docker_available; then
    start_docker
  else
    start_local
  fi
  ;;
stop)
  if [ -f "$CONN_FILE" ] && grep -q '^KDW_ES_MODE=docker' "$CONN_FILE"; then
    docker rm -f "$CONTAINER" >/dev/null 2>&1 || true
  else
    local_paths
    stop_local
  fi
  ;;
status)
  [ -f "$CONN_FILE" ] || {
    log "not started (no $CONN_FILE)"
    exit 3
  }
  # shellcheck disable=SC1090
  . "$CONN_FILE"
  if wait_healthy "$ES_ADMIN_USERNAME" "$ES_ADMIN_PASSWORD" "$ES_CA_CERT" "$ES_URL" 3; then
    report "$KDW_ES_MODE" "$ES_URL" "$ES_CA_CERT" "$ES_VERSION" running
  else
    log "not answering at $ES_URL"
    exit 3
  fi
  ;;
env)
  [ -f "$CONN_FILE" ] || die "not started" "run: scripts/elasticsearch.sh start"
  cat "$CONN_FILE"
  ;;
*)
  sed -n '2,9p' "$0" | sed 's/^# \{0,1\}//'
  [ -z "$cmd" ] || [ "$cmd" = help ] || [ "$cmd" = --help ] || exit 2
  ;;
esac
