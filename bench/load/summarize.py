#!/usr/bin/env python3
"""raw.tsv from run.sh -> a markdown table: medians over rounds, and the median of per-round paired ratios
(edge / nginx-direct measured seconds apart in the same round), which cancels slow drifts in background load."""
import csv
import os
import statistics
import sys
from collections import defaultdict

REF, SUT = "nginx-direct", "edge"


def main(path):
    rows = list(csv.DictReader(open(path), delimiter="\t"))
    cells = defaultdict(lambda: defaultdict(dict))  # (size, conns) -> round -> target -> row
    for r in rows:
        cells[(r["size"], int(r["conns"]))][int(r["round"])][r["target"]] = r
    size_order = {"1k": 0, "16k": 1, "128k": 2}
    med = statistics.median

    def col(rounds, target, field):
        return [float(rs[target][field]) for rs in rounds.values() if target in rs]

    def paired(rounds, field):
        return [float(rs[SUT][field]) / float(rs[REF][field])
                for rs in rounds.values() if SUT in rs and REF in rs and float(rs[REF][field]) > 0]

    print("| size | conns | rounds | nginx-direct req/s | edge req/s | edge/nginx req/s | p50 ms nginx / edge "
          "| p99 ms nginx / edge | CPU us/req nginx / edge | edge/nginx CPU | errors | origin reqs in edge runs |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for (size, conns) in sorted(cells, key=lambda c: (size_order.get(c[0], 9), c[1])):
        rounds = cells[(size, conns)]
        rps_n, rps_e = med(col(rounds, REF, "rps")), med(col(rounds, SUT, "rps"))
        p50 = [med(col(rounds, t, "p50_us")) / 1000 for t in (REF, SUT)]
        p99 = [med(col(rounds, t, "p99_us")) / 1000 for t in (REF, SUT)]
        cpu = [med(col(rounds, t, "cpu_us_per_req")) for t in (REF, SUT)]
        errors = int(sum(col(rounds, REF, "errors")) + sum(col(rounds, SUT, "errors")))
        origin = int(max(col(rounds, SUT, "origin_reqs")))
        print(f"| {size} | {conns} | {len(rounds)} | {rps_n:,.0f} | {rps_e:,.0f} | x{med(paired(rounds, 'rps')):.2f} "
              f"| {p50[0]:.2f} / {p50[1]:.2f} | {p99[0]:.2f} / {p99[1]:.2f} | {cpu[0]:.1f} / {cpu[1]:.1f} "
              f"| x{med(paired(rounds, 'cpu_us_per_req')):.2f} | {errors} | {origin} |")
    busy = [float(r["box_busy_cores"]) for r in rows]
    print(f"\nWhole box busy during the runs (wrk, server and anything else): median {med(busy):.2f} of "
          f"{os.cpu_count()} cores (min {min(busy):.2f}, max {max(busy):.2f}).")


if __name__ == "__main__":
    main(sys.argv[1])
