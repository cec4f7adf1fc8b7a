#!/usr/bin/env bash
# The million-page scenario of issue 12: fill the edge's store with PAGES distinct 4 KiB pages through the edge
# (misses from a fast nginx origin), crash it (kill -9) and restart it, stop it cleanly and restart it, then read
# hot keys, uniformly random keys and Zipfian keys over all pages in the same run, with the edge's RSS and GC
# pauses. See bench/README.md ("Million pages") for the knobs and how to read the output.
#
#   bench/load/million.sh                        # 1,000,000 pages, store.memory 64MiB (fill ~4-5 min, reads ~4 min)
#   bench/load/million.sh --quick                # smoke run: 20,000 pages, short runs, about 2 minutes
#   PAGES=200000 DURATION=15 bench/load/million.sh
#   KEEP_STORE=1 STORE_DIR=/var/tmp/m1 bench/load/million.sh   # keeps the filled store; the next run skips the fill
#   EDGE_GC=zgc bench/load/million.sh                 # another collector (bin/edge's EDGE_GC: g1, zgc, parallel)
#
# Installs nothing. Builds proxy/target/edge-proxy.jar only when it is missing. Everything binds 127.0.0.1 on ports
# 186xx; every wrk, curl and probe is bounded in time; every process it starts is stopped by PID on exit (TERM,
# then KILL after 10 s), Ctrl-C included; the store is deleted at exit unless KEEP_STORE=1.
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
export JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
# the command line to report: the knobs given in the environment, before any default is applied
COMMAND=""
for v in QUICK PAGES PAGE_BYTES MEMORY HOT_KEYS ZIPF_S DURATION PRE_SECS WARM_SECS ROUNDS CONNS FILL_CONNS WRK_THREADS \
    CHECK_HITS ACCEPT_ENCODING ROUTE_MODE KEEP_STORE STORE_DIR EDGE_HEAP EDGE_GC EDGE_JAVA_OPTS EDGE_JAR; do
    if [ -n "${!v:-}" ]; then COMMAND+="$v=$(printf '%q' "${!v}") "; fi
done
COMMAND+="bench/load/million.sh${1:+ $1}"
QUICK=${QUICK:-0}
[ "${1:-}" = --quick ] && QUICK=1
if [ "$QUICK" = 1 ]; then
    : "${PAGES:=20000}" "${DURATION:=5}" "${PRE_SECS:=2}" "${WARM_SECS:=5}" "${ROUNDS:=1}"
