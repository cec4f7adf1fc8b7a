#!/usr/bin/env bash
# bench/conformance/run.sh [--jar PATH] [--suite DIR] [--id TEST-ID] [--out FILE] [--origin-numbers-requests]
#
# Runs the HTTP cache conformance suite http-cache-tests (https://cache-tests.fyi) through an Edge whose one
# route is `/** mode: http`, and writes the suite's JSON results (test id -> true | [error, message]) to
# results/edge.json; summary.mjs prints them by kind next to nginx, Varnish, Traffic Server and Squid.
#
#   --jar PATH    the edge jar (default proxy/target/edge-proxy.jar, built with mvn -o when missing)
#   --suite DIR   a checkout of the suite's source instead of the pinned npm release: copied to src/ (which
#                 git ignores) and its dependencies installed there with npm; results go to edge-src.json
#   --id TEST-ID  run one test and print the requests and responses instead of writing results
#   --origin-numbers-requests   diagnostic only: the suite's origin numbers requests itself when the client's
#                 Req-Num request header does not reach it (else every test with two origin requests reads as
#                 "retry"); hides that one forwarding failure to show the others. Results go to
#                 edge-origin-numbers.json (or --out); never publish or compare them
#   --out FILE    results file (default bench/conformance/results/edge.json, or edge-src.json with --suite)
#
# Everything runs on loopback ports picked at start; the suite's origin, the edge and the client are stopped
# by PID on exit. The client is bounded by CLIENT_TIMEOUT seconds (default 600). Work files (config, store,
# logs) go to bench/conformance/work/, which git ignores, as it does node_modules/.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"

jar="" suite="" id="" out="" numbers=""
while [ $# -gt 0 ]; do
  case "$1" in
    --jar) jar="$2"; shift 2 ;;
    --suite) suite="$(cd "$2" && pwd)"; shift 2 ;;
    --id) id="$2"; shift 2 ;;
    --out) out="$2"; shift 2 ;;
    --origin-numbers-requests) numbers=1; shift ;;
    -h|--help) sed -n '2,20p' "$0"; exit 0 ;;
    *) echo "run.sh: unknown argument $1" >&2; exit 2 ;;
  esac
done

command -v node >/dev/null || { echo "run.sh: needs node and npm" >&2; exit 1; }

# the suite: the pinned npm release (package.json / package-lock.json here), or a source checkout
if [ -z "$suite" ]; then
  if [ ! -d "$here/node_modules/http-cache-tests" ]; then
    echo "run.sh: installing http-cache-tests from npm (package-lock.json)..." >&2
    (cd "$here" && npm ci --no-audit --no-fund --loglevel=error)
  fi
  suite="$here/node_modules/http-cache-tests"
  out_default="$here/results/edge.json"
else
  # a copy in src/ (the checkout itself is left alone), with its dependencies from npm
  src="$here/src"
  if [ ! -d "$src/node_modules" ] || ! diff -rq -x node_modules -x .git -x package-lock.json -x COMMIT "$suite" "$src" >/dev/null; then
    echo "run.sh: copying $suite to $src and installing its dependencies from npm..." >&2
    rm -rf "$src" && mkdir -p "$src"
    (cd "$suite" && tar --exclude=./.git --exclude=./node_modules -cf - .) | (cd "$src" && tar -xf -)
    (cd "$src" && npm i --omit=dev --no-audit --no-fund --loglevel=error)
  fi
  [ -d "$suite/.git" ] && git -C "$suite" rev-parse HEAD >"$src/COMMIT" 2>/dev/null || true
  suite="$src"
  out_default="$here/results/edge-src.json"
fi
# the release has server/ and cli.mjs at its top; the source tree has them under test-engine/
if [ -f "$suite/test-engine/cli.mjs" ]; then engine="$suite/test-engine"; else engine="$suite"; fi

if [ -z "$jar" ]; then
  jar="$repo/proxy/target/edge-proxy.jar"
  if [ ! -f "$jar" ]; then
    echo "run.sh: building $jar (mvn -o package -DskipTests)..." >&2
    (cd "$repo" && mvn -B -o -q -pl common,proxy package -DskipTests)
  fi
fi
[ -f "$jar" ] || { echo "run.sh: no jar at $jar" >&2; exit 1; }
jar="$(cd "$(dirname "$jar")" && pwd)/$(basename "$jar")"

work="$here/work"
rm -rf "$work"
mkdir -p "$work"

free_port() {
  node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'
}
if [ -n "$numbers" ]; then
  # a copy of the origin whose stashed request number falls back to its own count, as its reply already does
  mkdir -p "$work/engine"
  cp -r "$engine/server" "$engine/lib" "$work/engine/"
  sed -i 's/request_num: cliReqNum,/request_num: cliReqNum || srvReqNum,/' "$work/engine/server/handle-test.mjs"
  grep -q 'cliReqNum || srvReqNum,' "$work/engine/server/handle-test.mjs" || { echo "run.sh: cannot patch handle-test.mjs" >&2; exit 1; }
  engine_server="$work/engine/server/server.mjs"
  if [ "$suite" = "$here/src" ]; then out_default="$here/results/edge-origin-numbers-src.json"
  else out_default="$here/results/edge-origin-numbers.json"; fi
