#!/usr/bin/env bash
# Issue 13's "Speed": cache hits over TLS, the edge against nginx (TLS + proxy_cache) in the same run, rounds
# alternating (r1: edge then nginx, r2: nginx then edge, ...). See bench/README.md ("TLS") for how to read it.
#
#   bench/load/tls.sh                                   # 1k/16k x h1.1/h2 x 3 rounds x 5 s + handshakes, ~5 min
#   DURATION=2 ROUNDS=1 WARM_SECS=2 bench/load/tls.sh   # smoke test, about a minute
#
# Measures, per size (1 KiB, 16 KiB) and protocol:
#   h1  HTTP/1.1 over TLS: wrk -t1 -c$WRK_CONNS --latency (wrk offers OpenSSL's default TLS 1.3 suites)
#   h2  HTTP/2 over TLS (ALPN h2): h2load -t1 -c$H2_CONNS -m$H2_STREAMS -D$DURATION, latency percentiles from
#       its --log-file (h2load itself prints only mean/sd)
# req/s, p50/p99 and the server's CPU per request (utime+stime of its process tree from /proc/PID/stat, before
# and after the run, divided by the requests wrk/h2load counted). Then the TLS handshake rate, full and resumed:
#   hs-full     openssl s_time -new: every connection a full TLS 1.3 handshake (ECDHE + the server's ECDSA
#               signature) and one HTTP/1.0 GET of /1k.html, then close; $HS_CLIENTS s_time processes at once
#   hs-resumed  openssl s_time -reuse: the same, every connection resuming the first one's session (TLS 1.3
#               PSK from a session ticket; the share of connections the server actually resumed is printed)
# connections per second (wall clock, all clients) and the server's CPU per connection. s_time's clients are
# sequential and do their own ECDHE on the same 2 cores, so the CPU per handshake is the figure to compare.
#
# Fairness: both servers get the same certificate (a throwaway CA and a P-256 ECDSA leaf for localhost and
# 127.0.0.1, made with openssl in the run directory) and the same TLS 1.3 cipher suite: TLS13_CIPHER=auto (the
# default) is the suite the edge picks for OpenSSL's default client offer (what wrk sends), and nginx is pinned
# to it (ssl_conf_command Ciphersuites); h2load and s_time offer only that suite. The edge's TLS is BoringSSL
# (netty-tcnative), nginx's the system OpenSSL: both are printed, with what `openssl s_client -brief` negotiated.
#
# Knobs (environment): SIZES ("1k 16k"), PROTOS ("h1 h2"), ROUNDS (3), DURATION (5 s per run), WARM_SECS (20 s
# per size and protocol on the edge, a third of it on nginx), WRK_CONNS (128), H2_CONNS (16), H2_STREAMS (32),
# HANDSHAKES (1; 0 skips them), HS_SECS (DURATION), HS_CLIENTS (2), TLS13_CIPHER (auto), EDGE_MEMORY (256MiB),
# EDGE_HEAP / EDGE_GC / EDGE_JAVA_OPTS / EDGE_JAR (passed to bin/edge), ports ORIGIN_PORT (18621), EDGE_PORT
# (18660, plain), ADMIN_PORT (18661), EDGE_TLS_PORT (18662), NGINX_TLS_PORT (18670), OUT_DIR (copy raw.tsv,
# summary.md and the logs there), KEEP_RUN (1: keep the run directory).
#
# Installs wrk, nghttp2-client (h2load), nginx, openssl, curl with apt-get when missing (as root; else it says
# what to install). Builds proxy/target/edge-proxy.jar only when it is missing. Binds 127.0.0.1 only; every load
# is bounded by its duration and a timeout; every process it starts is stopped by PID on exit (TERM, then KILL
# after 10 s), Ctrl-C included.
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
export JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
COMMAND=""
for v in SIZES PROTOS ROUNDS DURATION WARM_SECS WRK_CONNS H2_CONNS H2_STREAMS HANDSHAKES HS_SECS HS_CLIENTS \
    TLS13_CIPHER EDGE_MEMORY EDGE_HEAP EDGE_GC EDGE_JAVA_OPTS; do
    if [ -n "${!v:-}" ]; then COMMAND+="$v=$(printf '%q' "${!v}") "; fi