fi
HOST=127.0.0.1
ORIGIN_PORT=${ORIGIN_PORT:-18611}
EDGE_PORT=${EDGE_PORT:-18650}
ADMIN_PORT=${ADMIN_PORT:-18651}
PAGES=${PAGES:-1000000}          # pages filled and read
PAGE_BYTES=${PAGE_BYTES:-4096}   # body bytes of every page
MEMORY=${MEMORY:-64MiB}          # the edge's store.memory
HOT_KEYS=${HOT_KEYS:-1000}       # the hot set: pages 0..HOT_KEYS-1 (4 MiB of bodies at 4 KiB)
ZIPF_S=${ZIPF_S:-1.0}            # Zipf exponent of the zipf run
DURATION=${DURATION:-20}         # seconds per measured read run
PRE_SECS=${PRE_SECS:-3}          # seconds of the same keys before each measured run (not measured)
WARM_SECS=${WARM_SECS:-15}       # JIT warm-up of the reading process (hot keys), before the first run
ROUNDS=${ROUNDS:-2}              # rounds of the three read runs (order hot uniform zipf, then reversed)
CONNS=${CONNS:-64}               # wrk connections of the read runs
FILL_CONNS=${FILL_CONNS:-64}     # wrk connections of the fill
WRK_THREADS=${WRK_THREADS:-1}    # wrk threads (wrk shares the 2 cores with the edge and the origin)
CHECK_HITS=${CHECK_HITS:-1}      # 1: count answers whose Cache-Status has no "hit" (costs wrk some CPU)
ACCEPT_ENCODING=${ACCEPT_ENCODING:-} # e.g. "gzip, br": reads ask for the stored compressed copies
ROUTE_MODE=${ROUTE_MODE:-persistent} # persistent, or http (the origin sends max-age of a year)
KEEP_STORE=${KEEP_STORE:-0}      # 1: keep the store after the run, and reuse a store this script filled before
STORE_DIR=${STORE_DIR:-}         # the RocksDB directory; default: in the run's temp dir (KEEP_STORE=1: see below)
FILL_TIMEOUT=${FILL_TIMEOUT:-$((PAGES / 200 + 600))} # bound on the fill, seconds
STALL_SECS=${STALL_SECS:-60}     # the fill is abandoned when the origin sees no request for this long
PROGRESS_SECS=${PROGRESS_SECS:-10} # fill progress line every N seconds
RESTART_TIMEOUT=${RESTART_TIMEOUT:-60} # bound on each restart probe, seconds
OUT_DIR=${OUT_DIR:-}             # if set: summary.md and the raw files are copied there
KEEP_RUN=${KEEP_RUN:-0}          # 1: keep the temp dir (configs, logs, wrk output, GC logs, RSS samples)
USER_JAVA_OPTS=${EDGE_JAVA_OPTS:-} # extra JVM flags for the edge, after bin/edge's and the GC log's (they win)
# EDGE_HEAP (bin/edge's heap override) and EDGE_JAR pass through to bin/edge unchanged.
KEY_WIDTH=$(( ${#PAGES} > 7 ? ${#PAGES} : 7 ))

die() { echo "million.sh: $*" >&2; exit 1; }
say() { echo "[$(date -u +%H:%M:%S)] $*"; }

# --- preconditions -------------------------------------------------------------------------------------------
NGINX=${NGINX:-$(command -v nginx || echo /usr/sbin/nginx)}
missing=()
command -v wrk >/dev/null || missing+=(wrk)
[ -x "$NGINX" ] || missing+=(nginx)
for tool in curl python3; do command -v "$tool" >/dev/null || missing+=("$tool"); done
[ ${#missing[@]} = 0 ] || die "missing ${missing[*]}; install with: apt-get install -y ${missing[*]}"
for tool in ss timeout du df; do command -v "$tool" >/dev/null || die "missing $tool (iproute2 / coreutils)"; done
case "$("$NGINX" -V 2>&1)" in *with-http_sub_module*) ;; *) die "$NGINX lacks the sub module (Debian's has it)" ;; esac
[ -x "$JAVA_HOME/bin/java" ] || die "no JDK at $JAVA_HOME (set JAVA_HOME to a JDK 25)"
[[ $PAGES =~ ^[0-9]+$ ]] && [ "$PAGES" -ge 1000 ] || die "PAGES must be a number >= 1000"
[[ $HOT_KEYS =~ ^[0-9]+$ ]] && [ "$HOT_KEYS" -ge 1 ] && [ "$HOT_KEYS" -le "$PAGES" ] || die "HOT_KEYS must be in 1..PAGES"
[[ $PAGE_BYTES =~ ^[0-9]+$ ]] && [ "$PAGE_BYTES" -ge 2048 ] || die "PAGE_BYTES must be >= 2048"
case $ROUTE_MODE in persistent | http) ;; *) die "ROUTE_MODE must be persistent or http" ;; esac
MEMORY_MIB=$(python3 -c '
import re, sys
m = re.fullmatch(r"(\d+)(B|KiB|MiB|GiB)", sys.argv[1]) or sys.exit(1)
print(int(m[1]) * {"B": 2**-20, "KiB": 2**-10, "MiB": 1, "GiB": 1024}[m[2]])' "$MEMORY") \
    || die "MEMORY must look like 64MiB (B, KiB, MiB or GiB)"
for p in "$ORIGIN_PORT" "$EDGE_PORT" "$ADMIN_PORT"; do
    [[ $p =~ ^186[0-9][0-9]$ ]] || die "port $p is outside 18600-18699"
    [ -z "$(ss -ltnH "sport = :$p")" ] || die "port $p is busy"
done
EDGE_JAR_SRC=${EDGE_JAR:-$ROOT/proxy/target/edge-proxy.jar}
if [ ! -f "$EDGE_JAR_SRC" ]; then
    say "$EDGE_JAR_SRC is missing: building it (mvn -B -o -q -DskipTests package -pl common,proxy)"
    (cd "$ROOT" && mvn -B -o -q -DskipTests package -pl common,proxy) || die "the build failed"
fi

# --- run directory, store directory, process bookkeeping ------------------------------------------------------
RUN=$(mktemp -d "${TMPDIR:-/tmp}/edgemillion.XXXXXX")
chmod 755 "$RUN" # nginx workers run as www-data when we are root
mkdir -p "$RUN/wrk" "$RUN/metrics"
if [ -z "$STORE_DIR" ]; then
    if [ "$KEEP_STORE" = 1 ]; then
        STORE_DIR=${TMPDIR:-/tmp}/edge-million-store-$PAGES-$PAGE_BYTES
    else
        STORE_DIR=$RUN/store
    fi
fi
STORE_DIR=$(realpath -m "$STORE_DIR")
MARK=$STORE_DIR.million # written next to the store once a fill completed: "pages page_bytes"
CREATED_STORE=0
PIDS=()
forget_pid() { local p keep=(); for p in "${PIDS[@]}"; do [ "$p" = "$1" ] || keep+=("$p"); done; PIDS=("${keep[@]}"); }
stop_pid() { # TERM, wait up to 10 s, then KILL: that PID only
    local pid=$1 i
    kill -TERM "$pid" 2>/dev/null || { forget_pid "$pid"; return 0; }
    for i in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
    forget_pid "$pid"
}
cleanup() {
    local i
    for ((i = ${#PIDS[@]} - 1; i >= 0; i--)); do stop_pid "${PIDS[i]}"; done
    if [ -n "$OUT_DIR" ]; then
        mkdir -p "$OUT_DIR"
        cp -r "$RUN"/summary.md "$RUN"/facts.txt "$RUN"/runs.tsv "$RUN"/*.json "$RUN"/*.log "$RUN"/*.tsv \
            "$RUN"/wrk "$RUN"/metrics "$RUN"/edge.yaml "$OUT_DIR"/ 2>/dev/null || true
    fi
    # a store this run created goes, unless it is to be kept and complete (a half-filled store is of no use)
    if [ "$CREATED_STORE" = 1 ] && { [ "$KEEP_STORE" != 1 ] || [ ! -f "$MARK" ]; }; then rm -rf "$STORE_DIR" "$MARK"; fi
    if [ "$KEEP_RUN" = 1 ]; then echo "kept $RUN"; else rm -rf "$RUN"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

FILL=1
if [ -e "$STORE_DIR" ]; then
    if [ -f "$MARK" ] && [ "$(cat "$MARK")" = "$PAGES $PAGE_BYTES" ] && [ "$KEEP_STORE" = 1 ]; then
        FILL=0
    elif [ -f "$MARK" ]; then
        # ours, from an earlier run: refill it
        rm -rf "$STORE_DIR" "$MARK"
    elif [ -n "$(ls -A "$STORE_DIR")" ]; then
        die "$STORE_DIR exists and was not filled by this script (no $MARK); give an empty or new STORE_DIR"
    fi
fi
if [ "$FILL" = 1 ]; then
    mkdir -p "$STORE_DIR"
    CREATED_STORE=1
    # a page takes about 6 KiB on disk (body, brotli and gzip copies, keys, RocksDB overhead): ask for 2x that
    need_mib=$((PAGES * 12 / 1024))
    free_mib=$(df -Pm "$STORE_DIR" | awk 'NR == 2 {print $4}')
    [ "$free_mib" -gt "$need_mib" ] || die "$STORE_DIR has ${free_mib} MiB free; the fill wants about ${need_mib} MiB"
fi

FACTS=$RUN/facts.txt
fact() { printf '%s=%s\n' "$1" "$2" >> "$FACTS"; }
fact date "$(date -u '+%Y-%m-%d %H:%M:%S UTC')"
fact machine "$(uname -srm), $(nproc) cores ($(awk -F': ' '/^model name/ {print $2; exit}' /proc/cpuinfo)), \
$(awk '/^MemTotal/ {printf "%.1f GiB RAM", $2 / 1048576}' /proc/meminfo)"
fact loadavg_start "$(cut -d' ' -f1-3 /proc/loadavg)"
fact command "$COMMAND"
fact pages "$PAGES"; fact page_bytes "$PAGE_BYTES"; fact memory "$MEMORY"; fact memory_mib "$MEMORY_MIB"
fact hot_keys "$HOT_KEYS"; fact zipf_s "$ZIPF_S"; fact duration "$DURATION"; fact pre_secs "$PRE_SECS"
fact rounds "$ROUNDS"; fact conns "$CONNS"; fact fill_conns "$FILL_CONNS"; fact key_width "$KEY_WIDTH"
fact templates 100; fact store_dir "$STORE_DIR"; fact hz "$(getconf CLK_TCK)"
fact versions "$("$NGINX" -v 2>&1 | sed 's/^nginx version: //'), $(wrk -v 2>&1 | head -1 | cut -d' ' -f1-2), \
$("$JAVA_HOME/bin/java" -version 2>&1 | head -1), $(python3 -V)"

# run a copy of the jar: other people may rebuild proxy/target while this runs
cp -p "$EDGE_JAR_SRC" "$RUN/edge-proxy.jar"
commit=$(git -C "$ROOT" describe --always --dirty --abbrev=10 2>/dev/null || echo unknown)
fact jar "$EDGE_JAR_SRC (HEAD $commit; jar built $(date -u -r "$EDGE_JAR_SRC" '+%Y-%m-%d %H:%M UTC'), \
sha256 $(sha256sum "$RUN/edge-proxy.jar" | cut -c1-12))"

wait_listening() { # port pid what
    local i
    for i in $(seq 1 600); do
        [ -n "$(ss -ltnH "sport = :$1")" ] && return 0
        kill -0 "$2" 2>/dev/null || die "$3 exited during start-up (see its log in $RUN)"
        sleep 0.1
    done
    die "$3 did not listen on $1 within 60 s"
}

# --- origin: nginx, one page per path from 100 blog-post templates ---------------------------------------------
# /post/<n> is template <last two digits of n> with the number written into it (sub_filter, so the answer is
# chunked, as from a real renderer); Cache-Control: a year, so that http routes store it too.
say "origin: generating 100 page templates ($PAGE_BYTES B each once numbered)"
python3 "$HERE/million.py" pages "$RUN/docroot" --width "$KEY_WIDTH" --size "$PAGE_BYTES"
chmod -R a+rX "$RUN/docroot"
mkdir -p "$RUN/nginx-tmp"
NGINX_USER=""
[ "$(id -u)" = 0 ] && NGINX_USER="user www-data;"
cat > "$RUN/nginx.conf" <<EOF
$NGINX_USER
worker_processes 2;
worker_rlimit_nofile 16384;
pid $RUN/nginx.pid;
error_log $RUN/nginx-error.log warn;
events { worker_connections 8192; }
http {
    access_log off;
    tcp_nodelay on;
    keepalive_timeout 65;
    keepalive_requests 1000000;
    server_tokens off;
    open_file_cache max=200 inactive=600s;
    open_file_cache_valid 600s;
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
        location ~ "^/post/(?<num>[0-9]*(?<tpl>[0-9][0-9]))\$" {
            try_files /t/\$tpl.html =404;
            sub_filter '@NUM@' '\$num';
            sub_filter_once off;
            add_header Cache-Control "public, max-age=31536000";
        }
        location = /__bench/idle { return 204; }
        location = /__origin_status { stub_status; }
        location / { return 404; }
    }
}
EOF
"$NGINX" -p "$RUN/" -c "$RUN/nginx.conf" -e "$RUN/nginx-error.log" -g 'daemon off;' > "$RUN/nginx.log" 2>&1 &
NGINX_PID=$!
PIDS+=("$NGINX_PID")
wait_listening "$ORIGIN_PORT" "$NGINX_PID" nginx
origin_requests() { curl -s --max-time 5 "http://$HOST:$ORIGIN_PORT/__origin_status" | awk 'NR == 3 {print $3}'; }
page_url() { printf "http://$HOST:%s/post/%0${KEY_WIDTH}d" "$1" "$2"; }
got=$(curl -s --max-time 5 -o /dev/null -w '%{http_code} %{size_download} %{content_type}' "$(page_url "$ORIGIN_PORT" 12345)")
[ "$got" = "200 $PAGE_BYTES text/html" ] || die "origin: /post/12345 gave '$got', not '200 $PAGE_BYTES text/html'"

export LOAD_DIR=$HERE KEY_WIDTH ZIPF_S CHECK_HITS ACCEPT_ENCODING THREADS=$WRK_THREADS
KEYS=$PAGES DIST=uniform CHECK_HITS=0 timeout -k 5 30 wrk -t"$WRK_THREADS" -c"$CONNS" -d3s --timeout 5s \
    -s "$HERE/million-read.lua" "http://$HOST:$ORIGIN_PORT/" > "$RUN/wrk/origin.txt" 2>&1 || true
origin_rps=$(awk '/^RESULT / {split($2, r, "="); split($3, d, "="); if (d[2] > 0) printf "%d", r[2] / (d[2] / 1e6)}' \
    "$RUN/wrk/origin.txt")
origin_rps=${origin_rps:-0}
fact origin_rps "$origin_rps"
say "origin: nginx on $HOST:$ORIGIN_PORT serves $origin_rps req/s alone (uniform keys, $CONNS conns, 3 s)"
[ "$origin_rps" -ge 20000 ] || say "WARNING: the origin serves under 20,000 req/s: the fill rate may be the origin's"

# --- the edge, started by bin/edge ---------------------------------------------------------------------------
export EDGE_ADMIN_TOKEN
EDGE_ADMIN_TOKEN=$(od -An -tx1 -N16 /dev/urandom | tr -d ' \n')
cat > "$RUN/edge.yaml" <<EOF
listen: $HOST:$EDGE_PORT
origin:
  url: http://$HOST:$ORIGIN_PORT
store:
  path: $STORE_DIR
  memory: $MEMORY
admin:
  listen: $HOST:$ADMIN_PORT
  token: \${EDGE_ADMIN_TOKEN}
limits:
  max-connections-per-client: 0
routes:
  - {match: /__bench/idle, mode: pass}
  - {match: "/**", mode: $ROUTE_MODE}
EOF

EDGE_PID=""
RSS_PID=""
start_edge() { # phase: spawns bin/edge (GC log gc-PHASE.log, output edge-PHASE.log, RSS samples rss-PHASE.tsv)
    local phase=$1
    : > "$RUN/rss-$phase.tsv"
    EDGE_T0=$(date +%s%N)
    EDGE_JAVA_OPTS="-Xlog:gc*:file=$RUN/gc-$phase.log:utctime,uptime,level,tags:filecount=0 $USER_JAVA_OPTS" \
        EDGE_JAR="$RUN/edge-proxy.jar" "$ROOT/bin/edge" --config "$RUN/edge.yaml" > "$RUN/edge-$phase.log" 2>&1 &
    EDGE_PID=$!
    PIDS+=("$EDGE_PID")
    fact "t0_$phase" "$EDGE_T0"
    ( # RSS sampler: "epoch-seconds rss-KiB" every 0.25 s while the edge lives
        pid=$EDGE_PID
        while [ -r "/proc/$pid/status" ]; do
            while read -r key value _; do
                if [ "$key" = VmRSS: ]; then echo "$EPOCHREALTIME $value"; break; fi
            done < "/proc/$pid/status" 2>/dev/null || true
            sleep 0.25
        done
    ) >> "$RUN/rss-$phase.tsv" &
    RSS_PID=$!
    PIDS+=("$RSS_PID")
}
edge_gone() { # after the edge exited: reap it and its sampler
    wait "$EDGE_PID" 2>/dev/null || true
    forget_pid "$EDGE_PID"
    stop_pid "$RSS_PID"
}
term_edge() { # clean stop; sets TERM_MS, the milliseconds it took
    local t0 i
    t0=$(date +%s%N)
    kill -TERM "$EDGE_PID"
    for i in $(seq 1 600); do kill -0 "$EDGE_PID" 2>/dev/null || break; sleep 0.05; done
    kill -0 "$EDGE_PID" 2>/dev/null && die "the edge did not stop within 30 s of TERM (see $RUN/edge-*.log)"
    TERM_MS=$((($(date +%s%N) - t0) / 1000000))
    edge_gone
}
kill9_edge() {
    { kill -KILL "$EDGE_PID"; wait "$EDGE_PID"; } 2>/dev/null || true # (wait: no "Killed" notice from bash)
    edge_gone
}
probe() { # name: polls from EDGE_T0 until a hit from the store; writes probe-NAME.json
    local name=$1
    python3 "$HERE/million.py" probe --t0 "$EDGE_T0" --host "$HOST" --port "$EDGE_PORT" --pages "$PAGES" \
        --width "$KEY_WIDTH" --size "$PAGE_BYTES" --pid "$EDGE_PID" --timeout "$RESTART_TIMEOUT" \
        > "$RUN/probe-$name.json" || { cat "$RUN/probe-$name.json"; die "no hit from the edge ($name restart)"; }
    say "restart ($name): $(cat "$RUN/probe-$name.json")"
}
metrics() { curl -s --max-time 5 -H "Authorization: Bearer $EDGE_ADMIN_TOKEN" "http://$HOST:$ADMIN_PORT/metrics" > "$1" || true; }
jvm_flags() { tr '\0' ' ' < "/proc/$EDGE_PID/cmdline" | sed -e 's/ -jar .*//' -e 's/^[^ ]* //'; }

# --- 1. fill -----------------------------------------------------------------------------------------------------
start_edge fill
wait_listening "$EDGE_PORT" "$EDGE_PID" edge
if [ "$FILL" = 1 ]; then
    url=$(page_url "$EDGE_PORT" 0)
    curl -s --max-time 10 -o /dev/null "$url" || die "the edge did not answer $url"
    head=$(curl -s --max-time 10 -D - -o /dev/null -w 'size=%{size_download}\n' "$url")
    grep -qi '^cache-status: edge; hit' <<<"$head" || die "the second GET of $url is not a hit: $head"
    grep -q "^size=$PAGE_BYTES\$" <<<"$head" || die "$url: wrong length: $head"
    say "fill: $PAGES pages through the edge, $FILL_CONNS connections (progress every ${PROGRESS_SECS}s)"
    metrics "$RUN/metrics/fill.before"
    o0=$(origin_requests)
    t0=$(date +%s%N)
    mkdir -p "$RUN/fill-done"
    DONE_DIR=$RUN/fill-done COUNT=$PAGES FIRST=0 timeout -k 5 "$((FILL_TIMEOUT + 30))" wrk -t"$WRK_THREADS" -c"$FILL_CONNS" \
        -d"${FILL_TIMEOUT}s" --timeout 10s --latency -s "$HERE/million-fill.lua" "http://$HOST:$EDGE_PORT/" \
        > "$RUN/wrk/fill.txt" 2>&1 &
    WRK_PID=$!
    PIDS+=("$WRK_PID")
    last=$o0; last_t=$t0; moved_t=$t0; next=$((t0 + PROGRESS_SECS * 1000000000))
    while kill -0 "$WRK_PID" 2>/dev/null; do
        sleep 0.1
        # every wrk thread has all its pages answered: SIGINT makes wrk stop and report (timeout relays it)
        done_files=("$RUN"/fill-done/fill-done-*)
        if [ -e "${done_files[0]}" ] && [ ${#done_files[@]} -ge "$WRK_THREADS" ]; then kill -INT "$WRK_PID"; break; fi
        now=${EPOCHREALTIME/./}000 # ns, without a fork
        [ "$now" -ge "$next" ] || continue
        o=$(origin_requests)
        [ "$o" != "$last" ] && moved_t=$now
        say "fill: $((o - o0)) / $PAGES pages, $(((o - last) * 1000000000 / (now - last_t))) pages/s now," \
            "$(((o - o0) * 1000000000 / (now - t0))) pages/s since the start"
        last=$o; last_t=$now; next=$((now + PROGRESS_SECS * 1000000000))
        if [ $((now - moved_t)) -gt $((STALL_SECS * 1000000000)) ]; then
            stop_pid "$WRK_PID"
            die "fill: no origin request for ${STALL_SECS}s; abandoned (see $RUN/wrk/fill.txt, $RUN/edge-fill.log)"
        fi
    done
    rc=0; wait "$WRK_PID" || rc=$?
    forget_pid "$WRK_PID"
    t1=$(date +%s%N)
    metrics "$RUN/metrics/fill.after"
    grep -q '^FILL ' "$RUN/wrk/fill.txt" || die "fill: wrk failed (rc $rc): $(tail -5 "$RUN/wrk/fill.txt")"
    fact fill_secs "$(echo "$t0 $t1" | awk '{printf "%.2f", ($2 - $1) / 1e9}')"
    answered=$(sed -n 's/^FILL answered=\([0-9]*\) .*/\1/p' "$RUN/wrk/fill.txt")
    say "fill: done, $(grep '^FILL ' "$RUN/wrk/fill.txt") in $(grep '^fill_secs=' "$FACTS" | cut -d= -f2) s"
    [ "$answered" = "$PAGES" ] || die "fill: only $answered of $PAGES pages answered (see $RUN/wrk/fill.txt)"
    echo "$PAGES $PAGE_BYTES" > "$MARK"
    # 2 s idle, then the crash: the edge answers a miss once its page is in RocksDB's WAL, so every page is there,
    # but the last ones are only in the WAL and memtable, not yet flushed to SST files; the restart replays them
    sleep 2
    fact kill9_note "right after the fill (2 s idle)"
else
    fact fill skipped
    say "fill: skipped, $STORE_DIR holds $PAGES pages from an earlier run (KEEP_STORE=1)"
    timeout -k 5 30 curl -s -o /dev/null "$(page_url "$EDGE_PORT" 1)" || true
    fact kill9_note "idle edge (fill skipped)"
fi

# --- 2. kill -9, restart; TERM, restart ----------------------------------------------------------------------------
say "restart: kill -9, then start and poll for the first hit"
kill9_edge
start_edge crash
probe crash
term_edge
fact term_ms "$TERM_MS"
say "restart: clean stop took $TERM_MS ms; start again and poll for the first hit"
start_edge reads
probe clean
fact jvm_flags "$(jvm_flags)"

# --- 3. reads: hot, uniform and Zipfian keys in the same process -------------------------------------------------
# The store's files are read once, so every run starts with them in the kernel's page cache whatever ran before on
# the box (a cold page cache made disk hits 15-20 % slower here, and varied run to run: RESULTS §18, §19).
say "reads: warming the page cache with the store's $(du -sh "$STORE_DIR" | cut -f1) (cat, bounded to 300 s)"
timeout -k 5 300 sh -c 'cat "$1"/*.sst > /dev/null' sh "$STORE_DIR" || say "reads: page cache warm-up incomplete"
if command -v fincore >/dev/null; then
    fact page_cache "$(fincore -b "$STORE_DIR"/*.sst | awk 'NR > 1 {r += $1; s += $3} END {printf "%.0f of %.0f MiB", r / 1048576, s / 1048576}')"
fi
TICKS=$(getconf CLK_TCK)
edge_ticks() { sed 's/^.*) //' "/proc/$EDGE_PID/stat" | awk '{print $12 + $13}'; }
box_busy() { awk '/^cpu /{print $2 + $3 + $4 + $7 + $8, $2 + $3 + $4 + $5 + $6 + $7 + $8 + $9}' /proc/stat; }
read_wrk() { # kind seconds out [latency]: one wrk run of the kind's keys
    local kind=$1 secs=$2 out=$3 keys dist
    case $kind in hot) keys=$HOT_KEYS dist=uniform ;; uniform) keys=$PAGES dist=uniform ;; zipf) keys=$PAGES dist=zipf ;; esac
    KEYS=$keys DIST=$dist timeout -k 5 "$((secs + 30))" wrk -t"$WRK_THREADS" -c"$CONNS" -d"${secs}s" --timeout 5s \
        --latency -s "$HERE/million-read.lua" "http://$HOST:$EDGE_PORT/" > "$out" 2>&1 || echo "wrk exit $?" >> "$out"
}
printf 'round\tkind\tfile\tt0_ns\tt1_ns\torigin_reqs\tedge_cpu_ticks\tbox_busy_cores\n' > "$RUN/runs.tsv"
one_run() { # round kind
    local r=$1 kind=$2 file="$2-r$1.txt" o0 o1 c0 c1 b0 b0all b1 b1all t0 t1
    kill -0 "$EDGE_PID" 2>/dev/null || die "the edge is gone (see $RUN/edge-reads.log)"
    read_wrk "$kind" "$PRE_SECS" "$RUN/wrk/pre-$file"
    metrics "$RUN/metrics/$file.before"
    o0=$(origin_requests); c0=$(edge_ticks); read -r b0 b0all < <(box_busy); t0=$(date +%s%N)
    read_wrk "$kind" "$DURATION" "$RUN/wrk/$file"
    t1=$(date +%s%N); read -r b1 b1all < <(box_busy); c1=$(edge_ticks); o1=$(origin_requests)
    metrics "$RUN/metrics/$file.after"
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$r" "$kind" "$file" "$t0" "$t1" $((o1 - o0 - 1)) $((c1 - c0)) \
        "$(awk -v b=$((b1 - b0)) -v a=$((b1all - b0all)) -v n="$(nproc)" 'BEGIN {printf "%.2f", a ? b / a * n : 0}')" \
        >> "$RUN/runs.tsv"
    python3 - "$RUN/wrk/$file" "$kind" "$r" <<'EOF'
import sys
f = {}
for line in open(sys.argv[1]):
    if line.startswith(("RESULT ", "CHECK ")):
        f.update(kv.split("=") for kv in line.split()[1:])
if "requests" not in f:
    print(f"  {sys.argv[2]} r{sys.argv[3]}: no RESULT line (see {sys.argv[1]})")
    sys.exit()
rps = int(f["requests"]) / (int(f["duration_us"]) / 1e6)
print(f"  {sys.argv[2]:<8} r{sys.argv[3]} {rps:9.0f} req/s  p50 {int(f['p50_us']) / 1000:6.2f} ms  "
      f"p99 {int(f['p99_us']) / 1000:7.2f} ms  errors {int(f['errors']) + int(f['non2xx'])}  "
      f"non-hits {f.get('nonhits', 'n/a')}")
EOF
}
say "reads: JIT warm-up, ${WARM_SECS}s of hot keys"
read_wrk hot "$WARM_SECS" "$RUN/wrk/warm.txt"
say "reads: $ROUNDS round(s) of hot / uniform / Zipf (s=$ZIPF_S), ${DURATION}s each, $CONNS connections"
for r in $(seq 1 "$ROUNDS"); do
    if [ $((r % 2)) = 1 ]; then order="hot uniform zipf"; else order="zipf uniform hot"; fi
    for kind in $order; do one_run "$r" "$kind"; done
done
fact vmhwm_kib "$(awk '/^VmHWM:/ {print $2}' "/proc/$EDGE_PID/status")"
term_edge
fact reads_stop_ms "$TERM_MS"

# --- 4. summary ----------------------------------------------------------------------------------------------------
fact store_bytes "$(du -sb "$STORE_DIR" | cut -f1)"
fact store_files "$(find "$STORE_DIR" -type f | wc -l)"
fact loadavg_end "$(cut -d' ' -f1-3 /proc/loadavg)"
python3 "$HERE/million.py" summary "$RUN" > "$RUN/summary.md"
echo
cat "$RUN/summary.md"
[ "$KEEP_STORE" = 1 ] && echo && echo "store kept in $STORE_DIR (KEEP_STORE=1; the next run with the same PAGES skips the fill)"
exit 0
