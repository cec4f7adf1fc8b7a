#!/usr/bin/env python3
"""Helpers of million.sh (python3, standard library only).

  million.py pages DIR --width W --size BYTES [--templates N]
      writes DIR/t/00.html .. DIR/t/NN.html: blog-post pages whose placeholder @NUM@ the origin nginx replaces with
      the page number (sub_filter); a page is exactly BYTES long once a W-digit number is in.
  million.py probe --t0 NS --host H --port P --pages N --width W --size BYTES --pid PID --timeout S
      polls random stored pages from the moment the edge was spawned (t0, wall-clock ns) until one is answered
      200, from the store (Cache-Status contains "hit"), with the full body; prints one JSON object: when the port
      took a connection, when the first answer came and what it was, when the first hit came (ms after t0).
  million.py summary RUN
      the markdown summary of a run directory written by million.sh.
"""
import argparse
import datetime
import http.client
import json
import os
import random
import re
import statistics
import sys
import time

# --------------------------------------------------------------------------------------------------- pages
WORDS = """
the a of to and in is it that for on with as was be this by are at from or an have not but all they which one you
had were their there been has more when will would who so if out up about into than them can only other new some
could time these two may first then do any like my now over such our man me even most made after also did many
before must through back years where much your way well down should because each just those people how too little
state good very make world still own see men work long get here between both life being under never day same another
know while last might us great old year off come since against go came right used take three cache edge request
response origin server client page render deploy store memory disk latency network header browser proxy content
static dynamic template markdown post comment author editor reader feed archive draft publish update delete
purge tag index key value record batch write read flush compaction level table block filter bloom hash
function method class object module package build test bench measure profile thread event loop queue buffer
channel socket stream frame codec compression gzip brotli encoding identity length range status code error retry
timeout backoff circuit health ready metric counter gauge histogram percentile median throughput
""".split()
AUTHORS = ["alice", "bob", "carol", "dave", "erin", "frank", "grace", "heidi", "ivan", "judy", "mallory", "oscar"]
TAGS = ["caching", "http", "java", "netty", "rocksdb", "performance", "ops", "web", "design", "notes", "release",
        "howto", "debugging", "benchmarks", "linux", "storage"]


def sentence(rnd, lo, hi):
    words = [rnd.choice(WORDS) for _ in range(rnd.randint(lo, hi))]
    return " ".join(words).capitalize() + rnd.choice([".", ".", ".", "?", "!"])


def paragraph(rnd):
    return " ".join(sentence(rnd, 6, 18) for _ in range(rnd.randint(3, 6)))


