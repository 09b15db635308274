#!/usr/bin/env bash
# Scale-out benchmark: the creates scenario through HAProxy in front of one API node, then in
# front of two, each time with one sim worker node over one PostgreSQL (durable commits), on
# this machine. Reports creates/s, latency and the CPU each part used (API nodes, worker,
# PostgreSQL, HAProxy) per create.
#
#   bash bench/cluster.sh
#
# Environment: LINNET_BIN (default build/linnetd), BENCH_SECONDS (default 8), BENCH_RESULTS
# (default bench/results.md).
set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BIN=${LINNET_BIN:-$REPO/build/linnetd}
SECS=${BENCH_SECONDS:-8}
RESULTS=${BENCH_RESULTS:-$REPO/bench/results.md}
CLK=$(getconf CLK_TCK)
die() { echo "cluster.sh: $*" >&2; exit 1; }
for tool in wrk curl ss haproxy; do command -v "$tool" >/dev/null || die "$tool not found"; done
[[ -x $BIN ]] || die "no linnetd at $BIN"

TMP=$(mktemp -d "${TMPDIR:-/tmp}/linnet-bench-cluster.XXXXXX")
CLUSTER=""
stop_cluster() {
    if [[ -n $CLUSTER ]]; then
        kill -TERM -- "-$CLUSTER" 2>/dev/null || true
        wait "$CLUSTER" 2>/dev/null || true
        CLUSTER=""
    fi
}
trap 'stop_cluster; rm -rf "$TMP"' EXIT

# CPU milliseconds of the processes whose pids are given (and their children).
cpu_ms() {
    local total=0 p
    for p in "$@" $(for q in "$@"; do pgrep -P "$q" || true; done); do
        [[ -r /proc/$p/stat ]] || continue
        total=$((total + $(awk '{print $14 + $15}' "/proc/$p/stat")))
    done
    echo $((total * 1000 / CLK))
}
field() { sed -n "s/.* $2=\([0-9.]*\).*/\1/p" <<<"$1"; }
per() { awk -v c="$1" -v n="$2" 'BEGIN {printf "%.2f", (n > 0 ? c / n : 0)}'; }

run() {  # API_NODES -> one table row
    local nodes=$1 dir="$TMP/c$1" port
    port=$((20000 + RANDOM % 40000))
    while [[ -n $(ss -Hltn "sport = :$port") ]]; do port=$((20000 + RANDOM % 40000)); done
    env -u LINNET_TEST_PG LINNET_BIN="$BIN" CLUSTER_PORT="$port" CLUSTER_DIR="$dir" \
        CLUSTER_API_NODES="$nodes" CLUSTER_WORKER_NODES=1 CLUSTER_READY_FILE="$dir.token" \
        LINNET_SIM_SCALE=0 LINNET_RATE_LIMITS=off \
        setsid bash "$REPO/scripts/cluster.sh" >"$TMP/cluster-$nodes.log" 2>&1 &
    CLUSTER=$!
    for _ in $(seq 1 300); do [[ -s $dir.token ]] && break; sleep 0.2; done
    [[ -s $dir.token ]] || die "the cluster did not start (see $TMP/cluster-$nodes.log)"
    local token api=() worker pg haproxy pg_port
    token=$(cat "$dir.token")
    for n in $(seq 1 "$nodes"); do api+=("$(cat "$dir/api-$n.pid")"); done
    worker=$(cat "$dir/sim-1.pid")
    haproxy=$(cat "$dir/haproxy.pid")
    pg_port=$(sed -E 's|.*:([0-9]+)/.*|\1|' <"$dir/database")
    pg=$(ss -Hltnp "sport = :$pg_port" | sed -nE 's/.*pid=([0-9]+).*/\1/p' | head -n 1)
    local a0 w0 p0 h0 a1 w1 p1 h1 line created
    a0=$(cpu_ms "${api[@]}"); w0=$(cpu_ms "$worker"); p0=$(cpu_ms "$pg"); h0=$(cpu_ms "$haproxy")
    wrk -t1 -c20 -d"${SECS}s" --latency -s "$REPO/bench/create.lua" \
        -H "Authorization: Bearer $token" -H "Content-Type: application/json" \
        "http://127.0.0.1:$port" >"$TMP/wrk-$nodes.txt"
    a1=$(cpu_ms "${api[@]}"); w1=$(cpu_ms "$worker"); p1=$(cpu_ms "$pg"); h1=$(cpu_ms "$haproxy")
    line=$(grep '^BENCH ' "$TMP/wrk-$nodes.txt" | tail -n 1)
    created=$(field "$line" requests)
    printf '| %s | %s | %.2f | %.2f | %s | %s | %s | %s | %s |\n' "$nodes" "$(field "$line" rps)" \
        "$(awk -v u="$(field "$line" p50_us)" 'BEGIN {print u / 1000}')" \
        "$(awk -v u="$(field "$line" p99_us)" 'BEGIN {print u / 1000}')" \
        "$(field "$line" status_err)" "$(per $((a1 - a0)) "$created")" \
        "$(per $((w1 - w0)) "$created")" "$(per $((p1 - p0)) "$created")" \
        "$(per $((h1 - h0)) "$created")"
    stop_cluster
}

[[ -n ${BENCH_TRACE:-} ]] && set -x
ONE=$(run 1)
TWO=$(run 2)
summary=$(cat <<SUM
## $(date -u '+%Y-%m-%d %H:%M:%S UTC') — creates through HAProxy: one API node against two

- commit $(git -C "$REPO" rev-parse --short HEAD), $(nproc) cores, wrk -t1 -c20 -d${SECS}s, one sim worker node, PostgreSQL with durable commits, LINNET_SIM_SCALE=0

| API nodes | creates/s | p50 ms | p99 ms | non-2xx | CPU ms per create: API nodes | worker | PostgreSQL | HAProxy |
| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |
$ONE
$TWO
SUM
)
echo "$summary"
[[ -f $RESULTS ]] || echo "# Linnet benchmark results" >"$RESULTS"
printf '\n%s\n' "$summary" >>"$RESULTS"
