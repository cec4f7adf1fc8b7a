#!/usr/bin/env bash
# Load test of the edge's cache-hit path against nginx serving the same files directly (the baseline),
# measured in alternation in the same run. See bench/README.md for the knobs and how to read the output.
#
#   bench/load/run.sh                      # 1k/16k/128k x 16/128 conns x 3 rounds x 5 s, about 4 minutes
#   SIZES=1k CONNS=16 ROUNDS=1 DURATION=2 bench/load/run.sh     # smoke test
#
# Installs nothing and builds nothing (except proxy/target/edge-proxy.jar when it is missing). Everything binds
# 127.0.0.1 on ports 186xx, every wrk/curl call is bounded by a timeout, and every process it starts is stopped
# by PID on exit (TERM, then KILL after 10 s), including on Ctrl-C.
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
export JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
HOST=127.0.0.1
ORIGIN_PORT=${ORIGIN_PORT:-18601}
EDGE_PORT=${EDGE_PORT:-18640}
ADMIN_PORT=${ADMIN_PORT:-18641}
SIZES=${SIZES:-"1k 16k 128k"}
CONNS=${CONNS:-"16 128"}
ROUNDS=${ROUNDS:-3}
DURATION=${DURATION:-5}          # seconds per wrk run
WARM_SECS=${WARM_SECS:-10}       # wrk seconds per size against the edge before measuring (JIT warm-up)
EDGE_JAR=${EDGE_JAR:-$ROOT/proxy/target/edge-proxy.jar}
EDGE_MEMORY=${EDGE_MEMORY:-256MiB}
OUT_DIR=${OUT_DIR:-}             # if set, raw.tsv, summary.md and the logs are copied there
KEEP_RUN=${KEEP_RUN:-0}          # 1: keep the temp dir (configs, logs, wrk output)
EDGE_JAVA_OPTS=${EDGE_JAVA_OPTS:-} # extra JVM options for the edge, e.g. -Dio.netty.allocator.type=pooled

die() { echo "run.sh: $*" >&2; exit 1; }