def template(t, width, size):
    """One blog-post page with @NUM@ placeholders, sized so that it has `size` bytes once they hold `width` digits."""
    rnd = random.Random(t * 7919 + 17)
    title = " ".join(rnd.choice(WORDS) for _ in range(rnd.randint(4, 8))).title()
    author = rnd.choice(AUTHORS)
    date = f"2026-{rnd.randint(1, 12):02d}-{rnd.randint(1, 28):02d}"
    tags = rnd.sample(TAGS, 3)
    tag_links = ", ".join(f'<a href="/tags/{g}">{g}</a>' for g in tags)
    head = f"""<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>{title} (post @NUM@) - Edge blog</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="description" content="{sentence(rnd, 10, 16)}">
<link rel="canonical" href="https://blog.example/post/@NUM@">
<meta property="og:url" content="https://blog.example/post/@NUM@">
<meta property="og:title" content="{title}">
<link rel="stylesheet" href="/assets/site.css">
<link rel="alternate" type="application/atom+xml" href="/{author}/feed.xml">
</head>
<body>
<header class="site"><a class="logo" href="/">Edge blog</a>
<nav><a href="/">home</a> <a href="/{author}">{author}</a> <a href="/{author}/posts">posts</a> <a href="/about">about</a></nav>
</header>
<main>
<article id="post-@NUM@" class="post" data-author="{author}">
<h1>{title}</h1>
<p class="meta">by <a href="/{author}">{author}</a>, <time datetime="{date}">{date}</time>, tags: {tag_links}</p>
"""
    tail = f"""<p class="permalink"><a href="/post/@NUM@">permalink</a></p>
</article>
<aside class="share"><a href="https://social.example/share?url=https%3A%2F%2Fblog.example%2Fpost%2F@NUM@">share</a>
<a href="/{author}/posts">more from {author}</a></aside>
<section class="comments" data-post="@NUM@">
<h2>Comments</h2>
<div class="comment"><p class="who">{rnd.choice(AUTHORS)}</p><p>{sentence(rnd, 8, 20)}</p></div>
</section>
</main>
<footer><p>Edge blog, rendered by the origin. <a href="/feed.xml">feed</a> <a href="/sitemap.xml">sitemap</a></p></footer>
</body>
</html>
"""
    fixed = len(head) + len(tail) + (head.count("@NUM@") + tail.count("@NUM@")) * (width - len("@NUM@"))
    budget = size - fixed
    if budget < 64:
        raise SystemExit(f"million.py: page size {size} is too small for the template ({fixed} bytes of frame)")
    body = ""
    while True:
        p = "<p>" + paragraph(rnd) + "</p>\n"
        if len(body) + len(p) > budget - 32:
            break
        body += p
    room = budget - len(body) - len("<p></p>\n")
    text = ""
    while len(text) < room:
        text += paragraph(rnd) + " "
    body += "<p>" + text[:room] + "</p>\n"
    page = head + body + tail
    assert "@NUM@" not in body
    assert len(page) + page.count("@NUM@") * (width - 5) == size, (t, len(page))
    return page


def cmd_pages(a):
    os.makedirs(os.path.join(a.dir, "t"), exist_ok=True)
    for t in range(a.templates):
        with open(os.path.join(a.dir, "t", f"{t:02d}.html"), "w", encoding="ascii") as f:
            f.write(template(t, a.width, a.size))


# --------------------------------------------------------------------------------------------------- probe
def cmd_probe(a):
    rnd = random.Random()
    fmt = f"/post/%0{a.width}d"
    deadline = a.t0 + int(a.timeout * 1e9)
    out = {"listen_ms": None, "first_answer_ms": None, "first_status": None, "first_cache_status": None,
           "hit_ms": None, "answers_before_hit": 0, "attempts": 0}

    def ms(ns):
        return round((ns - a.t0) / 1e6, 1)

    while time.time_ns() < deadline:
        try:
            os.kill(a.pid, 0)
        except ProcessLookupError:
            out["error"] = "the edge exited"
            break
        out["attempts"] += 1
        conn = http.client.HTTPConnection(a.host, a.port, timeout=2)
        try:
            conn.connect()
            if out["listen_ms"] is None:
                out["listen_ms"] = ms(time.time_ns())
            conn.request("GET", fmt % rnd.randrange(a.pages))
            r = conn.getresponse()
            body = r.read()
            now = time.time_ns()
            cs = r.getheader("Cache-Status") or ""
            if out["first_answer_ms"] is None:
                out.update(first_answer_ms=ms(now), first_status=r.status, first_cache_status=cs)
            if r.status == 200 and "hit" in cs and len(body) == a.size:
                out["hit_ms"] = ms(now)
                out["hit_cache_status"] = cs
                break
            out["answers_before_hit"] += 1
        except (OSError, http.client.HTTPException):
            time.sleep(0.002)
        finally:
            conn.close()
    print(json.dumps(out))
    return 0 if out["hit_ms"] is not None else 1


# --------------------------------------------------------------------------------------------------- summary
def read_facts(run):
    facts = {}
    with open(os.path.join(run, "facts.txt")) as f:
        for line in f:
            if "=" in line:
                k, v = line.rstrip("\n").split("=", 1)
                facts[k] = v
    return facts


