#!/usr/bin/env bash
# Catalog throughput benchmark: linnetd vs. nginx serving the same bytes.
#
#   bash bench/catalog.sh
#
# Environment:
#   LINNET_BIN      linnetd binary (default: <repo>/build/linnetd)
#   BENCH_SECONDS   duration of each wrk run in seconds (default: 8)
#   NGINX_WORKERS   nginx worker_processes (default: auto, one per core)
#   BENCH_STRICT    if 1, exit 2 when a target from bench/README.md is missed
#   BENCH_RESULTS   markdown file to append to (default: <repo>/bench/results.md)
#
# Exit status: 0 measured (targets may still be missed, see the summary);
# 1 setup failed, or linnetd crashed / answered non-2xx / had socket errors
# under load; 2 (BENCH_STRICT=1 only) a target was missed.
set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BIN=${LINNET_BIN:-$REPO/build/linnetd}
SECS=${BENCH_SECONDS:-8}
NGINX_WORKERS=${NGINX_WORKERS:-auto}
WRK_THREADS=1
WRK_CONNS=32
LUA=$REPO/bench/report.lua
RESULTS=${BENCH_RESULTS:-$REPO/bench/results.md}
FILTER='{"+and":[{"class":"standard"},{"memory":{"+gte":4096}}],"+order_by":"memory","+order":"desc"}'

# Targets (see bench/README.md).
TARGET_RATIO=0.70          # linnetd regions req/s >= 70% of nginx, same run
TARGET_IDLE_RSS_KB=30720   # idle RSS under 30 MiB

die() { echo "catalog.sh: $*" >&2; exit 1; }

for tool in wrk nginx curl ss awk; do
    command -v "$tool" >/dev/null || die "$tool not found (apt-get install wrk nginx-light curl iproute2)"
done
[[ -x $BIN ]] || die "linnetd binary not found or not executable: $BIN (set LINNET_BIN)"
[[ $SECS =~ ^[0-9]+$ && $SECS -gt 0 ]] || die "BENCH_SECONDS must be a positive integer, got '$SECS'"

TMP=$(mktemp -d "${TMPDIR:-/tmp}/linnet-bench.XXXXXX")
LINNET_PID=""
NGINX_PID=""

stop_pid() { # pid name: TERM, wait up to 5 s, then KILL
    local pid=$1 name=$2 i
    [[ -n $pid ]] || return 0
    kill -0 "$pid" 2>/dev/null || return 0
    kill -TERM "$pid" 2>/dev/null || true
    for i in $(seq 1 50); do
        kill -0 "$pid" 2>/dev/null || return 0
        sleep 0.1
    done
    echo "catalog.sh: $name (pid $pid) ignored SIGTERM, sending SIGKILL" >&2
    kill -KILL "$pid" 2>/dev/null || true
}

