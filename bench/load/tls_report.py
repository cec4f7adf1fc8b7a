"""Parsing and summary for bench/load/tls.sh (one file, several small commands; see the usage at the end).

h2load prints only the mean and sd of its request times, so p50/p99 come from its --log-file (one line per
request: start time, status, microseconds to the end of the response). openssl s_time prints one character per
connection ('r' when the session was resumed), and the count of connections it made.
"""
import re
import statistics
import sys

RAW_COLUMNS = ["test", "size", "round", "target", "requests", "rps", "p50_us", "p99_us", "errors",
               "cpu_us_per_req", "box_busy_cores", "note"]


def percentile(sorted_values, p):
    if not sorted_values:
        return 0
    return sorted_values[min(len(sorted_values) - 1, int(len(sorted_values) * p / 100))]


def duration_us(text):
    m = re.match(r"([\d.]+)(us|ms|s)$", text)
    return float(m[1]) * {"us": 1, "ms": 1e3, "s": 1e6}[m[2]] if m else 0


def h2load(out_file, log_file):
    """One RESULT line, in report.lua's format plus the TLS facts h2load printed."""
    out = open(out_file).read()
    finished = re.search(r"finished in ([\d.]+(?:us|ms|s)), ([\d.]+) req/s", out)
    reqs = re.search(r"requests: (\d+) total, (\d+) started, (\d+) done, (\d+) succeeded, (\d+) failed, "
                     r"(\d+) errored, (\d+) timeout", out)
    codes = re.search(r"status codes: (\d+) 2xx, (\d+) 3xx, (\d+) 4xx, (\d+) 5xx", out)
    if not (finished and reqs and codes):
        return
    latencies = []
    try:
        for line in open(log_file):
            parts = line.split()
            if len(parts) >= 3:
                latencies.append(int(parts[2]))
    except FileNotFoundError:
        pass
    latencies.sort()
    facts = {k: (re.search(rf"^{k}: (.*)$", out, re.M) or [None, "?"])[1].strip()
             for k in ("TLS Protocol", "Cipher", "Server Temp Key", "Application protocol")}
    note = f"{facts['TLS Protocol']},{facts['Cipher']},{facts['Server Temp Key'].split()[0]},ALPN={facts['Application protocol']}"
    print(f"RESULT requests={reqs[4]} duration_us={int(duration_us(finished[1]))} "
          f"errors={int(reqs[5]) + int(reqs[6]) + int(reqs[7])} non2xx={int(codes[2]) + int(codes[3]) + int(codes[4])} "
          f"p50_us={percentile(latencies, 50)} p99_us={percentile(latencies, 99)} rps={finished[2]} note={note}")


def row(proto, size, rnd, target, line, ticks, hz, busy, total, ncpu):
    f = dict(kv.split("=", 1) for kv in line.split()[1:])
    reqs, secs = int(f["requests"]), int(f["duration_us"]) / 1e6
    cpu = int(ticks) / int(hz) * 1e6 / max(reqs, 1)
    cores = int(busy) / max(int(total), 1) * int(ncpu)
    # h2load's own req/s: requests over its main duration (-D), not over the time it took to stop
    rps = float(f["rps"]) if "rps" in f else reqs / max(secs, 1e-9)
    print("\t".join(map(str, [proto, size, rnd, target, reqs, round(rps), f["p50_us"],
                              f["p99_us"], int(f["errors"]) + int(f["non2xx"]), round(cpu, 2), round(cores, 2),
                              f.get("note", "-")])))


def hsrow(test, rnd, target, wall_ns, ticks, hz, busy, total, ncpu, *files):
    conns = resumed = counted = failed = 0
    for name in files:
        text = open(name).read()
        m = re.search(r"^(\d+) connections in [\d.]+s;", text, re.M)
        if m:
            conns += int(m[1])
        else:
            failed += 1
        for line in text.splitlines():
            if line and re.fullmatch(r"[r*t3]+", line):
                resumed += line.count("r")
                counted += len(line)
    secs = int(wall_ns) / 1e9
    cpu = int(ticks) / int(hz) * 1e6 / max(conns, 1)
    cores = int(busy) / max(int(total), 1) * int(ncpu)
    print("\t".join(map(str, [test, "1k", rnd, target, conns, round(conns / secs), "-", "-", failed, round(cpu, 1),
                              round(cores, 2), f"resumed={resumed}/{counted}"])))


def show(tsv_line):
    r = dict(zip(RAW_COLUMNS, tsv_line.rstrip("\n").split("\t")))
    if r["test"].startswith("hs-"):
        print(f"  {r['test']:<10} r{r['round']} {r['target']:<5} {int(r['rps']):>7,} conn/s  "
              f"server {float(r['cpu_us_per_req']):7.1f} us/conn  {r['note']}  failed clients {r['errors']}  "
              f"box busy {r['box_busy_cores']} cores")
    else:
        print(f"  {r['test']} {r['size']:<4} r{r['round']} {r['target']:<5} {int(r['rps']):>8,} req/s  "
              f"p50 {int(r['p50_us']) / 1000:6.2f} ms  p99 {int(r['p99_us']) / 1000:7.2f} ms  "
              f"server {float(r['cpu_us_per_req']):6.2f} us/req  errors {r['errors']}  "
              f"box busy {r['box_busy_cores']} cores{'  ' + r['note'] if r['note'] != '-' else ''}")


