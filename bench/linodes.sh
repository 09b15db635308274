#!/usr/bin/env bash
# Linode benchmark: creates per second at LINNET_SIM_SCALE=0, then a filtered list over
# 10,000 Linodes at 20 concurrent clients (p50, p99).
#
#   bash bench/linodes.sh
#
# Environment: LINNET_BIN (default build/linnetd), BENCH_SECONDS (default 8), BENCH_LINODES
# (default 10000), BENCH_RESULTS (default bench/results.md), BENCH_ENGINE (sqlite, the default,
# or postgresql: a private cluster with durable commits, started and stopped by the run, reached
# through its socket; BENCH_PG_TCP=1 reaches it through 127.0.0.1).
set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
ENGINE=${BENCH_ENGINE:-sqlite}
if [[ $ENGINE == postgresql && -z ${LINNET_TEST_PG:-} ]]; then
    LINNET_PG_DURABLE=1 exec /usr/bin/python3 "$REPO/tests/api/pg_cluster.py" \
        bash "${BASH_SOURCE[0]}" "$@"
fi
BIN=${LINNET_BIN:-$REPO/build/linnetd}
SECS=${BENCH_SECONDS:-8}
TARGET_LINODES=${BENCH_LINODES:-10000}
RESULTS=${BENCH_RESULTS:-$REPO/bench/results.md}
REGION='{"region":"us-east"}'
FILTER='{"+and":[{"region":"us-east"},{"tags":"bench-4"}]}'
ORDERED='{"+and":[{"region":"us-east"},{"tags":"bench-4"}],"+order_by":"label","+order":"desc"}'

die() { echo "linodes.sh: $*" >&2; exit 1; }
for tool in wrk curl jq ss; do command -v "$tool" >/dev/null || die "$tool not found"; done
[[ -x $BIN ]] || die "no linnetd at $BIN"

TMP=$(mktemp -d "${TMPDIR:-/tmp}/linnet-bench.XXXXXX")
PID=""
cleanup() {
    set +e
    [[ -n $PID ]] && kill "$PID" 2>/dev/null && wait "$PID" 2>/dev/null
    rm -rf "$TMP"
}
trap cleanup EXIT