cleanup() {
    local rc=$?
    set +e
    if [[ -n $NGINX_PID ]]; then
        # Remember the workers in case the master has to be killed hard.
        local workers
        workers=$(ps -o pid= --ppid "$NGINX_PID" 2>/dev/null)
        stop_pid "$NGINX_PID" nginx
        wait "$NGINX_PID" 2>/dev/null
        for w in $workers; do stop_pid "$w" nginx-worker; done
    fi
    if [[ -n $LINNET_PID ]]; then
        stop_pid "$LINNET_PID" linnetd
        wait "$LINNET_PID" 2>/dev/null
    fi
    rm -rf "$TMP"
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

USED_PORTS=" "
free_port() { # a 127.0.0.1 TCP port nobody listens on, not handed out before
    local p i
    for i in $(seq 1 500); do
        p=$((20000 + RANDOM % 40000))
        [[ $USED_PORTS == *" $p "* ]] && continue
        if [[ -z $(ss -Hltn "sport = :$p") ]]; then
            USED_PORTS+="$p "
            echo "$p"
            return 0
        fi
    done
    return 1
}

rss_kb() { awk '/^VmRSS:/ {print $2}' "/proc/$1/status"; }
hwm_kb() { awk '/^VmHWM:/ {print $2}' "/proc/$1/status"; }
mib() { awk -v k="$1" 'BEGIN {printf "%.1f", k / 1024}'; }
ms() { awk -v u="$1" 'BEGIN {printf "%.2f", u / 1000}'; }

# ---------------------------------------------------------------- linnetd
LPORT=$(free_port) || die "no free port"
mkdir -p "$TMP/data"
LINNET_RATE_LIMITS=off "$BIN" serve --data "$TMP/data" --listen "127.0.0.1:$LPORT" \
    >"$TMP/linnetd.log" 2>&1 &
LINNET_PID=$!
LBASE="http://127.0.0.1:$LPORT"

for i in $(seq 1 100); do
    kill -0 "$LINNET_PID" 2>/dev/null || { tail -n 20 "$TMP/linnetd.log" >&2; die "linnetd exited during start-up"; }
    [[ $(curl -s -o /dev/null -w '%{http_code}' "$LBASE/healthz" || true) == 200 ]] && break
    if [[ $i == 100 ]]; then tail -n 20 "$TMP/linnetd.log" >&2; die "linnetd did not answer GET /healthz within 10 s"; fi
    sleep 0.1
done
RSS_IDLE=$(rss_kb "$LINNET_PID")

code=$(curl -s -o "$TMP/regions.json" -w '%{http_code}' "$LBASE/v4/regions")
[[ $code == 200 ]] || die "GET /v4/regions answered $code"
BODY_BYTES=$(stat -c %s "$TMP/regions.json")

code=$(curl -s -o "$TMP/types.json" -w '%{http_code}' -H "X-Filter: $FILTER" "$LBASE/v4/linode/types")
[[ $code == 200 ]] || die "GET /v4/linode/types with X-Filter answered $code"
TYPES_BYTES=$(stat -c %s "$TMP/types.json")
TYPES_RESULTS=$(grep -o '"results": *[0-9]*' "$TMP/types.json" | grep -o '[0-9]*$' || echo '?')

# ---------------------------------------------------------------- nginx
NPORT=$(free_port) || die "no free port"
NG=$TMP/nginx
mkdir -p "$NG/www/v4" "$NG/tmp"
cp "$TMP/regions.json" "$NG/www/v4/regions"
cat >"$NG/nginx.conf" <<EOF
user root;  # workers must read the 0700 temp dir
worker_processes $NGINX_WORKERS;
pid $NG/nginx.pid;
error_log $NG/error.log warn;
events { worker_connections 1024; }
http {
    access_log $NG/access.log;
    client_body_temp_path $NG/tmp/client_body;
    proxy_temp_path $NG/tmp/proxy;
    fastcgi_temp_path $NG/tmp/fastcgi;
    uwsgi_temp_path $NG/tmp/uwsgi;
    scgi_temp_path $NG/tmp/scgi;
    sendfile on;
    tcp_nopush on;
    server {
        listen 127.0.0.1:$NPORT;
        root $NG/www;
        location = /v4/regions { default_type application/json; }
    }
}
EOF
nginx -p "$NG" -c "$NG/nginx.conf" -e "$NG/error.log" -t >"$NG/configtest.log" 2>&1 \
    || { cat "$NG/configtest.log" >&2; die "nginx config test failed"; }
nginx -p "$NG" -c "$NG/nginx.conf" -e "$NG/error.log" -g 'daemon off;' >"$NG/stdout.log" 2>&1 &
NGINX_PID=$!
NBASE="http://127.0.0.1:$NPORT"
for i in $(seq 1 100); do
    kill -0 "$NGINX_PID" 2>/dev/null || { tail -n 20 "$NG/error.log" >&2; die "nginx exited during start-up"; }
    [[ $(curl -s -o /dev/null -w '%{http_code}' "$NBASE/v4/regions" || true) == 200 ]] && break
    if [[ $i == 100 ]]; then tail -n 20 "$NG/error.log" >&2; die "nginx did not answer within 10 s"; fi
    sleep 0.1
done
curl -s -o "$TMP/regions.nginx" -D "$TMP/regions.nginx.hdr" "$NBASE/v4/regions"
cmp -s "$TMP/regions.json" "$TMP/regions.nginx" || die "nginx body differs from linnetd's"
grep -qi '^content-type: application/json' "$TMP/regions.nginx.hdr" || die "nginx content type is not application/json"

# ---------------------------------------------------------------- load
declare -A R
FAILURES=()

run_wrk() { # name url [wrk args...]
    local name=$1 url=$2 rc=0 line kv
    shift 2
    echo
    local shown=" "
    if (($#)); then shown=" $(printf '%q ' "$@")"; fi
    echo "=== $name: wrk -t$WRK_THREADS -c$WRK_CONNS -d${SECS}s --latency${shown}$url"
    wrk -t"$WRK_THREADS" -c"$WRK_CONNS" -d"${SECS}s" --latency -s "$LUA" "$@" "$url" \
        >"$TMP/wrk-$name.txt" 2>&1 || rc=$?
    grep -v '^BENCH ' "$TMP/wrk-$name.txt" || true
    line=$(grep '^BENCH ' "$TMP/wrk-$name.txt" | tail -n1 || true)
    if [[ $rc != 0 || -z $line ]]; then
        FAILURES+=("$name: wrk failed (exit $rc)")
        R[$name.rps]=0
        return
    fi
    for kv in ${line#BENCH }; do R[$name.${kv%%=*}]=${kv#*=}; done
    R[$name.sockerr]=$(( R[$name.connect_err] + R[$name.read_err] + R[$name.write_err] + R[$name.timeout_err] ))
}

linnetd_alive() { # name
    if ! kill -0 "$LINNET_PID" 2>/dev/null; then
        FAILURES+=("$1: linnetd is no longer running after the load (crashed?)")
        return 1
    fi
}

run_wrk nginx-regions "$NBASE/v4/regions"
run_wrk linnetd-regions "$LBASE/v4/regions"
linnetd_alive linnetd-regions || true
run_wrk linnetd-types-filter "$LBASE/v4/linode/types" -H "X-Filter: $FILTER"
LINNET_ALIVE=yes
linnetd_alive linnetd-types-filter || LINNET_ALIVE=no

if [[ $LINNET_ALIVE == yes ]]; then
    RSS_AFTER=$(rss_kb "$LINNET_PID")
    RSS_PEAK=$(hwm_kb "$LINNET_PID")
    # Still correct after the load?
    code=$(curl -s -o "$TMP/regions.after" -w '%{http_code}' "$LBASE/v4/regions" || true)
    if [[ $code != 200 ]] || ! cmp -s "$TMP/regions.json" "$TMP/regions.after"; then
        FAILURES+=("after load: GET /v4/regions answered $code or a different body")
    fi
else
    RSS_AFTER=n/a
    RSS_PEAK=n/a
fi

for name in nginx-regions linnetd-regions linnetd-types-filter; do
    if [[ ${R[$name.rps]} == 0 ]]; then continue; fi
    if [[ ${R[$name.status_err]} != 0 ]]; then
        FAILURES+=("$name: ${R[$name.status_err]} non-2xx/3xx responses of ${R[$name.requests]}")
    fi
    if [[ ${R[$name.sockerr]} != 0 ]]; then
        FAILURES+=("$name: socket errors connect=${R[$name.connect_err]} read=${R[$name.read_err]} write=${R[$name.write_err]} timeout=${R[$name.timeout_err]}")
    fi
done

# ---------------------------------------------------------------- summary
RATIO=$(awk -v l="${R[linnetd-regions.rps]}" -v n="${R[nginx-regions.rps]}" \
    'BEGIN {if (n > 0) printf "%.3f", l / n; else print "n/a"}')
ratio_ok=$(awk -v r="$RATIO" -v t="$TARGET_RATIO" 'BEGIN {print (r != "n/a" && r + 0 >= t) ? "PASS" : "FAIL"}')
idle_ok=$( ((RSS_IDLE < TARGET_IDLE_RSS_KB)) && echo PASS || echo FAIL)

row() { # name label -> "label|rps|p50|p99|non2xx|sockerr"
    local n=$1
    if [[ ${R[$n.rps]} == 0 ]]; then
        echo "$2|failed|-|-|-|-"
    else
        printf '%s|%.0f|%s|%s|%s|%s\n' "$2" "${R[$n.rps]}" "$(ms "${R[$n.p50_us]}")" \
            "$(ms "${R[$n.p99_us]}")" "${R[$n.status_err]}" "${R[$n.sockerr]}"
    fi
}
ROWS=$(
    row nginx-regions "nginx /v4/regions (static)"
    row linnetd-regions "linnetd /v4/regions"
    row linnetd-types-filter "linnetd /v4/linode/types + X-Filter"
)

COMMIT=$(git -C "$REPO" rev-parse --short HEAD 2>/dev/null || echo unknown)
if [[ -n $(git -C "$REPO" status --porcelain -- src 2>/dev/null) ]]; then COMMIT+=" (src/ has uncommitted changes)"; fi
BIN_SHA=$(sha256sum "$BIN" | cut -c1-12)
CPU=$(awk -F': ' '/^model name/ {print $2; exit}' /proc/cpuinfo)
CORES=$(nproc)
NOW=$(date -u '+%Y-%m-%d %H:%M:%S UTC')

echo
echo "================ catalog benchmark summary ($NOW) ================"
echo "wrk -t$WRK_THREADS -c$WRK_CONNS -d${SECS}s --latency; $CORES cores ($CPU); nginx worker_processes $NGINX_WORKERS"
echo "linnetd $BIN (sha256 $BIN_SHA, commit $COMMIT)"
echo
{
    echo "scenario|req/s|p50 ms|p99 ms|non-2xx|socket errors"
    echo "$ROWS"
} | column -t -s '|' -R 2,3,4,5,6
echo
echo "regions body:                $BODY_BYTES bytes ($(awk -v b="$BODY_BYTES" 'BEGIN {printf "%.1f", b / 1024}') KiB)"
echo "types + X-Filter body:       $TYPES_BYTES bytes, results=$TYPES_RESULTS"
echo "linnetd/nginx regions req/s: $RATIO (target >= $TARGET_RATIO: $ratio_ok)"
echo "linnetd RSS idle after start: $RSS_IDLE kB ($(mib "$RSS_IDLE") MiB) (target < 30 MiB: $idle_ok)"
if [[ $LINNET_ALIVE == yes ]]; then
    echo "linnetd RSS after load:       $RSS_AFTER kB ($(mib "$RSS_AFTER") MiB); peak VmHWM $RSS_PEAK kB ($(mib "$RSS_PEAK") MiB)"
else
    echo "linnetd RSS after load:       n/a (linnetd not running)"
fi
if ((${#FAILURES[@]})); then
    echo
    echo "PROBLEMS:"
    printf '  - %s\n' "${FAILURES[@]}"
    if [[ $LINNET_ALIVE == no ]]; then
        echo "  linnetd log tail:"
        tail -n 20 "$TMP/linnetd.log" | sed 's/^/    /'
    fi
fi

# ---------------------------------------------------------------- results.md
if [[ ! -f $RESULTS ]]; then
    cat >"$RESULTS" <<'EOF'
# Linnet benchmark results

Appended by the scripts in bench/ (see bench/README.md), newest last.
Figures from different machines or different runs are not comparable;
compare linnetd with nginx only within one section.
EOF
fi
{
    echo
    echo "## $NOW — catalog"
    echo
    echo "- commit $COMMIT, binary sha256 $BIN_SHA"
    echo "- $CORES cores ($CPU); wrk -t$WRK_THREADS -c$WRK_CONNS -d${SECS}s; nginx worker_processes $NGINX_WORKERS"
    echo
    echo "| scenario | req/s | p50 ms | p99 ms | non-2xx | socket errors |"
    echo "| --- | ---: | ---: | ---: | ---: | ---: |"
    while IFS='|' read -r a b c d e f; do
        echo "| $a | $b | $c | $d | $e | $f |"
    done <<<"$ROWS"
    echo
    echo "- regions body: $BODY_BYTES bytes; types + X-Filter body: $TYPES_BYTES bytes, results=$TYPES_RESULTS"
    echo "- linnetd/nginx regions req/s: **$RATIO** (target >= $TARGET_RATIO: $ratio_ok)"
    echo "- linnetd RSS idle: $RSS_IDLE kB (target < 30 MiB: $idle_ok); after load: $RSS_AFTER kB; peak (VmHWM): $RSS_PEAK kB"
    if ((${#FAILURES[@]})); then
        echo "- problems:"
        printf '  - %s\n' "${FAILURES[@]}"
    fi
} >>"$RESULTS"
echo
echo "appended to $RESULTS"

if ((${#FAILURES[@]})); then
    # A broken nginx baseline is a setup failure too; either way the figures are not trustworthy.
    exit 1
fi
if [[ ${BENCH_STRICT:-0} == 1 && ($ratio_ok != PASS || $idle_ok != PASS) ]]; then
    exit 2
fi
exit 0