else
  engine_server="$engine/server/server.mjs"
fi
out="${out:-$out_default}"
mkdir -p "$(dirname "$out")"

origin_port=$(free_port)
edge_port=$(free_port)
admin_port=$(free_port)
while [ "$edge_port" = "$origin_port" ]; do edge_port=$(free_port); done
while [ "$admin_port" = "$origin_port" ] || [ "$admin_port" = "$edge_port" ]; do admin_port=$(free_port); done

origin_pid="" edge_pid="" client_pid=""
stop() {
  for pid in $client_pid $edge_pid $origin_pid; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
trap stop EXIT
trap 'exit 130' INT TERM

await_port() { # name pid port
  for _ in $(seq 1 600); do
    kill -0 "$2" 2>/dev/null || { echo "run.sh: the $1 exited; see $work/$1.log" >&2; return 1; }
    (exec 3<>"/dev/tcp/127.0.0.1/$3") 2>/dev/null && return 0
    sleep 0.1
  done
  echo "run.sh: the $1 did not listen on :$3 within 60 s" >&2
  return 1
}

# the suite's origin, bound to loopback (loopback.mjs), with its settings in npm's config variables
npm_config_protocol=http npm_config_port="$origin_port" npm_config_pidfile="$work/origin.pid" \
  node --import "$here/loopback.mjs" "$engine_server" >"$work/origin.log" 2>&1 &
origin_pid=$!
await_port origin "$origin_pid" "$origin_port"

cat >"$work/edge.yaml" <<EOF
# generated by bench/conformance/run.sh: one RFC 9111 shared-cache route in front of the suite's origin
listen: 127.0.0.1:$edge_port
origin:
  url: http://127.0.0.1:$origin_port
  connect-timeout: 2s
  timeout: 30s                    # the suite's slowest tests pause 3 s between requests
  error-backoff: 0s               # every test uses its own URLs; no test may be held back by another's error
  circuit-failures: 0
store:
  path: $work/store
  memory: 64MiB
admin:
  listen: 127.0.0.1:$admin_port
  token: conformance-run
access-log:
  format: json
  path: $work/access.log
limits:
  max-connections-per-client: 0   # the client runs 100 tests at once, each on its own connections
routes:
  - {match: /**, mode: http}
EOF
# the edge's own logging, plus the reason of each failed origin exchange (debug in ClientRequestHandler)
cat >"$work/logback.xml" <<'EOF'
<configuration>
  <appender name="STDOUT" class="ch.qos.logback.core.ConsoleAppender">
    <encoder><pattern>%d{HH:mm:ss.SSS} %-5level [%thread] %logger{0} %msg%n</pattern></encoder>
  </appender>
  <logger name="io.netty" level="WARN"/>
  <logger name="org.rocksdb" level="WARN"/>
  <logger name="dev.edgecache.proxy.pipeline.ClientRequestHandler" level="DEBUG"/>
  <root level="INFO"><appender-ref ref="STDOUT"/></root>
</configuration>
EOF
EDGE_JAR="$jar" EDGE_JAVA_OPTS="${EDGE_JAVA_OPTS:-} -Dlogback.configurationFile=$work/logback.xml" \
  "$repo/bin/edge" --config "$work/edge.yaml" >"$work/edge.log" 2>&1 &
edge_pid=$!
await_port edge "$edge_pid" "$edge_port"

base="http://127.0.0.1:$edge_port"
echo "run.sh: suite $(node -p "require('$suite/package.json').version") ($suite), origin :$origin_port, edge :$edge_port ($jar)" >&2
started=$(date +%s)
if [ -n "$id" ]; then
  (cd "$suite" && npm_config_base="$base" npm_config_id="$id" npm_package_config_id="$id" \
    exec timeout "${CLIENT_TIMEOUT:-600}" node --no-warnings "$engine/cli.mjs") &
  client_pid=$!
  wait "$client_pid"
  exit $?
fi
(cd "$suite" && npm_config_base="$base" npm_config_id="" npm_package_config_id="" \
  exec timeout "${CLIENT_TIMEOUT:-600}" node --no-warnings "$engine/cli.mjs" >"$work/results.json" 2>"$work/client.log") &
client_pid=$!
if ! wait "$client_pid"; then
  echo "run.sh: the suite's client failed or timed out; see $work/client.log" >&2
  exit 1
fi
client_pid=""
node -e 'JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"))' "$work/results.json" || {
  echo "run.sh: the client printed no JSON; see $work/results.json and $work/client.log" >&2
  exit 1
}
cp "$work/results.json" "$out"
# the edge's own view (origin errors, dropped connections, outcomes) for diagnosis, next to its access log
curl -fsS -H "Authorization: Bearer conformance-run" "http://127.0.0.1:$admin_port/metrics" >"$work/metrics.txt" 2>/dev/null || true
echo "run.sh: $(node -p "Object.keys(require('$out')).length") results in $(( $(date +%s) - started )) s -> $out" >&2
if [ "$suite" = "$here/src" ]; then suite_arg=" --suite $suite"; else suite_arg=""; fi
echo "run.sh: summary: node $here/summary.mjs$suite_arg $out" >&2