# --- preconditions -------------------------------------------------------------------------------------------
NGINX=${NGINX:-$(command -v nginx || echo /usr/sbin/nginx)}
missing=()
command -v wrk >/dev/null || missing+=(wrk)
[ -x "$NGINX" ] || missing+=(nginx)
if [ ${#missing[@]} -gt 0 ]; then
    die "missing ${missing[*]}; install with: apt-get install -y wrk nginx"
fi
for tool in curl python3 ss timeout; do command -v "$tool" >/dev/null || die "missing $tool"; done
[ -x "$JAVA_HOME/bin/java" ] || die "no JDK at $JAVA_HOME (set JAVA_HOME to a JDK 21+)"
for p in "$ORIGIN_PORT" "$EDGE_PORT" "$ADMIN_PORT"; do
    [[ $p =~ ^186[0-9][0-9]$ ]] || die "port $p is outside 18600-18699"
    [ -z "$(ss -ltnH "sport = :$p")" ] || die "port $p is busy"
done
if [ ! -f "$EDGE_JAR" ]; then
    echo "== $EDGE_JAR is missing: building the proxy module"
    (cd "$ROOT" && mvn -B -q -o -pl proxy package -DskipTests)
fi

# --- process bookkeeping -------------------------------------------------------------------------------------
RUN=$(mktemp -d "${TMPDIR:-/tmp}/edgeload.XXXXXX")
chmod 755 "$RUN" # nginx workers may run as www-data
PIDS=()
cleanup() {
    local pid waited
    for pid in "${PIDS[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
    for pid in "${PIDS[@]}"; do
        waited=0
        while kill -0 "$pid" 2>/dev/null && [ $waited -lt 100 ]; do sleep 0.1; waited=$((waited + 1)); done
        kill -KILL "$pid" 2>/dev/null || true
    done
    if [ -n "$OUT_DIR" ]; then
        mkdir -p "$OUT_DIR"
        cp -r "$RUN"/raw.tsv "$RUN"/summary.md "$RUN"/*.log "$RUN"/wrk "$OUT_DIR"/ 2>/dev/null || true
    fi
    if [ "$KEEP_RUN" = 1 ]; then echo "kept $RUN"; else rm -rf "$RUN"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

wait_listening() { # port, pid, what
    local i
    for i in $(seq 1 120); do
        [ -n "$(ss -ltnH "sport = :$1")" ] && return 0
        kill -0 "$2" 2>/dev/null || die "$3 exited during start-up (see its log in $RUN)"
        sleep 0.5
    done
    die "$3 did not listen on $1 within 60 s"
}

# --- origin: nginx serving the pages (also the nginx-direct baseline) ------------------------------------------
mkdir -p "$RUN/docroot" "$RUN/nginx-tmp" "$RUN/wrk"
for s in $SIZES; do
    case $s in 1k) n=1024 ;; 16k) n=16384 ;; 128k) n=131072 ;; *) die "unknown size $s (1k, 16k, 128k)" ;; esac
    # yes dies of SIGPIPE once head has enough, which pipefail would count as a failure
    { yes '<p>edge cache benchmark page, the same bytes for every target</p>' || true; } | head -c "$n" \
        > "$RUN/docroot/$s.html"
done
chmod -R a+rX "$RUN/docroot"
NGINX_USER=""
[ "$(id -u)" = 0 ] && NGINX_USER="user www-data;"
cat > "$RUN/nginx.conf" <<EOF
$NGINX_USER
worker_processes auto;
worker_rlimit_nofile 16384;
pid $RUN/nginx.pid;
error_log $RUN/nginx-error.log warn;
events { worker_connections 8192; }
http {
    access_log off;
    sendfile on;
    tcp_nopush on;
    tcp_nodelay on;
    keepalive_timeout 65;
    keepalive_requests 1000000;
    server_tokens off;
    open_file_cache max=20000 inactive=120s;
    open_file_cache_valid 120s;
    open_file_cache_min_uses 1;
    types { text/html html; }
    default_type text/html;
    client_body_temp_path $RUN/nginx-tmp/body;
    proxy_temp_path $RUN/nginx-tmp/proxy;
    fastcgi_temp_path $RUN/nginx-tmp/fastcgi;
    uwsgi_temp_path $RUN/nginx-tmp/uwsgi;
    scgi_temp_path $RUN/nginx-tmp/scgi;
    server {
        listen $HOST:$ORIGIN_PORT backlog=4096;
        root $RUN/docroot;
        location / { add_header Cache-Control "public, max-age=3600"; }
        location = /__origin_status { stub_status; }
    }
}
EOF
"$NGINX" -p "$RUN/" -c "$RUN/nginx.conf" -e "$RUN/nginx-error.log" -g 'daemon off;' > "$RUN/nginx.log" 2>&1 &
NGINX_PID=$!
PIDS+=("$NGINX_PID")
wait_listening "$ORIGIN_PORT" "$NGINX_PID" nginx

# --- the edge ----------------------------------------------------------------------------------------------------
TOKEN=$(od -An -tx1 -N16 /dev/urandom | tr -d ' \n')
cat > "$RUN/edge.yaml" <<EOF
listen: $HOST:$EDGE_PORT
origin:
  url: http://$HOST:$ORIGIN_PORT
store:
  path: $RUN/edge-store
  memory: $EDGE_MEMORY
admin:
  listen: $HOST:$ADMIN_PORT
  token: $TOKEN
routes:
  - {match: "/**", mode: persistent}
EOF
# run a copy: other people may rebuild proxy/target while this runs, and a jar rewritten under a JVM breaks it
cp -p "$EDGE_JAR" "$RUN/edge-proxy.jar"
# shellcheck disable=SC2086 # EDGE_JAVA_OPTS is a list of words
"$JAVA_HOME/bin/java" --sun-misc-unsafe-memory-access=allow --enable-native-access=ALL-UNNAMED -Xms512m -Xmx512m \
    $EDGE_JAVA_OPTS -jar "$RUN/edge-proxy.jar" --config "$RUN/edge.yaml" > "$RUN/edge.log" 2>&1 &
EDGE_PID=$!
PIDS+=("$EDGE_PID")
wait_listening "$EDGE_PORT" "$EDGE_PID" edge

# --- start-up check: the second GET of each page must be a 200 hit of the right length --------------------------
for s in $SIZES; do
    want=$(stat -c %s "$RUN/docroot/$s.html")
    curl -s --max-time 5 -o /dev/null "http://$HOST:$EDGE_PORT/$s.html" || die "edge did not answer /$s.html"
    head=$(curl -s --max-time 5 -D - -o /dev/null -w 'size=%{size_download}\n' "http://$HOST:$EDGE_PORT/$s.html")
    grep -q '^HTTP/1.1 200' <<<"$head" || die "edge /$s.html: $(echo "$head" | head -1)"
    grep -qi '^cache-status: edge; hit' <<<"$head" || die "edge /$s.html is not a hit: $head"
    grep -q "^size=$want\$" <<<"$head" || die "edge /$s.html: wrong length ($head)"
done
echo "== edge serves hits for: $SIZES"

# --- measurement helpers -----------------------------------------------------------------------------------------
TICK=$(getconf CLK_TCK)
tree_ticks() { # utime+stime of a process and its children (nginx workers), in clock ticks
    local total=0 p t
    for p in "$1" $(pgrep -P "$1" || true); do
        t=$(sed 's/^.*) //' "/proc/$p/stat" 2>/dev/null | awk '{print $12 + $13}') || t=0
        total=$((total + ${t:-0}))
    done
    echo "$total"
}
box_ticks() { awk '/^cpu /{print $2 + $3 + $4 + $7 + $8, $2 + $3 + $4 + $5 + $6 + $7 + $8 + $9}' /proc/stat; }
origin_requests() {
    curl -s --max-time 5 "http://$HOST:$ORIGIN_PORT/__origin_status" | awk 'NR == 3 {print $3}'
}
url_of() { # target size
    case $1 in nginx-direct) echo "http://$HOST:$ORIGIN_PORT/$2.html" ;; edge) echo "http://$HOST:$EDGE_PORT/$2.html" ;; esac
}
pid_of() { case $1 in nginx-direct) echo "$NGINX_PID" ;; edge) echo "$EDGE_PID" ;; esac; }

printf 'size\tconns\tround\ttarget\trequests\trps\tp50_us\tp99_us\terrors\tcpu_us_per_req\torigin_reqs\tbox_busy_cores\n' \
    > "$RUN/raw.tsv"

one_run() { # size conns round target
    local size=$1 conns=$2 round=$3 target=$4 pid out o0 o1 c0 c1 b0 b1 line
    pid=$(pid_of "$target")
    kill -0 "$pid" 2>/dev/null || die "$target (pid $pid) is gone; see the logs in $RUN"
    out="$RUN/wrk/$size-c$conns-r$round-$target.txt"
    o0=$(origin_requests); c0=$(tree_ticks "$pid"); read -r b0 b0all < <(box_ticks)
    timeout $((DURATION + 20)) wrk -t1 -c"$conns" -d"${DURATION}s" --timeout 5s --latency \
        -s "$HERE/report.lua" "$(url_of "$target" "$size")" > "$out" 2>&1 || echo "wrk failed: see $out" >&2
    c1=$(tree_ticks "$pid"); read -r b1 b1all < <(box_ticks); o1=$(origin_requests)
    line=$(grep '^RESULT' "$out" || true)
    [ -n "$line" ] || { echo "no RESULT line in $out" >&2; return 0; }
    python3 - "$size" "$conns" "$round" "$target" "$line" $((c1 - c0)) "$TICK" $((o1 - o0 - 1)) \
        $((b1 - b0)) $((b1all - b0all)) "$(nproc)" >> "$RUN/raw.tsv" <<'EOF'
import sys
size, conns, rnd, target, line, ticks, hz, origin, busy, total, ncpu = sys.argv[1:]
f = dict(kv.split("=") for kv in line.split()[1:])
reqs, secs = int(f["requests"]), int(f["duration_us"]) / 1e6
cpu = int(ticks) / int(hz) * 1e6 / max(reqs, 1)
cores = int(busy) / max(int(total), 1) * int(ncpu)
print("\t".join(map(str, [size, conns, rnd, target, reqs, round(reqs / secs), f["p50_us"], f["p99_us"],
                          int(f["errors"]) + int(f["non2xx"]), round(cpu, 2),
                          origin if target == "edge" else "-", round(cores, 2)])))
EOF
    tail -1 "$RUN/raw.tsv" | awk -F'\t' '{printf "  %-5s c=%-4s r%s %-13s %9s req/s  p50 %6.2f ms  p99 %7.2f ms  cpu %7s us/req  errors %s\n", $1, $2, $3, $4, $6, $7/1000, $8/1000, $10, $9}'
}

# --- warm-up: JIT and caches, both targets -----------------------------------------------------------------------
echo "== warm-up: ${WARM_SECS}s of wrk per size on the edge, 2 s on nginx"
for s in $SIZES; do
    timeout $((WARM_SECS + 20)) wrk -t1 -c16 -d"${WARM_SECS}s" "$(url_of edge "$s")" > /dev/null 2>&1 || true
    timeout 22 wrk -t1 -c16 -d2s "$(url_of nginx-direct "$s")" > /dev/null 2>&1 || true
done

# --- the grid: targets alternate within each cell, the first one swaps every round -----------------------------
echo "== grid: sizes {$SIZES} x conns {$CONNS} x $ROUNDS rounds x 2 targets, ${DURATION}s each"
for s in $SIZES; do
    for c in $CONNS; do
        for r in $(seq 1 "$ROUNDS"); do
            if [ $((r % 2)) = 1 ]; then order="nginx-direct edge"; else order="edge nginx-direct"; fi
            for t in $order; do one_run "$s" "$c" "$r" "$t"; done
        done
    done
done

{
    echo "# bench/load/run.sh, $(date -u '+%Y-%m-%d %H:%M UTC')"
    echo
    echo "wrk -t1 -cN -d${DURATION}s --latency, $ROUNDS rounds, alternating; edge heap 512m, memory tier $EDGE_MEMORY${EDGE_JAVA_OPTS:+, edge JVM options: $EDGE_JAVA_OPTS}."
    echo "Ratios are medians of per-round paired ratios (edge / nginx-direct); CPU is utime+stime from /proc."
    echo
    python3 "$HERE/summarize.py" "$RUN/raw.tsv"
    echo
    echo "Versions: $("$NGINX" -v 2>&1) | $(wrk -v 2>&1 | head -1 | cut -d" " -f1-2) | $("$JAVA_HOME/bin/java" -version 2>&1 | head -1)"
    echo "Edge jar: copy of $EDGE_JAR built $(date -u -r "$RUN/edge-proxy.jar" '+%Y-%m-%d %H:%M:%S UTC'),"\
        "sha256 $(sha256sum "$RUN/edge-proxy.jar" | cut -c1-12)"
} > "$RUN/summary.md"
echo
cat "$RUN/summary.md"