def wrk_result(path):
    """report.lua's RESULT line and million-read.lua's CHECK / million-fill.lua's FILL line, as one dict."""
    out = {}
    try:
        text = open(path).read()
    except OSError:
        return out
    for line in text.splitlines():
        head, _, rest = line.partition(" ")
        if head in ("RESULT", "CHECK", "FILL"):
            for kv in rest.split():
                k, _, v = kv.partition("=")
                out[k] = int(v)
    return out


def rss_samples(path):
    """(epoch seconds, rss KiB) pairs written by million.sh's sampler."""
    out = []
    try:
        for line in open(path):
            t, kb = line.split()
            out.append((float(t), int(kb)))
    except (OSError, ValueError):
        pass
    return out


GC_LINE = re.compile(r"^\[([^\]]+)\]\[[^\]]*\]\[[^\]]*\]\[([^\]]+)\]\s*(.*)$")
PAUSE = re.compile(r"\bPause\b.*?(\d+(?:\.\d+)?)ms\s*$")


def gc_pauses(path):
    """(epoch seconds, pause ms, text) of every stop-the-world pause in a -Xlog:gc* file decorated with
    utctime,uptime,level,tags: G1, Parallel and Serial log one "[gc] GC(n) Pause ... 1.234ms" line per pause;
    ZGC and Shenandoah log theirs under [gc,phases] ("y: Pause Mark Start 0.010ms")."""
    out = []
    try:
        lines = open(path, errors="replace").read().splitlines()
    except OSError:
        return out
    for line in lines:
        m = GC_LINE.match(line)
        if not m:
            continue
        stamp, tags, msg = m.group(1), m.group(2).strip(), m.group(3)
        if tags not in ("gc", "gc,phases"):
            continue
        p = PAUSE.search(msg)
        if not p:
            continue
        try:
            t = datetime.datetime.strptime(stamp, "%Y-%m-%dT%H:%M:%S.%f%z").timestamp()
        except ValueError:
            continue
        out.append((t, float(p.group(1)), msg))
    return out


def pct(values, q):
    """Nearest-rank percentile (q in 0..100) of a non-empty list."""
    v = sorted(values)
    k = max(0, min(len(v) - 1, int(round(q / 100 * len(v) + 0.5)) - 1))
    return v[k]


def within(t, windows):
    return any(a <= t <= b for a, b in windows)


def gc_line(pauses):
    if not pauses:
        return "no pause logged"
    ms = [p for _, p, _ in pauses]
    over = sum(1 for p in ms if p > 10)
    return (f"{len(ms)} pauses, max {max(ms):.2f} ms, p99 {pct(ms, 99):.2f} ms, median {statistics.median(ms):.2f} ms, "
            f"total {sum(ms):.0f} ms, {over} over 10 ms")


def metric_deltas(before, after, name):
    """Deltas of one Prometheus counter between two /metrics snapshots, by label set."""
    def parse(path):
        out = {}
        try:
            for line in open(path):
                if line.startswith(name + "{") or line.startswith(name + " "):
                    key, _, val = line.rstrip().rpartition(" ")
                    out[key[len(name):]] = float(val)
        except OSError:
            pass
        return out
    b, a = parse(before), parse(after)
    return {k: a[k] - b.get(k, 0.0) for k in a if a[k] - b.get(k, 0.0) > 0}


def outcome_deltas(run, name):
    """edge_requests_total deltas by outcome (all routes) between metrics/NAME.before and metrics/NAME.after."""
    out = {}
    for labels, v in metric_deltas(os.path.join(run, "metrics", name + ".before"),
                                   os.path.join(run, "metrics", name + ".after"), "edge_requests_total").items():
        m = re.search(r'outcome="([^"]*)"', labels)
        if m:
            out[m.group(1)] = out.get(m.group(1), 0) + int(v)
    return out


def outcome_text(outcomes):
    return ", ".join(f"{k} {v:,}" for k, v in sorted(outcomes.items())) or "n/a (no /metrics)"


def gauges(path, name):
    """label set -> value of one gauge in a /metrics snapshot."""
    out = {}
    try:
        for line in open(path):
            if line.startswith(name + "{"):
                key, _, val = line.rstrip().rpartition(" ")
                out[key[len(name):]] = float(val)
    except OSError:
        pass
    return out


