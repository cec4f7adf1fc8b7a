#!/usr/bin/env bash
# bench/ctl-startup.sh RUNS 'COMMAND A' ['COMMAND B' ...]: wall time of short-lived commands (ctl calls).
#
# Runs RUNS rounds; each round runs every command once, in the order given (interleaved, so that a load spike
# on a shared box hits all of them alike). Each command is a bash command line (bash -c), with stdout and
# stderr to /dev/null; a non-zero exit stops the benchmark. Prints, per command, every wall time and the median,
# p90 (nearest rank), min and max in milliseconds, and the median CPU time (user + system, from /usr/bin/time),
# which a busy shared box inflates far less than the wall time. Used for "ctl start-up" in bench/RESULTS.md, e.g.
#   EDGE_ADMIN_URL=http://127.0.0.1:9090 EDGE_ADMIN_TOKEN=... bench/ctl-startup.sh 20 \
#     'java -jar proxy/target/edge-proxy.jar ctl deploys' 'bin/ctl deploys'
set -euo pipefail
runs="$1"
shift
declare -A times cpus
cpu_file="$(mktemp)"
trap 'rm -f "$cpu_file"' EXIT
for ((r = 0; r < runs; r++)); do
  for ((c = 1; c <= $#; c++)); do
    cmd="${!c}"
    start=$(date +%s%N)
    if ! /usr/bin/time -f '%U %S' -o "$cpu_file" bash -c "$cmd" > /dev/null 2>&1; then
      echo "ctl-startup: round $((r + 1)): '$cmd' failed" >&2
      exit 1
    fi
    end=$(date +%s%N)
    times[$c]="${times[$c]:-} $(((end - start) / 1000000))"
    cpus[$c]="${cpus[$c]:-} $(awk '{printf "%d", ($1 + $2) * 1000}' "$cpu_file")"
  done
done
for ((c = 1; c <= $#; c++)); do
  mapfile -t sorted < <(printf '%s\n' ${times[$c]} | sort -n)
  n=${#sorted[@]}
  median=$((n % 2 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2))
  p90=${sorted[(n * 9 + 9) / 10 - 1]}
  mapfile -t cpu < <(printf '%s\n' ${cpus[$c]} | sort -n)
  cpu_median=$((n % 2 ? cpu[n / 2] : (cpu[n / 2 - 1] + cpu[n / 2]) / 2))
  echo "${!c}"
  echo "  wall ms:${times[$c]}"
  echo "  n=$n median=${median}ms p90=${p90}ms min=${sorted[0]}ms max=${sorted[n - 1]}ms cpu-median=${cpu_median}ms"
done
