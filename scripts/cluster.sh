#!/usr/bin/env bash
# A local Linnet cluster: a private PostgreSQL, two API nodes, two worker nodes (sim driver) and
# HAProxy in front on 127.0.0.1:${CLUSTER_PORT:-8080}. Prints a token; Ctrl-C stops everything.
#
#   make cluster            (or: bash scripts/cluster.sh)
#
# Environment: LINNET_BIN (default build/linnetd), CLUSTER_PORT (8080), CLUSTER_DIR (a new
# temporary folder: the nodes' data folders, logs, .pid and .port files, HAProxy's
# configuration), CLUSTER_API_NODES (2), CLUSTER_WORKER_NODES (2), CLUSTER_READY_FILE (the token
# is written there once everything answers).
set -euo pipefail
REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

# The PostgreSQL cluster wraps the rest: initdb into a folder of its own (as the postgres user
# when run as root), a free port, durable commits, stopped when this script ends.
if [[ -z ${LINNET_TEST_PG:-} ]]; then
    LINNET_PG_DURABLE=1 exec /usr/bin/python3 "$REPO/tests/api/pg_cluster.py" \
        bash "${BASH_SOURCE[0]}" "$@"
fi

BIN=${LINNET_BIN:-$REPO/build/linnetd}
PORT=${CLUSTER_PORT:-8080}
API_NODES=${CLUSTER_API_NODES:-2}
WORKER_NODES=${CLUSTER_WORKER_NODES:-2}
DIR=${CLUSTER_DIR:-$(mktemp -d "${TMPDIR:-/tmp}/linnet-cluster.XXXXXX")}
mkdir -p "$DIR"
PIDS=()
cleanup() {
    set +e
    for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null; done
    for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null; done
}
trap cleanup EXIT
trap 'exit 0' INT TERM

free_port() {
    /usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

psql -q "$LINNET_TEST_PG" -c 'CREATE DATABASE linnet'
DB="${LINNET_TEST_PG%/*}/linnet"
"$BIN" migrate --database "$DB" --data "$DIR/api-1" >/dev/null
echo "$DB" >"$DIR/database"
TOKEN=$("$BIN" token create --database "$DB" --data "$DIR/api-1")

BACKENDS=""
start_node() {  # NAME ROLE
    local port
    port=$(free_port)
    LINNET_DATABASE="$DB" "$BIN" serve --data "$DIR/$1" --role "$2" --host "$1" \
        --listen "127.0.0.1:$port" >"$DIR/$1.log" 2>&1 &
    PIDS+=($!)
    echo $! >"$DIR/$1.pid"
    echo "$port" >"$DIR/$1.port"
    for _ in $(seq 1 100); do
        curl -sf -o /dev/null "http://127.0.0.1:$port/healthz" && break
        sleep 0.1
    done
    curl -sf -o /dev/null "http://127.0.0.1:$port/healthz" || { echo "cluster: $1 did not start (see $DIR/$1.log)" >&2; exit 1; }
    if [[ $2 == api ]]; then BACKENDS+="    server $1 127.0.0.1:$port check"$'\n'; fi
}
# Workers first: they enrol the hosts that new Linodes are placed on.
for n in $(seq 1 "$WORKER_NODES"); do start_node "sim-$n" worker; done
for n in $(seq 1 "$API_NODES"); do start_node "api-$n" api; done

cat >"$DIR/haproxy.cfg" <<CFG
global
    maxconn 4096
defaults
    mode http
    timeout connect 5s
    timeout client 60s
    timeout server 60s
    option httpchk GET /healthz
frontend linnet
    bind 127.0.0.1:$PORT
    default_backend api
backend api
    balance roundrobin
$BACKENDS
CFG
haproxy -f "$DIR/haproxy.cfg" -db >"$DIR/haproxy.log" 2>&1 &
PIDS+=($!)
echo $! >"$DIR/haproxy.pid"
for _ in $(seq 1 50); do
    curl -sf -o /dev/null "http://127.0.0.1:$PORT/healthz" && break
    sleep 0.1
done
curl -sf -o /dev/null "http://127.0.0.1:$PORT/healthz" || { echo "cluster: HAProxy did not start (see $DIR/haproxy.log)" >&2; exit 1; }

echo "Linnet cluster on http://127.0.0.1:$PORT ($API_NODES API node(s), $WORKER_NODES sim worker node(s), PostgreSQL; logs in $DIR)" >&2
echo "$TOKEN"
if [[ -n ${CLUSTER_READY_FILE:-} ]]; then echo "$TOKEN" >"$CLUSTER_READY_FILE"; fi
while true; do sleep 3600 & wait $!; done