done
COMMAND+="bench/load/tls.sh"
HOST=127.0.0.1
ORIGIN_PORT=${ORIGIN_PORT:-18621}
EDGE_PORT=${EDGE_PORT:-18660}
ADMIN_PORT=${ADMIN_PORT:-18661}
EDGE_TLS_PORT=${EDGE_TLS_PORT:-18662}
NGINX_TLS_PORT=${NGINX_TLS_PORT:-18670}
SIZES=${SIZES:-"1k 16k"}
PROTOS=${PROTOS:-"h1 h2"}
ROUNDS=${ROUNDS:-3}
DURATION=${DURATION:-5}
WARM_SECS=${WARM_SECS:-20}
WRK_CONNS=${WRK_CONNS:-128}
H2_CONNS=${H2_CONNS:-16}
H2_STREAMS=${H2_STREAMS:-32}
HANDSHAKES=${HANDSHAKES:-1}
HS_SECS=${HS_SECS:-$DURATION}
HS_CLIENTS=${HS_CLIENTS:-2}
TLS13_CIPHER=${TLS13_CIPHER:-auto}
EDGE_MEMORY=${EDGE_MEMORY:-256MiB}
OUT_DIR=${OUT_DIR:-}
KEEP_RUN=${KEEP_RUN:-0}

die() { echo "tls.sh: $*" >&2; exit 1; }
say() { echo "[$(date -u +%H:%M:%S)] $*"; }

# --- tools: installed with apt-get when missing (as bin/test does) -------------------------------------------
missing=()
for t in wrk:wrk h2load:nghttp2-client nginx:nginx openssl:openssl curl:curl python3:python3 ss:iproute2; do
    command -v "${t%%:*}" >/dev/null 2>&1 || [ -x "/usr/sbin/${t%%:*}" ] || missing+=("${t#*:}")
done
if [ ${#missing[@]} -gt 0 ]; then
    [ "$(id -u)" = 0 ] || die "missing ${missing[*]}; run as root to have them installed, or: apt-get install ${missing[*]}"
    say "installing ${missing[*]} (apt-get)"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -q >/dev/null
    apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null || die "could not install ${missing[*]}"
fi
NGINX=${NGINX:-$(command -v nginx || echo /usr/sbin/nginx)}
case "$("$NGINX" -V 2>&1)" in *http_v2_module*http_ssl_module* | *http_ssl_module*http_v2_module*) ;;
    *) die "$NGINX lacks the ssl or http_v2 module (Debian's has both)" ;; esac
for s in $SIZES; do case $s in 1k | 16k | 128k) ;; *) die "unknown size $s (1k, 16k, 128k)" ;; esac; done
for p in $PROTOS; do case $p in h1 | h2) ;; *) die "unknown protocol $p (h1, h2)" ;; esac; done
for n in ROUNDS DURATION WARM_SECS WRK_CONNS H2_CONNS H2_STREAMS HS_SECS HS_CLIENTS; do
    [[ ${!n} =~ ^[0-9]+$ ]] && [ "${!n}" -ge 1 ] || die "$n must be a whole number >= 1"
done
[ -x "$JAVA_HOME/bin/java" ] || die "no JDK at $JAVA_HOME (set JAVA_HOME to a JDK 25)"
for p in "$ORIGIN_PORT" "$EDGE_PORT" "$ADMIN_PORT" "$EDGE_TLS_PORT" "$NGINX_TLS_PORT"; do
    [[ $p =~ ^186[0-9][0-9]$ ]] || die "port $p is outside 18600-18699"
    [ -z "$(ss -ltnH "sport = :$p")" ] || die "port $p is busy"
done
EDGE_JAR_SRC=${EDGE_JAR:-$ROOT/proxy/target/edge-proxy.jar}
if [ ! -f "$EDGE_JAR_SRC" ]; then
    say "$EDGE_JAR_SRC is missing: building it (mvn -B -o -q -DskipTests package -pl common,ctl,proxy)"
    (cd "$ROOT" && mvn -B -o -q -DskipTests package -pl common,ctl,proxy) || die "the build failed"
