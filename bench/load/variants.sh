#!/usr/bin/env bash
# The same edge jar under several JVM settings, side by side with the peers, through the shared harness
# (../shared/perf/bench.sh): one edge per variant, each started by bin/edge with its own config, store and GC log.
#
#   bench/load/variants.sh 'NAME|GC|HEAP|JAVA OPTS' ...
#   SIZES="1k 16k 128k" CONNS="16 128 512" bench/load/variants.sh 'g1|g1|192m|' 'parallel|parallel|192m|' 'zgc|zgc|192m|'
#
# GC is bin/edge's EDGE_GC (g1, zgc, parallel), HEAP its EDGE_HEAP (empty: bin/edge's default), JAVA OPTS go to
# EDGE_JAVA_OPTS. Edges listen on 127.0.0.1:18040, 18042, ... (admin +1), route {match: /**, mode: http} to the
# harness's origin on 18001, store.memory $MEMORY (256MiB). The harness's knobs pass through (PEERS, TESTS, SIZES,
# CONNS, DURATION, ROUNDS, WARM_SECS). At the end: each variant's GC pauses after its first 120 s (start-up and
# warm-up left out). Every edge is stopped by PID on exit; the run directory is kept (printed).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
PERF=${PERF:-$ROOT/../shared/perf}
[ -x "$PERF/bench.sh" ] || { echo "variants.sh: no harness at $PERF (set PERF)" >&2; exit 2; }
[ $# -gt 0 ] || { echo "usage: variants.sh 'NAME|GC|HEAP|JAVA OPTS' ..." >&2; exit 2; }
RUN=$(mktemp -d "${TMPDIR:-/tmp}/edgevariants.XXXXXX")
cp -p "$ROOT/proxy/target/edge-proxy.jar" "$RUN/edge-proxy.jar" # a rebuild during the run must not change it
pids=()
stop_all() {
    for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
    for p in "${pids[@]}"; do timeout 15 tail --pid="$p" -f /dev/null 2>/dev/null || kill -9 "$p" 2>/dev/null || true; done
}
trap stop_all EXIT
port=18040
targets=()
names=()
for v in "$@"; do
    IFS='|' read -r name gc heap opts <<<"$v"
    d=$RUN/$name
    mkdir -p "$d"
    cat > "$d/edge.yaml" <<YAML
listen: 127.0.0.1:$port
origin:
  url: http://127.0.0.1:18001
store:
  path: $d/store
  memory: ${MEMORY:-256MiB}
admin:
  listen: 127.0.0.1:$((port + 1))
  token: \${EDGE_ADMIN_TOKEN}
limits:
  max-connections-per-client: 0
routes:
  - {match: "/**", mode: http}
YAML
    EDGE_ADMIN_TOKEN=variants EDGE_JAR="$RUN/edge-proxy.jar" EDGE_GC="$gc" EDGE_HEAP="$heap" \
        EDGE_JAVA_OPTS="$opts -Xlog:gc,gc+phases:file=$d/gc.log" \
        "$ROOT/bin/edge" --config "$d/edge.yaml" > "$d/edge.log" 2>&1 &
    pids+=($!)
    targets+=("$name=127.0.0.1:$port")
    names+=("$name")
    port=$((port + 2))
done
for t in "${targets[@]}"; do # the harness gives a target 5 s; three JVMs starting together on 2 cores need more
    admin=$((${t##*:} + 1))
    for _ in $(seq 1 120); do curl -s -m 1 -o /dev/null "http://127.0.0.1:$admin/healthz" && break; sleep 0.5; done
done
(cd "$PERF" && ./bench.sh "${targets[@]}") 2>&1 | tee "$RUN/bench.out"
for name in "${names[@]}"; do
    python3 - "$name" "$RUN/$name/gc.log" <<'PY'
import re, sys
p = sorted(float(m.group(2)) for m in (re.match(r'\[([\d.]+)s\].*Pause.* ([\d.]+)ms$', l.strip())
                                       for l in open(sys.argv[2])) if m and float(m.group(1)) > 120)
if p:
    print(f"{sys.argv[1]}: {len(p)} GC pauses after 120 s, median {p[len(p) // 2]:.2f} ms, "
          f"p99 {p[int(len(p) * 0.99)]:.2f} ms, max {p[-1]:.2f} ms, {sum(x > 10 for x in p)} over 10 ms")
else:
    print(f"{sys.argv[1]}: no GC pause after 120 s")
PY
done
echo "run directory: $RUN"