def summary(raw, hs_clients):
    rows = [dict(zip(RAW_COLUMNS, line.rstrip("\n").split("\t"))) for line in list(open(raw))[1:] if line.strip()]
    cells = {}
    for r in rows:
        cells.setdefault((r["test"], r["size"]), {}).setdefault(r["target"], {})[r["round"]] = r

    def med(values):
        return statistics.median(values) if values else float("nan")

    def ratio(by_target, key):
        e, n = by_target.get("edge", {}), by_target.get("nginx", {})
        rs = [float(e[k][key]) / float(n[k][key]) for k in e if k in n and float(n[k][key]) > 0]
        return f"x{med(rs):.2f}" if rs else "-"

    def fig(by_target, target, hit):
        rs = list(by_target.get(target, {}).values())
        if not rs:
            return "-"
        rate = f"{med([int(r['rps']) for r in rs]):,.0f}"
        cpu = med([float(r["cpu_us_per_req"]) for r in rs])
        errors = sum(int(r["errors"]) for r in rs)
        err = f", **{errors} errors**" if errors else ""
        if hit:
            return (f"{rate}, {med([int(r['p50_us']) for r in rs]) / 1000:.2f} / "
                    f"{med([int(r['p99_us']) for r in rs]) / 1000:.2f} ms, {cpu:.1f} µs{err}")
        return f"{rate}, {cpu:.0f} µs{err}"

    hit_cells = [k for k in cells if not k[0].startswith("hs-")]
    if hit_cells:
        print("| cell | nginx req/s, p50 / p99, CPU per req | edge req/s, p50 / p99, CPU per req "
              "| edge/nginx req/s | edge/nginx CPU per req |")
        print("|---|---|---|---|---|")
        for test, size in hit_cells:
            by = cells[(test, size)]
            name = f"{size}, {'HTTP/1.1 over TLS' if test == 'h1' else 'h2'}"
            print(f"| {name} | {fig(by, 'nginx', True)} | {fig(by, 'edge', True)} | {ratio(by, 'rps')} "
                  f"| {ratio(by, 'cpu_us_per_req')} |")
        notes = sorted({f"{r['target']}: {r['note']}" for r in rows if r["test"] == "h2" and r["note"] != "-"})
        if notes:
            print()
            print("h2load saw: " + "; ".join(notes) + ".")
    hs_cells = [k for k in cells if k[0].startswith("hs-")]
    if hs_cells:
        print()
        print(f"| handshakes (openssl s_time x {hs_clients}, 1 KiB GET per connection) | nginx conn/s, CPU per conn "
              "| edge conn/s, CPU per conn | edge/nginx conn/s | edge/nginx CPU per conn | resumed (nginx; edge) |")
        print("|---|---|---|---|---|---|")
        for test, size in hs_cells:
            by = cells[(test, size)]

            def share(target):
                got = [tuple(map(int, r["note"].split("=")[1].split("/"))) for r in by.get(target, {}).values()]
                return f"{sum(g[0] for g in got)}/{sum(g[1] for g in got)}" if got else "-"

            name = "full (`-new`)" if test == "hs-full" else "resumed (`-reuse`)"
            print(f"| {name} | {fig(by, 'nginx', False)} | {fig(by, 'edge', False)} | {ratio(by, 'rps')} "
                  f"| {ratio(by, 'cpu_us_per_req')} | {share('nginx')}; {share('edge')} |")
        print()
        print("Full: a whole TLS 1.3 handshake (X25519 and the server's ECDSA P-256 signature) per connection. Resumed: "
              "a session ticket's PSK, still with an X25519 exchange (psk_dhe_ke, the only mode OpenSSL offers), so it "
              "saves the certificate and its signature, not the key exchange. Each connection also carries one HTTP/1.0 "
              "GET of the 1 KiB page (a hit) and its close; s_time's clients are sequential and share the cores.")


USAGE = """usage: tls_report.py h2load OUT LOG | row PROTO SIZE ROUND TARGET 'RESULT ...' TICKS HZ BUSY TOTAL NCPU
       | hsrow TEST ROUND TARGET WALL_NS TICKS HZ BUSY TOTAL NCPU FILES... | show TSV_LINE | summary RAW HS_CLIENTS"""

if __name__ == "__main__":
    commands = {"h2load": h2load, "row": row, "hsrow": hsrow, "show": show, "summary": summary}
    if len(sys.argv) < 2 or sys.argv[1] not in commands:
        sys.exit(USAGE)
    commands[sys.argv[1]](*sys.argv[2:])