fi

# --- run directory and process bookkeeping --------------------------------------------------------------------
RUN=$(mktemp -d "${TMPDIR:-/tmp}/edgetls.XXXXXX")
chmod 755 "$RUN" # nginx workers run as www-data when we are root
mkdir -p "$RUN/docroot" "$RUN/out" "$RUN/tls" "$RUN/origin" "$RUN/nginx-cache/cache"
PIDS=()
stop_pid() { # TERM, wait up to 10 s, then KILL: that PID only
    local pid=$1 i
    kill -TERM "$pid" 2>/dev/null || return 0
    for i in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
}
cleanup() {
    local i
    for ((i = ${#PIDS[@]} - 1; i >= 0; i--)); do stop_pid "${PIDS[i]}"; done
    if [ -n "$OUT_DIR" ]; then
        mkdir -p "$OUT_DIR"
        cp -r "$RUN"/raw.tsv "$RUN"/summary.md "$RUN"/tls-facts.txt "$RUN"/out "$RUN"/*.log "$RUN"/edge.yaml \
            "$RUN"/nginx-cache/nginx.conf "$OUT_DIR"/ 2>/dev/null || true
    fi
    if [ "$KEEP_RUN" = 1 ]; then echo "kept $RUN"; else rm -rf "$RUN"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

wait_listening() { # port pid what
    local i
    for i in $(seq 1 600); do
        [ -n "$(ss -ltnH "sport = :$1")" ] && return 0
        kill -0 "$2" 2>/dev/null || die "$3 exited during start-up (see its log in $RUN, KEEP_RUN=1 keeps it)"
        sleep 0.1
    done
    die "$3 did not listen on $1 within 60 s"
}

# --- pages (the shared harness's 1k/16k/128k.html) and certificates -------------------------------------------
python3 - "$RUN/docroot" <<'PY'
import os, sys
d = sys.argv[1]
def page(size, tag):
    head = f"<!doctype html><html><head><title>{tag}</title></head><body><pre>\n".encode()
    tail = b"</pre></body></html>\n"
    line = (tag + " lorem ipsum dolor sit amet consectetur adipiscing elit\n").encode()
    return head + (line * (size // len(line) + 1))[: size - len(head) - len(tail)] + tail
for name, size in (("1k", 1024), ("16k", 16384), ("128k", 131072)):
    open(os.path.join(d, f"{name}.html"), "wb").write(page(size, name))
PY
chmod -R a+rX "$RUN/docroot"

# a throwaway CA and an EC P-256 leaf for localhost and 127.0.0.1 (as TestCertificates makes them)
T=$RUN/tls
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$T/ca.key" -out "$T/ca.crt" \
    -subj "/CN=Edge bench CA" -days 2 -addext basicConstraints=critical,CA:TRUE \
    -addext keyUsage=critical,keyCertSign,cRLSign 2>/dev/null
openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$T/site.key" -out "$T/site.csr" \
    -subj /CN=localhost 2>/dev/null
printf 'subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth\n' > "$T/site.ext"
openssl x509 -req -in "$T/site.csr" -CA "$T/ca.crt" -CAkey "$T/ca.key" -set_serial "$(date +%s%N)" -days 2 \
    -extfile "$T/site.ext" -out "$T/site.leaf.crt" 2>/dev/null
cat "$T/site.leaf.crt" "$T/ca.crt" > "$T/site.crt"
chmod -R a+rX "$T" # nginx reads the key as root (master); the edge as us

NGINX_USER=""
[ "$(id -u)" = 0 ] && NGINX_USER="user www-data;"
[ "$(id -u)" = 0 ] && chown www-data "$RUN/nginx-cache/cache"

# --- origin: nginx serving the pages with Cache-Control (the shared harness's origin) --------------------------
cat > "$RUN/origin/nginx.conf" <<EOF
$NGINX_USER
worker_processes 1;
worker_rlimit_nofile 16384;
pid $RUN/origin/nginx.pid;
error_log $RUN/origin/error.log warn;
events { worker_connections 4096; }
http {
    access_log off;
    sendfile on;
    tcp_nodelay on;
    keepalive_timeout 65;
    keepalive_requests 1000000;
    server_tokens off;
    types { text/html html; }
    default_type text/html;
    client_body_temp_path $RUN/origin/tmp_body;
    proxy_temp_path $RUN/origin/tmp_proxy;
    fastcgi_temp_path $RUN/origin/tmp_fastcgi;
    uwsgi_temp_path $RUN/origin/tmp_uwsgi;
    scgi_temp_path $RUN/origin/tmp_scgi;
    server {
        listen $HOST:$ORIGIN_PORT backlog=4096;
        root $RUN/docroot;
        location / { add_header Cache-Control "public, max-age=3600"; }
        location = /__origin_status { stub_status; }
    }
}
EOF
"$NGINX" -c "$RUN/origin/nginx.conf" -e "$RUN/origin/error.log" -g 'daemon off;' > "$RUN/origin.log" 2>&1 &
ORIGIN_PID=$!
PIDS+=("$ORIGIN_PID")
wait_listening "$ORIGIN_PORT" "$ORIGIN_PID" "origin nginx"

# --- the edge, started by bin/edge, with a tls: port -------------------------------------------------------------
export EDGE_ADMIN_TOKEN
EDGE_ADMIN_TOKEN=$(od -An -tx1 -N16 /dev/urandom | tr -d ' \n')
cat > "$RUN/edge.yaml" <<EOF
listen: $HOST:$EDGE_PORT
origin:
  url: http://$HOST:$ORIGIN_PORT
store:
  path: $RUN/edge-store
  memory: $EDGE_MEMORY
admin:
  listen: $HOST:$ADMIN_PORT
  token: \${EDGE_ADMIN_TOKEN}
limits:
  max-connections-per-client: 0   # every load generator is one address
tls:
  listen: $HOST:$EDGE_TLS_PORT
  certificates:
    - {cert: $T/site.crt, key: $T/site.key}
  http2: true
  http2-max-concurrent-streams: 128
routes:
  - {match: "/**", mode: http}
EOF
cp -p "$EDGE_JAR_SRC" "$RUN/edge-proxy.jar" # others may rebuild proxy/target during the run
EDGE_JAR="$RUN/edge-proxy.jar" "$ROOT/bin/edge" --config "$RUN/edge.yaml" > "$RUN/edge.log" 2>&1 &
EDGE_PID=$!
PIDS+=("$EDGE_PID")
wait_listening "$EDGE_TLS_PORT" "$EDGE_PID" edge

# --- the cipher suite both servers use ----------------------------------------------------------------------------
brief() { # port [s_client options]: what openssl s_client -brief negotiates (first lines only)
    local port=$1
    shift
    timeout 10 openssl s_client -brief -connect "$HOST:$port" -servername localhost -CAfile "$T/ca.crt" \
        -alpn h2,http/1.1 "$@" < /dev/null 2>&1 | grep -a -E '^(Protocol version|Ciphersuite|Peer certificate|Verification|Server Temp Key|Negotiated)' || true
}
EDGE_DEFAULT_CIPHER=$(brief "$EDGE_TLS_PORT" | awk -F': ' '/^Ciphersuite/ {print $2}')
[ -n "$EDGE_DEFAULT_CIPHER" ] || die "openssl s_client could not reach the edge's TLS port (see $RUN/edge.log)"
[ "$TLS13_CIPHER" = auto ] && TLS13_CIPHER=$EDGE_DEFAULT_CIPHER
CIPHER_NOTE=""
if [ "$TLS13_CIPHER" != "$EDGE_DEFAULT_CIPHER" ]; then
    CIPHER_NOTE="NOT THE SAME SUITE for wrk: the edge picks $EDGE_DEFAULT_CIPHER for OpenSSL's default offer (wrk's, which \
wrk cannot change) while nginx is pinned to $TLS13_CIPHER; h2load and s_time offer only $TLS13_CIPHER."
fi

# --- nginx: TLS (OpenSSL) + HTTP/2 + proxy_cache, the shared harness's nginx-cache peer with a TLS listener -------
cat > "$RUN/nginx-cache/nginx.conf" <<EOF
$NGINX_USER
worker_processes auto;
worker_rlimit_nofile 16384;
pid $RUN/nginx-cache/nginx.pid;
error_log $RUN/nginx-cache/error.log warn;
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
    open_file_cache_errors on;
    client_body_temp_path $RUN/nginx-cache/tmp_body;
    proxy_temp_path $RUN/nginx-cache/tmp_proxy;
    fastcgi_temp_path $RUN/nginx-cache/tmp_fastcgi;
    uwsgi_temp_path $RUN/nginx-cache/tmp_uwsgi;
    scgi_temp_path $RUN/nginx-cache/tmp_scgi;
    proxy_cache_path $RUN/nginx-cache/cache levels=1:2 keys_zone=edge:64m max_size=2g inactive=2h use_temp_path=off;
    upstream origin {
        server $HOST:$ORIGIN_PORT;
        keepalive 128;
        keepalive_requests 1000000;
    }
    server {
        listen $HOST:$NGINX_TLS_PORT ssl http2 backlog=4096;
        ssl_certificate $T/site.crt;
        ssl_certificate_key $T/site.key;
        ssl_protocols TLSv1.2 TLSv1.3;
        ssl_conf_command Ciphersuites $TLS13_CIPHER;
        ssl_session_cache shared:SSL:10m;
        ssl_session_timeout 1h;
        ssl_session_tickets on;
        http2_max_concurrent_streams 128;
        location / {
            proxy_pass http://origin;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            proxy_buffering on;
            proxy_cache edge;
            proxy_cache_key \$request_uri; # one site; s_time's HTTP/1.0 GET has no Host
            proxy_cache_lock on;
            proxy_cache_use_stale updating error timeout;
            proxy_cache_background_update on;
            proxy_cache_revalidate on;
            proxy_read_timeout 30s;
            add_header X-Cache \$upstream_cache_status;
        }
    }
}
EOF
"$NGINX" -t -q -c "$RUN/nginx-cache/nginx.conf" -e "$RUN/nginx-cache/error.log" 2> "$RUN/nginx-t.log" \
    || die "nginx refused its config: $(cat "$RUN/nginx-t.log")"
"$NGINX" -c "$RUN/nginx-cache/nginx.conf" -e "$RUN/nginx-cache/error.log" -g 'daemon off;' > "$RUN/nginx.log" 2>&1 &
NGINX_PID=$!
PIDS+=("$NGINX_PID")
wait_listening "$NGINX_TLS_PORT" "$NGINX_PID" "nginx (TLS + proxy_cache)"

port_of() { case $1 in edge) echo "$EDGE_TLS_PORT" ;; nginx) echo "$NGINX_TLS_PORT" ;; esac; }
pid_of() { case $1 in edge) echo "$EDGE_PID" ;; nginx) echo "$NGINX_PID" ;; esac; }
url_of() { echo "https://localhost:$(port_of "$1")/$2.html"; }
CURL=(curl -s --max-time 5 --cacert "$T/ca.crt" --resolve "localhost:$EDGE_TLS_PORT:$HOST"
    --resolve "localhost:$NGINX_TLS_PORT:$HOST")

# --- start-up check: the second GET of each page must be a 200 hit of the right length, on h1 and h2 ------------
for s in $SIZES; do
    want=$(stat -c %s "$RUN/docroot/$s.html")
    for t in edge nginx; do
        "${CURL[@]}" -o /dev/null "$(url_of "$t" "$s")" || die "$t did not answer /$s.html"
        for v in --http1.1 --http2; do
            head=$("${CURL[@]}" "$v" -D - -o /dev/null -w 'size=%{size_download} version=%{http_version}\n' \
                "$(url_of "$t" "$s")" | tr -d '\r')
            grep -qE '^HTTP/(1.1|2) 200' <<<"$head" || die "$t /$s.html ($v): $(echo "$head" | head -1)"
            grep -qiE '^(cache-status: edge; hit|x-cache: HIT)' <<<"$head" || die "$t /$s.html ($v) is not a hit: $head"
            grep -q "^size=$want " <<<"$head" || die "$t /$s.html ($v): wrong length ($head)"
            [ "$v" = --http2 ] && ! grep -q 'version=2$' <<<"$head" && die "$t did not negotiate h2: $head"
        done
    done
done
say "edge (https://$HOST:$EDGE_TLS_PORT) and nginx (https://$HOST:$NGINX_TLS_PORT) serve hits for $SIZES over h1.1 and h2"

# --- what each side runs and negotiates -------------------------------------------------------------------------
FACTS=$RUN/tls-facts.txt
{
    echo "edge TLS: $(sed -n 's/.*edge\.tls //p' "$RUN/edge.log" | sed 's/ certificates=.*//' | head -1),"\
        "netty-tcnative-boringssl-static $(python3 -c 'import sys, zipfile
z = zipfile.ZipFile(sys.argv[1])
p = "META-INF/maven/io.netty/netty-tcnative-boringssl-static/pom.properties"
print(next((l.split("=", 1)[1] for l in z.read(p).decode().splitlines() if l.startswith("version=")), "?")
      if p in z.namelist() else "?")' "$RUN/edge-proxy.jar")"
    echo "nginx TLS: $("$NGINX" -V 2>&1 | grep -i 'built with' | head -1)"
    echo "clients: $(wrk -v 2>&1 | head -1 | cut -d' ' -f1-2) and s_time on $(openssl version | cut -d' ' -f1-2) (system libssl); $(h2load --version)"
    echo "TLS 1.3 suite for both: $TLS13_CIPHER (the edge's own pick for OpenSSL's default offer: $EDGE_DEFAULT_CIPHER)"
    [ -z "$CIPHER_NOTE" ] || echo "WARNING: $CIPHER_NOTE"
    for t in edge nginx; do
        echo "openssl s_client -brief to $t (OpenSSL's default offer, as wrk's):"
        brief "$(port_of "$t")" | sed 's/^/    /'
        echo "    ALPN (curl --http2 / --http1.1): $("${CURL[@]}" --http2 -o /dev/null -w 'HTTP/%{http_version}' \
            "$(url_of "$t" 1k)") / $("${CURL[@]}" --http1.1 -o /dev/null -w 'HTTP/%{http_version}' "$(url_of "$t" 1k)")"
    done
} > "$FACTS"
sed 's/^/  /' "$FACTS"

# --- measurement helpers ------------------------------------------------------------------------------------------
TICK=$(getconf CLK_TCK)
tree_pids() { # PID and its descendants
    local p out=() queue=("$1") seen=" "
    while [ ${#queue[@]} -gt 0 ]; do
        p=${queue[0]}
        queue=("${queue[@]:1}")
        [ -d "/proc/$p" ] || continue
        [[ $seen == *" $p "* ]] && continue
        seen+="$p "
        out+=("$p")
        # shellcheck disable=SC2207
        queue+=($(cat /proc/"$p"/task/*/children 2>/dev/null))
    done
    echo "${out[@]}"
}
tree_ticks() { # utime+stime of a process tree (nginx: master and workers), clock ticks
    local total=0 p s
    for p in $(tree_pids "$1"); do
        s=$(cat "/proc/$p/stat" 2>/dev/null) || continue
        s=${s##*) }
        # shellcheck disable=SC2086
        set -- $s
        total=$((total + ${12} + ${13}))
    done
    echo "$total"
}
box_busy() { awk '/^cpu / {print $2 + $3 + $4 + $7 + $8, $2 + $3 + $4 + $5 + $6 + $7 + $8 + $9}' /proc/stat; }

RAW=$RUN/raw.tsv
printf 'test\tsize\tround\ttarget\trequests\trps\tp50_us\tp99_us\terrors\tcpu_us_per_req\tbox_busy_cores\tnote\n' > "$RAW"

load() { # proto size target seconds out-prefix: one wrk or h2load run, prints its RESULT line
    local proto=$1 size=$2 target=$3 secs=$4 out=$5
    if [ "$proto" = h1 ]; then
        timeout -k 5 $((secs + 20)) wrk -t1 -c"$WRK_CONNS" -d"${secs}s" --timeout 5s --latency \
            -s "$HERE/report.lua" "$(url_of "$target" "$size")" > "$out.txt" 2>&1 || echo "wrk exit $?" >> "$out.txt"
        grep '^RESULT' "$out.txt" || true
    else
        timeout -k 5 $((secs + 20)) h2load -t1 -c"$H2_CONNS" -m"$H2_STREAMS" -D"$secs" \
            --tls13-ciphers="$TLS13_CIPHER" --log-file="$out.log" "$(url_of "$target" "$size")" > "$out.txt" 2>&1 \
            || echo "h2load exit $?" >> "$out.txt"
        python3 "$HERE/tls_report.py" h2load "$out.txt" "$out.log" || true
    fi
}

one_run() { # proto size round target
    local proto=$1 size=$2 round=$3 target=$4 pid out c0 c1 b0 b0all b1 b1all line
    pid=$(pid_of "$target")
    kill -0 "$pid" 2>/dev/null || die "$target (pid $pid) is gone; see the logs in $RUN (KEEP_RUN=1)"
    out="$RUN/out/$proto-$size-r$round-$target"
    c0=$(tree_ticks "$pid")
    read -r b0 b0all < <(box_busy)
    line=$(load "$proto" "$size" "$target" "$DURATION" "$out")
    c1=$(tree_ticks "$pid")
    read -r b1 b1all < <(box_busy)
    rm -f "$out.log" # h2load's per-request log: large, and summarised in the RESULT line
    [ -n "$line" ] || { echo "  no result from $out.txt: $(tail -3 "$out.txt" | tr '\n' ' ')" >&2; return 0; }
    python3 "$HERE/tls_report.py" row "$proto" "$size" "$round" "$target" "$line" $((c1 - c0)) "$TICK" \
        $((b1 - b0)) $((b1all - b0all)) "$(nproc)" >> "$RAW"
    python3 "$HERE/tls_report.py" show "$(tail -1 "$RAW")"
}

hs_run() { # mode(new|reuse) round target: HS_CLIENTS s_time processes at once, HS_SECS each
    local mode=$1 round=$2 target=$3 pid out c0 c1 b0 b0all b1 b1all w0 w1 i test
    [ "$mode" = new ] && test=hs-full || test=hs-resumed
    pid=$(pid_of "$target")
    kill -0 "$pid" 2>/dev/null || die "$target (pid $pid) is gone; see the logs in $RUN (KEEP_RUN=1)"
    out="$RUN/out/$test-r$round-$target"
    c0=$(tree_ticks "$pid")
    read -r b0 b0all < <(box_busy)
    w0=$(date +%s%N)
    local spids=()
    for i in $(seq 1 "$HS_CLIENTS"); do
        timeout -k 5 $((HS_SECS + 20)) openssl s_time -connect "$HOST:$(port_of "$target")" -"$mode" \
            -time "$HS_SECS" -www /1k.html -ciphersuites "$TLS13_CIPHER" > "$out-$i.txt" 2>&1 &
        spids+=($!)
    done
    for i in "${spids[@]}"; do wait "$i" || true; done
    w1=$(date +%s%N)
    c1=$(tree_ticks "$pid")
    read -r b1 b1all < <(box_busy)
    python3 "$HERE/tls_report.py" hsrow "$test" "$round" "$target" $((w1 - w0)) $((c1 - c0)) "$TICK" \
        $((b1 - b0)) $((b1all - b0all)) "$(nproc)" "$out"-*.txt >> "$RAW"
    python3 "$HERE/tls_report.py" show "$(tail -1 "$RAW")"
}

order() { if [ $(($1 % 2)) = 1 ]; then echo "edge nginx"; else echo "nginx edge"; fi; }

# --- warm-up: the edge's JIT (and TLS paths) on every cell, nginx shorter ----------------------------------------
NGINX_WARM=$(((WARM_SECS + 2) / 3))
say "warm-up: ${WARM_SECS}s per size and protocol on the edge, ${NGINX_WARM}s on nginx"
for s in $SIZES; do
    for p in $PROTOS; do
        load "$p" "$s" edge "$WARM_SECS" "$RUN/out/warm-$p-$s-edge" > /dev/null
        load "$p" "$s" nginx "$NGINX_WARM" "$RUN/out/warm-$p-$s-nginx" > /dev/null
    done
done
rm -f "$RUN"/out/warm-*.log
if [ "$HANDSHAKES" = 1 ]; then
    for t in edge nginx; do
        timeout 30 openssl s_time -connect "$HOST:$(port_of "$t")" -new -time 2 -www /1k.html \
            -ciphersuites "$TLS13_CIPHER" > /dev/null 2>&1 || true
    done
fi
LOAD_START=$(cut -d' ' -f1-3 /proc/loadavg)
T_START=$(date -u '+%Y-%m-%d %H:%M:%S')

# --- the grid: rounds alternate the order -------------------------------------------------------------------------
say "grid: sizes {$SIZES} x {$PROTOS} x $ROUNDS rounds x 2 targets, ${DURATION}s each (h1: wrk -c$WRK_CONNS; h2: h2load -c$H2_CONNS -m$H2_STREAMS)"
for s in $SIZES; do
    for p in $PROTOS; do
        for r in $(seq 1 "$ROUNDS"); do
            for t in $(order "$r"); do one_run "$p" "$s" "$r" "$t"; done
        done
    done
done
if [ "$HANDSHAKES" = 1 ]; then
    say "handshakes: openssl s_time -new (full) and -reuse (resumed), $HS_CLIENTS clients x ${HS_SECS}s, a GET of /1k.html per connection"
    for mode in new reuse; do
        for r in $(seq 1 "$ROUNDS"); do
            for t in $(order "$r"); do hs_run "$mode" "$r" "$t"; done
        done
    done
fi
T_END=$(date -u '+%H:%M:%S')

{
    echo "### TLS hits and handshakes, edge vs nginx \`proxy_cache\` (\`bench/load/tls.sh\`, $T_START-$T_END UTC)"
    echo
    echo "Command: \`$COMMAND\`. Machine: $(nproc) cores ($(awk -F': ' '/^model name/ {print $2; exit}' /proc/cpuinfo)),"\
        "load average $LOAD_START at the start, $(cut -d' ' -f1-3 /proc/loadavg) at the end. Edge: \`bin/edge\`,"\
        "store.memory $EDGE_MEMORY, {match: /**, mode: http}${EDGE_HEAP:+, heap $EDGE_HEAP}${EDGE_GC:+, GC $EDGE_GC}${EDGE_JAVA_OPTS:+, options $EDGE_JAVA_OPTS};"\
        "jar $(git -C "$ROOT" describe --always --dirty --abbrev=10 2>/dev/null || echo '?') (sha256 $(sha256sum "$RUN/edge-proxy.jar" | cut -c1-12))."\
        "nginx $("$NGINX" -v 2>&1 | sed 's/^nginx version: nginx.//'), worker_processes auto, proxy_cache with open_file_cache."
    echo "$ROUNDS round(s), alternating (r1 edge first, r2 nginx first, ...), ${DURATION} s per run; h1 = wrk -t1 -c$WRK_CONNS"\
        "(HTTP/1.1 over TLS), h2 = h2load -t1 -c$H2_CONNS -m$H2_STREAMS (ALPN h2). Figures are medians over the rounds;"\
        "ratios are medians of the per-round edge/nginx ratios; CPU is the server's utime+stime per request."
    echo
    sed 's/^/    /' "$FACTS"
    echo
    python3 "$HERE/tls_report.py" summary "$RAW" "$HS_CLIENTS"
} > "$RUN/summary.md"
echo
cat "$RUN/summary.md"