PORT=$((20000 + RANDOM % 40000))
while [[ -n $(ss -Hltn "sport = :$PORT") ]]; do PORT=$((20000 + RANDOM % 40000)); done
DB=()
PG_REACH=""
PG_PORT=""
if [[ $ENGINE == postgresql ]]; then
    PG_REACH=127.0.0.1
    PG_PORT=$(sed -E 's|.*:([0-9]+)/.*|\1|' <<<"$LINNET_TEST_PG")
    psql -q "$LINNET_TEST_PG" -c 'CREATE DATABASE bench'
    BENCH_PG=${LINNET_TEST_PG%/*}/bench
    if [[ -z ${BENCH_PG_TCP:-} ]]; then
        # A server on the same machine is reached through its socket, as a local installation
        # is (BENCH_PG_TCP=1: through 127.0.0.1, as a server on another machine would be).
        SOCKET=$(psql -qtA "$LINNET_TEST_PG" -c 'SHOW unix_socket_directories' | cut -d, -f1)
        BENCH_PG="postgresql://linnet@$(jq -rn --arg s "$SOCKET" '$s | @uri'):$PG_PORT/bench"
        PG_REACH="its socket"
    fi
    DB=(--database "$BENCH_PG")
fi
TOKEN=$("$BIN" token create --data "$TMP/data" "${DB[@]}")
LINNET_SIM_SCALE=0 LINNET_RATE_LIMITS=off "$BIN" serve --data "$TMP/data" "${DB[@]}" \
    --listen "127.0.0.1:$PORT" >"$TMP/linnetd.log" 2>&1 &
PID=$!
BASE="http://127.0.0.1:$PORT"
for i in $(seq 1 100); do
    curl -sf -o /dev/null "$BASE/healthz" && break
    [[ $i == 100 ]] && die "linnetd did not start"
    sleep 0.1
done
AUTH="Authorization: Bearer $TOKEN"

count() { curl -s -H "$AUTH" "$BASE/v4/linode/instances?page_size=25" | jq .results; }
# CPU milliseconds spent so far by linnetd and, on PostgreSQL, by the server and its backends.
CLK=$(getconf CLK_TCK)
PG_PID=""
if [[ $ENGINE == postgresql ]]; then
    PG_PID=$(ss -Hltnp "sport = :$PG_PORT" | sed -nE 's/.*pid=([0-9]+).*/\1/p' | head -n 1)
fi
cpu_ms() {
    local pids=("$1") total=0
    if [[ -n $2 ]]; then pids+=("$2" $(pgrep -P "$2" || true)); fi
    for p in "${pids[@]}"; do
        [[ -r /proc/$p/stat ]] || continue
        total=$((total + $(awk '{print $14 + $15 + $16 + $17}' "/proc/$p/stat")))
    done
    echo $((total * 1000 / CLK))
}
bench_line() { grep '^BENCH ' "$1" | tail -n 1; }
field() { sed -n "s/.* $2=\([0-9.]*\).*/\1/p" <<<"$1"; }

# Creates: 20 clients posting for SECS seconds.
CPU_LINNET_0=$(cpu_ms "$PID" ""); CPU_ALL_0=$(cpu_ms "$PID" "$PG_PID")
wrk -t1 -c20 -d"${SECS}s" --latency -s "$REPO/bench/create.lua" -H "$AUTH" \
    -H "Content-Type: application/json" "$BASE" >"$TMP/create.txt"
CREATE=$(bench_line "$TMP/create.txt")
CREATED=$(count)
CPU_LINNET_1=$(cpu_ms "$PID" ""); CPU_ALL_1=$(cpu_ms "$PID" "$PG_PID")

# The jobs the timed run queued, to the last: each Linode created and provisioned (running).
settled() {
    # Jobs run oldest first: once the newest events are finished, the queue has drained.
    local pending
    pending=$(curl -s -H "$AUTH" "$BASE/v4/account/events?page_size=25" |
        jq '[.data[] | select(.status == "scheduled" or .status == "started")] | length')
    [[ $pending == 0 ]]
}
DRAIN_0=$(date +%s%N)
for i in $(seq 1 2400); do
    settled && break
    sleep 0.25
done
DRAIN_MS=$((($(date +%s%N) - DRAIN_0) / 1000000))
CPU_LINNET_D=$(cpu_ms "$PID" ""); CPU_ALL_D=$(cpu_ms "$PID" "$PG_PID")

# Top up to the target, then let the jobs finish.
while (( $(count) < TARGET_LINODES )); do
    wrk -t1 -c20 -d2s -s "$REPO/bench/create.lua" -H "$AUTH" -H "Content-Type: application/json" \
        "$BASE" >/dev/null
done
TOTAL=$(count)
for i in $(seq 1 600); do
    settled && break
    sleep 0.5
done
RSS=$(awk '/^VmRSS:/ {print $2}' "/proc/$PID/status")

# Lists: 20 clients, page_size=100, with an X-Filter.
MATCHES=$(curl -s -H "$AUTH" -H "X-Filter: $FILTER" "$BASE/v4/linode/instances?page_size=100" | jq .results)
CPU_LINNET_2=$(cpu_ms "$PID" ""); CPU_ALL_2=$(cpu_ms "$PID" "$PG_PID")
wrk -t1 -c20 -d"${SECS}s" --latency -s "$REPO/bench/report.lua" -H "$AUTH" -H "X-Filter: $REGION" \
    "$BASE/v4/linode/instances?page_size=100" >"$TMP/region.txt"
REGION_LIST=$(bench_line "$TMP/region.txt")
CPU_LINNET_3=$(cpu_ms "$PID" ""); CPU_ALL_3=$(cpu_ms "$PID" "$PG_PID")
REGION_MATCHES=$(curl -s -H "$AUTH" -H "X-Filter: $REGION" "$BASE/v4/linode/instances?page_size=100" | jq .results)
wrk -t1 -c20 -d"${SECS}s" --latency -s "$REPO/bench/report.lua" -H "$AUTH" -H "X-Filter: $FILTER" \
    "$BASE/v4/linode/instances?page_size=100" >"$TMP/list.txt"
LIST=$(bench_line "$TMP/list.txt")
wrk -t1 -c20 -d"${SECS}s" --latency -s "$REPO/bench/report.lua" -H "$AUTH" -H "X-Filter: $ORDERED" \
    "$BASE/v4/linode/instances?page_size=100" >"$TMP/ordered.txt"
ORDERED_LIST=$(bench_line "$TMP/ordered.txt")
kill -0 "$PID" || die "linnetd died under load"

ms() { awk -v u="$1" 'BEGIN {printf "%.2f", u / 1000}'; }
summary=$(cat <<SUM
## $(date -u '+%Y-%m-%d %H:%M:%S UTC') — linodes on $ENGINE

- commit $(git -C "$REPO" rev-parse --short HEAD), $(nproc) cores,${PG_REACH:+ the server reached through $PG_REACH,} wrk -t1 -c20 -d${SECS}s, LINNET_SIM_SCALE=0, LINNET_SQLITE_SYNC=${LINNET_SQLITE_SYNC:-full}

| scenario | req/s | p50 ms | p99 ms | non-2xx |
| --- | ---: | ---: | ---: | ---: |
| POST /v4/linode/instances | $(field "$CREATE" rps) | $(ms "$(field "$CREATE" p50_us)") | $(ms "$(field "$CREATE" p99_us)") | $(field "$CREATE" status_err) |
| GET /v4/linode/instances?page_size=100, X-Filter \`$REGION\` over $TOTAL Linodes ($REGION_MATCHES match) | $(field "$REGION_LIST" rps) | $(ms "$(field "$REGION_LIST" p50_us)") | $(ms "$(field "$REGION_LIST" p99_us)") | $(field "$REGION_LIST" status_err) |
| GET /v4/linode/instances?page_size=100, X-Filter \`$FILTER\` over $TOTAL Linodes ($MATCHES match) | $(field "$LIST" rps) | $(ms "$(field "$LIST" p50_us)") | $(ms "$(field "$LIST" p99_us)") | $(field "$LIST" status_err) |
| the same with \`"+order_by":"label","+order":"desc"\` | $(field "$ORDERED_LIST" rps) | $(ms "$(field "$ORDERED_LIST" p50_us)") | $(ms "$(field "$ORDERED_LIST" p99_us)") | $(field "$ORDERED_LIST" status_err) |

- created in the timed run: $CREATED; RSS with $TOTAL Linodes: $((RSS / 1024)) MiB
- created and provisioned, end to end: the $CREATED Linodes of the timed run were all running $(awk -v d="$DRAIN_MS" 'BEGIN {printf "%.1f", d / 1000}') s after it ended: $(awk -v n="$CREATED" -v d="$DRAIN_MS" -v s="$SECS" 'BEGIN {printf "%.0f", n / (s + d / 1000)}') per second over the run and the drain; CPU per Linode over both: linnetd $(awk -v c=$((CPU_LINNET_D - CPU_LINNET_0)) -v n="$CREATED" 'BEGIN {printf "%.2f", c / n}') ms, with the database server $(awk -v c=$((CPU_ALL_D - CPU_ALL_0)) -v n="$CREATED" 'BEGIN {printf "%.2f", c / n}') ms
- CPU per create during the timed run (the requests, and what of their jobs ran meanwhile at LINNET_SIM_SCALE=0): linnetd $(awk -v c=$((CPU_LINNET_1 - CPU_LINNET_0)) -v n="$CREATED" 'BEGIN {printf "%.2f", c / n}') ms, with the database server $(awk -v c=$((CPU_ALL_1 - CPU_ALL_0)) -v n="$CREATED" 'BEGIN {printf "%.2f", c / n}') ms
- CPU per region list request: linnetd $(awk -v c=$((CPU_LINNET_3 - CPU_LINNET_2)) -v n="$(field "$REGION_LIST" rps)" -v s="$SECS" 'BEGIN {printf "%.3f", c / (n * s)}') ms, with the database server $(awk -v c=$((CPU_ALL_3 - CPU_ALL_2)) -v n="$(field "$REGION_LIST" rps)" -v s="$SECS" 'BEGIN {printf "%.3f", c / (n * s)}') ms
- targets: at least 500 creates/s; list p99 under 10 ms
SUM
)
echo "$summary"
[[ -f $RESULTS ]] || echo "# Linnet benchmark results" >"$RESULTS"
printf '\n%s\n' "$summary" >>"$RESULTS"