LOG_TIME = re.compile(r"^(\d\d):(\d\d):(\d\d)\.(\d\d\d) ")


def start_steps(run, f, name):
    """(step, seconds after the spawn) of one edge start: the JVM's first GC log line, then the edge's own log lines
    for the config read, the native libraries, and listening (its HH:MM:SS.mmm times, read in local time)."""
    phase = {"crash": "crash", "clean": "reads"}[name]
    t0 = f.get("t0_" + phase)
    if not t0:
        return []
    spawn = int(t0) / 1e9
    steps = []
    for t in first_gc_time(os.path.join(run, f"gc-{phase}.log")):
        steps.append(("JVM up (first GC log line)", t - spawn))
    day = datetime.datetime.fromtimestamp(spawn)
    marks = (("EdgeMain edge.config", "config read"), ("NativeLibraries native.libraries", "native libraries loaded"),
             ("EdgeServer edge.listen", "listening (store open)"))
    try:
        lines = open(os.path.join(run, f"edge-{phase}.log"), errors="replace").read().splitlines()
    except OSError:
        lines = []
    for needle, what in marks:
        for line in lines:
            m = LOG_TIME.match(line)
            if m and needle in line:
                at = day.replace(hour=int(m[1]), minute=int(m[2]), second=int(m[3]), microsecond=int(m[4]) * 1000)
                if at.timestamp() < spawn - 3600:  # the start crossed midnight
                    at += datetime.timedelta(days=1)
                steps.append((what, at.timestamp() - spawn))
                break
    return steps


def first_gc_time(path):
    try:
        with open(path, errors="replace") as fh:
            m = GC_LINE.match(fh.readline())
        return [datetime.datetime.strptime(m.group(1), "%Y-%m-%dT%H:%M:%S.%f%z").timestamp()] if m else []
    except (OSError, ValueError):
        return []


def fmt_ms(v):
    return "n/a" if v is None else f"{v / 1000:.2f} s"


