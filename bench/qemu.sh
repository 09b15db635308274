#!/usr/bin/env bash
# Real-VM benchmark: `linnetd image build debian12` time, then the time from
# POST /v4/linode/instances to SSH answering with the root password, three times (median).
#
#   bash bench/qemu.sh        (as root; needs qemu-system-x86, debootstrap, sshpass)
#
# Environment: LINNET_BIN (default build/linnetd), BENCH_RESULTS (default bench/results.md),
# BENCH_RUNS (default 3).
set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BIN=${LINNET_BIN:-$REPO/build/linnetd}
RESULTS=${BENCH_RESULTS:-$REPO/bench/results.md}
RUNS=${BENCH_RUNS:-3}
PASSWORD=q8w2k5m1z9x4c7v3

die() { echo "qemu.sh: $*" >&2; exit 1; }
for tool in curl jq sshpass ssh qemu-system-x86_64 debootstrap; do
    command -v "$tool" >/dev/null || die "$tool not found"
done
[[ $(id -u) == 0 ]] || die "run as root (debootstrap)"

TMP=$(mktemp -d "${TMPDIR:-/tmp}/linnet-bench.XXXXXX")
PID=""
cleanup() {
    set +e
    [[ -n $PID ]] && kill "$PID" 2>/dev/null && wait "$PID" 2>/dev/null
    pkill -f "qemu-system-x86_64.*$TMP" 2>/dev/null
    rm -rf "$TMP"
}
trap cleanup EXIT

now() { date +%s.%N; }
secs() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.1f", b - a}'; }

t0=$(now)
"$BIN" image build debian12 --data "$TMP" 2>/dev/null >/dev/null
BUILD=$(secs "$t0" "$(now)")

PORT=$((20000 + RANDOM % 40000))
POOL="127.$((100 + RANDOM % 100)).$((RANDOM % 256)).0/24"
TOKEN=$("$BIN" token create --data "$TMP")
LINNET_DRIVER=qemu LINNET_IPV4_POOL=$POOL LINNET_RATE_LIMITS=off "$BIN" serve --data "$TMP" \
    --listen "127.0.0.1:$PORT" >"$TMP/linnetd.log" 2>&1 &
PID=$!
BASE="http://127.0.0.1:$PORT/v4"
for i in $(seq 1 100); do curl -sf -o /dev/null "http://127.0.0.1:$PORT/healthz" && break; sleep 0.2; done
AUTH="Authorization: Bearer $TOKEN"

times=()
for run in $(seq 1 "$RUNS"); do
    t0=$(now)
    linode=$(curl -s -H "$AUTH" -H 'Content-Type: application/json' -X POST "$BASE/linode/instances" \
        -d "{\"region\":\"us-east\",\"type\":\"g6-nanode-1\",\"image\":\"linode/debian12\",\"root_pass\":\"$PASSWORD\"}")
    id=$(jq -r .id <<<"$linode")
    ip=$(jq -r '.ipv4[0]' <<<"$linode")
    [[ $id != null ]] || die "create failed: $linode"
    for i in $(seq 1 600); do
        sshpass -p "$PASSWORD" ssh -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null \
            -o LogLevel=ERROR -o ConnectTimeout=5 "root@$ip" true 2>/dev/null && break
        sleep 0.5
    done
    t=$(secs "$t0" "$(now)")
    times+=("$t")
    echo "run $run: linode $id at $ip answered SSH after $t s"
    curl -s -H "$AUTH" -X DELETE "$BASE/linode/instances/$id" >/dev/null
    for i in $(seq 1 120); do
        [[ $(curl -s -o /dev/null -w '%{http_code}' -H "$AUTH" "$BASE/linode/instances/$id") == 404 ]] && break
        sleep 0.5
    done
done
MEDIAN=$(printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
ACCEL=$(grep -o 'accelerator [a-z]*' "$TMP/linnetd.log" | head -n 1 | cut -d' ' -f2)

summary=$(cat <<SUM
## $(date -u '+%Y-%m-%d %H:%M:%S UTC') — qemu

- commit $(git -C "$REPO" rev-parse --short HEAD), $(nproc) cores, accelerator ${ACCEL:-?}, g6-nanode-1 (1 vCPU, 1 GB)
- image build (debootstrap to registered linode/debian12): $BUILD s (target: under 300 s)
- create request to SSH answering: ${times[*]} s; median $MEDIAN s (target: under 45 s)
SUM
)
echo "$summary"
printf '\n%s\n' "$summary" >>"$RESULTS"