def cmd_summary(a):
    run = a.run
    f = read_facts(run)
    pages = int(f["pages"])
    p = print
    p(f"# bench/load/million.sh: {pages:,} pages, store.memory {f['memory']}")
    p()
    p(f"- date: {f['date']}")
    p(f"- machine: {f['machine']}")
    p(f"- load average before the run: {f['loadavg_start']}; after: {f.get('loadavg_end', 'n/a')}")
    p(f"- command: `{f['command']}`")
    p(f"- edge: {f['jar']}")
    p(f"- JVM: {f.get('jvm_flags', 'n/a')}")
    p(f"- tools: {f['versions']}")
    p(f"- pages: /post/<n> (n zero-padded to {f['key_width']} digits), {f['page_bytes']} B text/html each, "
      f"{f['templates']} blog-post templates with the number in 7 places (nginx sub_filter, chunked); "
      f"origin alone: {int(float(f['origin_rps'])):,} req/s (uniform keys, {f['conns']} conns)")
    p()

    # fill
    p("## Fill (misses through the edge)")
    p()
    if f.get("fill") == "skipped":
        p(f"Skipped: the store in `{f['store_dir']}` was filled by an earlier run (KEEP_STORE=1).")
    else:
        r = wrk_result(os.path.join(run, "wrk", "fill.txt"))
        secs = float(f["fill_secs"])
        answered = r.get("answered", 0)
        outcomes = outcome_deltas(run, "fill")
        p("| pages answered | time | pages/s | stored misses (edge) | not 200 | socket errors | p50 / p99 ms "
          "| max RSS (fill) |")
        p("|---:|---:|---:|---:|---:|---:|---:|---:|")
        rss = rss_samples(os.path.join(run, "rss-fill.tsv"))
        max_rss = max((kb for _, kb in rss), default=0) / 1024
        p(f"| {answered:,} of {pages:,} | {secs:.1f} s | {answered / secs:,.0f} | {outcomes.get('miss-stored', 0):,} "
          f"| {r.get('not200', 'n/a')} | {r.get('errors', 'n/a')} | {r.get('p50_us', 0) / 1000:.2f} / "
          f"{r.get('p99_us', 0) / 1000:.2f} | {max_rss:.0f} MiB |")
        p()
        p(f"{f['fill_conns']} connections; pages/s counts from the first request to the last answer. Edge outcomes "
          f"during the fill: {outcome_text(outcomes)}.  ")
        p(f"GC during the fill: {gc_line(gc_pauses(os.path.join(run, 'gc-fill.log')))}.")
    p()

    # restarts
    p("## Restart: process spawn to the first hit served from the store")
    p()
    p("| restart | port open | first answer | first hit (target) | answers before it | previous process stopped in |")
    p("|---|---:|---:|---:|---:|---:|")
    for name, label, target, stop_key in (("crash", "after `kill -9`", 3000, "kill9_note"),
                                          ("clean", "after a clean stop (TERM)", 2000, "term_ms")):
        path = os.path.join(run, f"probe-{name}.json")
        try:
            j = json.load(open(path))
        except (OSError, ValueError):
            p(f"| {label} | n/a | n/a | n/a | n/a | n/a |")
            continue
        hit = j.get("hit_ms")
        verdict = "n/a" if hit is None else ("met" if hit < target else "**missed**")
        first = "n/a" if j.get("first_answer_ms") is None else \
            f"{fmt_ms(j['first_answer_ms'])} ({j.get('first_status')} `{j.get('first_cache_status')}`)"
        stop = f.get(stop_key, "n/a")
        stop = f"{int(stop) / 1000:.2f} s (TERM)" if stop_key == "term_ms" and stop.isdigit() else stop
        p(f"| {label} | {fmt_ms(j.get('listen_ms'))} | {first} | {fmt_ms(hit)} (< {target / 1000:.0f} s: {verdict}) "
          f"| {j.get('answers_before_hit')} | {stop} |")
    p()
    p("A probe asks for a random stored page every few ms from the moment `bin/edge` is spawned; a hit must be a "
      "200 whose `Cache-Status` contains `hit` with the full body.")
    for name, label in (("crash", "after `kill -9`"), ("clean", "after TERM")):
        steps = start_steps(run, f, name)
        if steps:
            p(f"Start {label}, from the spawn: " + ", ".join(f"{what} {secs:.2f} s" for what, secs in steps) + ".  ")
    p()

    # reads
    runs = []
    with open(os.path.join(run, "runs.tsv")) as fh:
        header = fh.readline().rstrip("\n").split("\t")
        for line in fh:
            runs.append(dict(zip(header, line.rstrip("\n").split("\t"))))
    rss = rss_samples(os.path.join(run, "rss-reads.tsv"))
    pauses = gc_pauses(os.path.join(run, "gc-reads.log"))
    kinds = ["hot", "uniform", "zipf"]
    rows = {k: [] for k in kinds}
    for r in runs:
        res = wrk_result(os.path.join(run, "wrk", r["file"]))
        t0, t1 = int(r["t0_ns"]) / 1e9, int(r["t1_ns"]) / 1e9
        secs = res.get("duration_us", 0) / 1e6 or (t1 - t0)
        reqs = res.get("requests", 0)
        cpu_us = int(r["edge_cpu_ticks"]) / int(f["hz"]) * 1e6
        tiers = outcome_deltas(run, r["file"])
        rows[r["kind"]].append({
            "round": r["round"], "rps": reqs / secs if secs else 0, "p50": res.get("p50_us", 0) / 1000,
            "p99": res.get("p99_us", 0) / 1000, "errors": res.get("errors", 0) + res.get("non2xx", 0),
            "nonhits": res.get("nonhits"), "checked": res.get("checked"), "origin": int(r["origin_reqs"]),
            "cpu": cpu_us / max(reqs, 1), "busy": float(r["box_busy_cores"]),
            "rss": max((kb for t, kb in rss if t0 <= t <= t1), default=0) / 1024, "window": (t0, t1),
            "gc": [x for x in pauses if t0 <= x[0] <= t1], "tiers": tiers})
    med = statistics.median

    def m(kind, key):
        v = [x[key] for x in rows[kind]]
        return med(v) if v else 0

    p(f"## Reads: {f['conns']} connections, {f['duration']} s per run, {f['rounds']} round(s), "
      f"{f['pre_secs']} s of the same keys before each run (not measured)")
    p()
    if "page_cache" in f:
        p(f"Store files in the kernel's page cache after the warm-up (`cat`), before the reads: {f['page_cache']}.")
        p()
    p("| keys | runs | req/s | x hot | p50 ms | p99 ms | non-hits (Cache-Status) | origin requests | errors "
      "| edge CPU us/req | max RSS | GC pauses in runs (max) | box busy cores |")
    p("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    hot_rps = {x["round"]: x["rps"] for x in rows["hot"]}
    labels = {"hot": f"hot: uniform over {int(f['hot_keys']):,}",
              "uniform": f"uniform over {pages:,}",
              "zipf": f"Zipf s={f['zipf_s']} over {pages:,}"}
    ratio = {}
    for k in kinds:
        if not rows[k]:
            continue
        paired = [x["rps"] / hot_rps[x["round"]] for x in rows[k] if hot_rps.get(x["round"])]
        ratio[k] = med(paired) if paired else 0
        nonhits = sum(x["nonhits"] for x in rows[k] if x["nonhits"] is not None)
        checked = sum(x["checked"] for x in rows[k] if x["checked"] is not None)
        nh = f"{nonhits:,} of {checked:,}" if checked else "not checked"
        gcs = [g for x in rows[k] for g in x["gc"]]
        gmax = f"{len(gcs)} ({max(g[1] for g in gcs):.2f} ms)" if gcs else "0"
        p(f"| {labels[k]} | {len(rows[k])} | {m(k, 'rps'):,.0f} | x{ratio[k]:.2f} | {m(k, 'p50'):.2f} "
          f"| {m(k, 'p99'):.2f} | {nh} | {sum(x['origin'] for x in rows[k]):,} | {sum(x['errors'] for x in rows[k])} "
          f"| {m(k, 'cpu'):.1f} | {max(x['rss'] for x in rows[k]):.0f} MiB | {gmax} | {m(k, 'busy'):.2f} |")
    p()
    p("Medians over rounds; `x hot` is the median of per-round ratios to the hot run of the same round. Each run:")
    p()
    p("| round | keys | req/s | x hot | p50 ms | p99 ms | edge CPU us/req | box busy cores |")
    p("|---:|---|---:|---:|---:|---:|---:|---:|")
    for r in sorted({x["round"] for k in kinds for x in rows[k]}, key=int):
        for k in kinds:
            for x in rows[k]:
                if x["round"] == r:
                    hot = hot_rps.get(r)
                    p(f"| {r} | {k} | {x['rps']:,.0f} | {'x%.2f' % (x['rps'] / hot) if hot else 'n/a'} "
                      f"| {x['p50']:.2f} | {x['p99']:.2f} | {x['cpu']:.1f} | {x['busy']:.2f} |")
    p()
    tier_lines = []
    for k in kinds:
        total = {}
        for x in rows[k]:
            for outcome, v in x["tiers"].items():
                total[outcome] = total.get(outcome, 0) + v
        if rows[k]:
            tier_lines.append(f"{k}: {outcome_text(total)}")
    if tier_lines:
        p("Edge outcomes (`edge_requests_total`) in the measured runs: " + "; ".join(tier_lines) + ".")
    p()

    # targets
    memory_mib = float(f["memory_mib"])
    windows = [x["window"] for k in kinds for x in rows[k]]
    read_rss = max((kb for t, kb in rss if within(t, windows)), default=0) / 1024
    read_pauses = [x for x in pauses if within(x[0], windows)]
    p("## Targets (issue 12)")
    p()
    p("| target | measured | |")
    p("|---|---:|---|")

    def verdict(ok):
        return "met" if ok else "**missed**"
    if "uniform" in ratio:
        p(f"| uniform >= 0.5x hot req/s | x{ratio['uniform']:.2f} | {verdict(ratio['uniform'] >= 0.5)} |")
        # the floor this box puts under any p99: the hot run's, every answer from memory (RESULTS §22)
        floor = f" (hot: {m('hot', 'p99'):.2f} ms)" if rows["hot"] else ""
        p(f"| uniform p99 < 5 ms | {m('uniform', 'p99'):.2f} ms{floor} | {verdict(m('uniform', 'p99') < 5)} |")
    if "zipf" in ratio:
        p(f"| Zipf (s={f['zipf_s']}) >= 0.8x hot req/s | x{ratio['zipf']:.2f} | {verdict(ratio['zipf'] >= 0.8)} |")
    for name, label, target in (("crash", "first hit after kill -9 < 3 s", 3000),
                                ("clean", "first hit after a clean restart < 2 s", 2000)):
        try:
            hit = json.load(open(os.path.join(run, f"probe-{name}.json"))).get("hit_ms")
        except (OSError, ValueError):
            hit = None
        p(f"| {label} | {fmt_ms(hit)} | {verdict(hit is not None and hit < target)} |")
    p(f"| RSS during reads <= store.memory + 150 MiB ({memory_mib + 150:.0f} MiB) | {read_rss:.0f} MiB "
      f"| {verdict(0 < read_rss <= memory_mib + 150)} |")
    worst = max((x[1] for x in read_pauses), default=0.0)
    p(f"| no GC pause > 10 ms in the read runs | max {worst:.2f} ms | {verdict(worst <= 10)} |")
    p()
    p(f"GC in the measured read runs: {gc_line(read_pauses)}.  ")
    all_pauses = pauses
    p(f"GC over the whole life of the reading process (start, warm-up and the runs): {gc_line(all_pauses)}.  ")
    hwm = f.get("vmhwm_kib")
    if hwm:
        p(f"Peak RSS of the reading process over its life (VmHWM): {int(hwm) / 1024:.0f} MiB.")
    p()
    p("## Store")
    p()
    p(f"`{f['store_dir']}`: {int(f['store_bytes']) / 2**20:,.0f} MiB on disk in {f['store_files']} files "
      f"({int(f['store_bytes']) / max(pages, 1):,.0f} B per page) after the last stop.")
    if runs:
        last = os.path.join(run, "metrics", runs[-1]["file"] + ".after")
        entries, size = gauges(last, "edge_store_entries"), gauges(last, "edge_store_bytes")
        tiers = []
        for labels, n in sorted(entries.items()):
            tier = re.search(r'tier="([^"]*)"', labels)
            tiers.append(f"{tier.group(1) if tier else labels}: {int(n):,} entries, "
                         f"{size.get(labels, 0) / 2**20:,.1f} MiB")
        if tiers:
            p(f"The edge's own count after the last run (`edge_store_entries`, `edge_store_bytes`): "
              + "; ".join(tiers) + ".")
    return 0


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="cmd", required=True)
    pg = sub.add_parser("pages")
    pg.add_argument("dir")
    pg.add_argument("--width", type=int, required=True)
    pg.add_argument("--size", type=int, required=True)
    pg.add_argument("--templates", type=int, default=100)
    pr = sub.add_parser("probe")
    pr.add_argument("--t0", type=int, required=True)
    pr.add_argument("--host", default="127.0.0.1")
    pr.add_argument("--port", type=int, required=True)
    pr.add_argument("--pages", type=int, required=True)
    pr.add_argument("--width", type=int, required=True)
    pr.add_argument("--size", type=int, required=True)
    pr.add_argument("--pid", type=int, required=True)
    pr.add_argument("--timeout", type=float, default=60)
    su = sub.add_parser("summary")
    su.add_argument("run")
    a = ap.parse_args()
    return {"pages": cmd_pages, "probe": cmd_probe, "summary": cmd_summary}[a.cmd](a)


if __name__ == "__main__":
    sys.exit(main())
