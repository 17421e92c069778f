# bench.py: the benchmark bench/run drives: scaled corpora, indexing and search, side by side.
"""Measures policy-index / policy-query against rg, SQLite FTS5 (trigram) and Xapian's own
CJK n-gram indexer on synthetic corpora 1x, 100x, 1000x the bundled plans, in one run.
Searches are timed as whole commands and, for policy-query, also inside one process with
the index already open (bench-pq-latency).

Writes RESULTS/bench.json and RESULTS/bench.md and prints the markdown. See README,
section Performance.
"""

import argparse
import datetime
import json
import os
import platform
import random
import re
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import textwrap
import time

import gencorpus

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
MB = 1e6

# The fixed query set. Terms are literal strings from the bundled plans.
CLAUSE30 = "健全立德树人落实机制，全面发展素质教育，推动“双减”落地见效"
QUERIES = [
    # name, policy-query arguments, rg pattern(s) (AND over one line); the FTS5 MATCH is
    # built from the same patterns (fts5_sql), or left out when one is under 3 characters
    ("1 char", ["校"], ["校"]),
    ("2 chars", ["双减"], ["双减"]),
    ("2 chars, common", ["教育"], ["教育"]),
    ("4 chars", ["产教融合"], ["产教融合"]),
    # a 4-character term whose bigrams are all common (职业 and 教育): walked, every clause
    # holding both would be checked on its text; the index keeps its clauses (ngrams)
    ("4 chars, common bigrams", ["职业教育"], ["职业教育"]),
    ("30-char clause", [CLAUSE30], [CLAUSE30]),
    ("2 terms AND", ["课后服务", "双减"], ["课后服务", "双减"]),
    ("paragraph pair", ["--scope", "paragraph", "课后服务", "双减"], ["课后服务", "双减"]),
    ("city filter", ["--city", "s00003", "双减"], ["双减"]),
]
KWIC_TERM = "教育"
FREQ_TERMS = 1000
PUNCTUATION = "，。；：！？、"


def one_hit_query(corpus):
    """A query with exactly one hit at any scale: the first stretch of the first plan's body
    between two punctuation marks, 8 to 20 characters long, that occurs once in that plan,
    looked up in that plan only (--city)."""
    with open(os.path.join(corpus, "manifest.json"), encoding="utf-8") as f:
        plan = json.load(f)["plans"][0]
    with open(os.path.join(corpus, plan["file"]), encoding="utf-8") as f:
        lines = f.read().split("\n")
    first, last = plan["body_lines"]
    body = "\n".join(lines[first - 1:last])
    for piece in re.split("[" + PUNCTUATION + "\\s]+", body):
        if 8 <= len(piece) <= 20 and re.fullmatch(r"[\u4e00-\u9fff]+", piece) and \
                body.count(piece) == 1:
            return ["--city", plan["city_id"], piece], piece
    raise SystemExit("bench: no one-hit query found in " + corpus)


def log(msg):
    print(f"bench: {msg}", file=sys.stderr, flush=True)


def run_rss(cmd):
    """Run cmd; (wall seconds, CPU seconds (user + system), peak RSS MB, stdout bytes).
    Raises on error."""
    t0 = time.perf_counter()
    # stderr to a file, not a pipe: a build that warns of thousands of plans would fill a
    # pipe nobody reads until stdout ends, and wait there
    with open(os.devnull, "wb") as null, tempfile.TemporaryFile() as errf:
        proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=errf, stdin=null)
        out = proc.stdout.read()
        _, status, usage = os.wait4(proc.pid, 0)
        errf.seek(0)
        err = errf.read()
    elapsed = time.perf_counter() - t0
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed ({proc.returncode}): "
                           f"{err.decode(errors='replace')[-2000:]}")
    return elapsed, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024.0, out


def du(path):
    total = 0
    for dirpath, _, files in os.walk(path):
        for f in files:
            fp = os.path.join(dirpath, f)
            if not os.path.islink(fp):
                total += os.path.getsize(fp)
    return total


def timed_runs(cmd, runs, budget, shell=False, ok=(0,)):
    """Warm latency: one unmeasured run, then up to `runs` measured ones (stopping early
    once `budget` seconds are spent, after at least one). Returns stats in ms, or
    {"error": ...} when the first run exits with a status not in `ok` (a failing command
    would otherwise be timed as a fast one)."""
    def once():
        t0 = time.perf_counter()
        r = subprocess.run(cmd, shell=shell, stdout=subprocess.DEVNULL,
                           stderr=subprocess.PIPE, check=False)
        return (time.perf_counter() - t0) * 1000.0, r
    first, r = once()
    if r.returncode not in ok:
        return {"error": f"exit {r.returncode}: "
                         f"{r.stderr.decode(errors='replace').strip()[:300]}"}
    times, spent = [], 0.0
    for _ in range(runs):
        if times and spent > budget * 1000.0:
            break
        t, _ = once()
        times.append(t)
        spent += t
    return stats(times)


def stats(times, digits=2):
    """p50 / p95 / max of a list of ms, rounded to `digits` decimals, and how many."""
    times = sorted(times)
    pick = lambda q: times[min(len(times) - 1, int(round(q * (len(times) - 1))))]
    return {"p50_ms": round(pick(0.5), digits), "p95_ms": round(pick(0.95), digits),
            "max_ms": round(times[-1], digits), "runs": len(times)}


def inprocess_runs(latency, idx, pq_args, runs, budget):
    """Warm latency inside one process (bench/pq_latency.c): the index opened once, one
    unmeasured search, then up to `runs` measured ones within `budget` seconds, as
    timed_runs does for whole commands. Each is a search, its first page written as text
    and the results freed. Returns stats in ms plus the hits total, or {"error": ...}."""
    r = subprocess.run([latency, "--db", idx, "--runs", str(runs), "--warmup", "1",
                        "--budget", str(budget), "--"] + pq_args,
                       capture_output=True, check=False)
    if r.returncode != 0:
        return {"error": f"exit {r.returncode}: "
                         f"{r.stderr.decode(errors='replace').strip()[:300]}"}
    out = json.loads(r.stdout)
    # a search with the index open can take well under 0.1 ms: µs, so ratios stay exact
    return dict(stats(out["ms"], digits=3), total=out["total"])


def machine(build):
    def first_line(cmd):
        try:
            return subprocess.run(cmd, capture_output=True, text=True,
                                  check=False).stdout.splitlines()[0].strip()
        except (OSError, IndexError):
            return "n/a"
    cpu = "n/a"
    with open("/proc/cpuinfo", encoding="utf-8") as f:
        for line in f:
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    mem = "n/a"
    with open("/proc/meminfo", encoding="utf-8") as f:
        for line in f:
            if line.startswith("MemTotal"):
                mem = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
    return {
        "cpu": cpu, "cores": os.cpu_count(), "ram": mem,
        "kernel": platform.release(), "os": first_line(["sh", "-c", ". /etc/os-release; "
                                                        "echo $PRETTY_NAME"]),
        "policy_search": first_line(["git", "-C", ROOT, "describe", "--always", "--dirty"]),
        "build": build,
        "compiler": first_line(["cc", "--version"]),
        "xapian": first_line(["pkg-config", "--modversion", "xapian-core"]),
        "icu": first_line(["pkg-config", "--modversion", "icu-uc"]),
        "ripgrep": first_line(["rg", "--version"]),
        "sqlite": sqlite3.sqlite_version,
        "python": platform.python_version(),
        "load_average_at_start": os.getloadavg()[0],
    }


def ensure_corpus(work, build, scale):
    """The scale's corpus under work/, regenerated when missing or from another version."""
    out = os.path.join(work, f"corpus-{scale}x")
    stamp = os.path.join(out, ".stamp")
    want = f"{gencorpus.VERSION} {gencorpus.SEED} {scale}"
    if os.path.exists(stamp):
        with open(stamp, encoding="utf-8") as f:
            if f.read() == want:
                return out
    shutil.rmtree(out, ignore_errors=True)
    log(f"generating the {scale}x corpus in {out}")
    gencorpus.generate(os.path.join(build, "indexer", "policy-index"),
                       os.path.join(ROOT, "corpus"), out, scale)
    with open(stamp, "w", encoding="utf-8") as f:
        f.write(want)
    return out


def corpus_bytes(corpus):
    files = [f for f in os.listdir(corpus) if f.endswith(".txt")]
    return len(files), sum(os.path.getsize(os.path.join(corpus, f)) for f in files)


def fts5_build(corpus, db):
    """Child process entry: one FTS5 row (trigram tokenizer) per non-blank line."""
    if os.path.exists(db):
        os.unlink(db)
    con = sqlite3.connect(db)
    con.execute("CREATE VIRTUAL TABLE lines USING fts5(city UNINDEXED, text, "
                "tokenize='trigram')")
    for name in sorted(os.listdir(corpus)):
        if not name.endswith(".txt"):
            continue
        with open(os.path.join(corpus, name), encoding="utf-8") as f:
            rows = [(name[:-4], line) for line in f.read().split("\n") if line.strip()]
        con.executemany("INSERT INTO lines VALUES (?, ?)", rows)
    con.commit()
    con.close()


def fts5_sql(terms, city=None):
    match = " AND ".join('"' + t.replace('"', '""') + '"' for t in terms)
    sql = "SELECT count(*) FROM lines WHERE lines MATCH '" + match.replace("'", "''") + "'"
    if city:
        sql += f" AND city = '{city}'"
    return sql + ";"


def features(pq):
    """Which of the newer policy-query features this build has: a command is there when
    `policy-query --help` lists it (an unknown word would be searched for, not refused)."""
    def text(args):
        r = subprocess.run([pq] + args, capture_output=True, text=True, check=False)
        return r.stdout + r.stderr
    commands = set()
    listing = False
    for line in text(["--help"]).splitlines():
        if line.strip().endswith("Commands:"):
            listing = True
        elif listing and line.startswith("  ") and line.strip():
            commands.add(line.split()[0])
        elif listing and not line.strip():
            listing = False
    return {"scope": "--scope" in text(["search", "--help"]),
            "freq": "freq" in commands, "kwic": "kwic" in commands}


def freq_terms(n):
    """n distinct 2-4 character Han strings from the bundled plans, by a fixed seed."""
    seen = {}
    for name in sorted(os.listdir(os.path.join(ROOT, "corpus"))):
        if not name.endswith(".txt"):
            continue
        with open(os.path.join(ROOT, "corpus", name), encoding="utf-8") as f:
            for run in re.findall(r"[\u4e00-\u9fff]+", f.read()):
                for k in (2, 3, 4):
                    for i in range(len(run) - k + 1):
                        s = run[i:i + k]
                        seen[s] = seen.get(s, 0) + 1
    common = sorted(s for s, c in seen.items() if c >= 3)
    return random.Random(gencorpus.SEED).sample(common, min(n, len(common)))


def bench_scale(args, build, scale, feats, save):
    """Measure one scale. The order puts policy-index and policy-query first and the
    other tools after them, and save(res) is called after every step, so a run that is
    stopped early still leaves the figures it has."""
    work = args.work
    corpus = ensure_corpus(work, build, scale)
    n_plans, nbytes = corpus_bytes(corpus)
    mb = nbytes / MB
    log(f"{scale}x: {n_plans} plans, {mb:.2f} MB")
    res = {"scale": scale, "plans": n_plans, "bytes": nbytes, "indexing": {}, "search": {}}
    pi = os.path.join(build, "indexer", "policy-index")
    pq = os.path.join(build, "cli", "policy-query")
    latency = os.path.join(build, "bench", "bench-pq-latency")
    idx = os.path.join(work, f"index-{scale}x")
    xdb = os.path.join(work, f"xapian-ngram-{scale}x")
    fdb = os.path.join(work, f"fts5-{scale}x.sqlite")
    shutil.rmtree(idx, ignore_errors=True)
    shutil.rmtree(xdb, ignore_errors=True)

    def indexing(name, cmd, db):
        log(f"{scale}x: indexing with {name}")
        secs, cpu, rss, _ = run_rss(cmd)
        size = du(db) if db and os.path.isdir(db) else (os.path.getsize(db) if db else 0)
        res["indexing"][name] = {
            "seconds": round(secs, 3), "mb_per_s": round(mb / secs, 3),
            "cpu_seconds": round(cpu, 3), "mb_per_cpu_s": round(mb / cpu, 3),
            "peak_rss_mb": round(rss, 1), "index_mb": round(size / MB, 2),
            "index_per_text": round(size / nbytes, 2) if db else None}
        save(res)

    indexing("policy-index", [pi, "--quiet", "--corpus", corpus, "--db", idx], idx)
    indexing("icu-words", [os.path.join(build, "bench", "bench-icu-words"), corpus], None)

    runs, budget = args.runs, args.budget
    one_hit, piece = one_hit_query(corpus)
    log(f"{scale}x: a one-hit command and the library floor")
    res["search"]["one-hit command"] = {
        "policy-query": timed_runs([pq, "--db", idx] + one_hit, runs, budget),
        "policy-query in-process": inprocess_runs(latency, idx, one_hit, runs, budget),
        "rg": timed_runs(["rg", "-F", "-c", "--no-messages", piece,
                          os.path.join(corpus, one_hit[1] + ".txt")], runs, budget, ok=(0, 1)),
        "fts5": None,
        # a program linked with policy-query's libraries that exits at once (bench/floor.c)
        "floor": timed_runs([os.path.join(build, "bench", "bench-floor")], runs, budget)}
    save(res)
    for name, pq_args, rg_terms in QUERIES:
        log(f"{scale}x: search {name}")
        row = {"fts5": None}
        scoped = "--scope" in pq_args
        city = pq_args[pq_args.index("--city") + 1] if "--city" in pq_args else None
        if scoped and not feats["scope"]:
            row["policy-query"] = row["policy-query in-process"] = None
        else:
            row["policy-query"] = timed_runs([pq, "--db", idx] + pq_args, runs, budget)
            row["policy-query in-process"] = inprocess_runs(latency, idx, pq_args, runs,
                                                            budget)
        target = os.path.join(corpus, city + ".txt") if city else corpus
        if len(rg_terms) == 1:
            rg = ["rg", "-F", "-c", "--no-messages", rg_terms[0], target]
            row["rg"] = timed_runs(rg, runs, budget, ok=(0, 1))
        else:  # lines holding every term: one rg per further term over the first's lines
            pipe = f"rg -F --no-filename --no-line-number '{rg_terms[0]}' '{target}'"
            for t in rg_terms[1:-1]:
                pipe += f" | rg -F '{t}'"
            pipe += f" | rg -F -c '{rg_terms[-1]}'"
            row["rg"] = timed_runs(pipe, runs, budget, shell=True, ok=(0, 1))
        res["search"][name] = row
        save(res)

    log(f"{scale}x: freq and kwic")
    terms_file = os.path.join(work, "freq-terms.txt")
    with open(terms_file, "w", encoding="utf-8") as f:
        f.write("\n".join(freq_terms(FREQ_TERMS)) + "\n")
    res["search"]["freq 1000 terms"] = {
        "policy-query": (timed_runs([pq, "freq", "--db", idx, "-f", terms_file], runs, budget)
                         if feats["freq"] else None),
        # what the target compares with: rg counting ONE term over the same text
        "rg": timed_runs(["rg", "-F", "-c", "--no-messages", "双减", corpus], runs, budget,
                         ok=(0, 1)),
        "fts5": None}
    res["search"]["freq 1000 terms --wide"] = {
        "policy-query": (timed_runs([pq, "freq", "--wide", "--db", idx, "-f", terms_file], runs,
                                    budget) if feats["freq"] else None),
        "rg": res["search"]["freq 1000 terms"]["rg"], "fts5": None}
    res["search"][f"kwic {KWIC_TERM}"] = {
        "policy-query": (timed_runs([pq, "kwic", "--db", idx, KWIC_TERM], runs, budget)
                         if feats["kwic"] else None),
        "rg": timed_runs(["rg", "-F", "-n", "--no-messages", KWIC_TERM, corpus], runs, budget,
                         ok=(0, 1)),
        "fts5": None}
    save(res)
    if not args.keep:
        shutil.rmtree(idx, ignore_errors=True)

    indexing("xapian-ngram", [os.path.join(build, "bench", "bench-xapian-ngram"), corpus, xdb],
             xdb)
    shutil.rmtree(xdb, ignore_errors=True)  # measured; not needed for the searches
    indexing("sqlite-fts5-trigram", [sys.executable, os.path.join(HERE, "bench.py"),
                                     "--fts5-build", corpus, fdb], fdb)
    for name, pq_args, rg_terms in QUERIES:
        city = pq_args[pq_args.index("--city") + 1] if "--city" in pq_args else None
        # the trigram tokenizer cannot match under 3 characters
        if min(len(t) for t in rg_terms) >= 3:
            log(f"{scale}x: FTS5 search {name}")
            res["search"][name]["fts5"] = timed_runs(
                ["sqlite3", "-readonly", fdb, fts5_sql(rg_terms, city)], runs, budget)
            save(res)
    if not args.keep and os.path.exists(fdb):
        os.unlink(fdb)
    return res


def ratio(a, b):
    if not a or not b:
        return None
    r = a / b
    return round(r, 2) if r >= 0.1 else float(f"{r:.2g}")


def fmt_ms(s):
    if s is None:
        return "n/a"
    if "error" in s:
        return "failed (" + s["error"].split(":")[0] + ")"
    # tenths of a ms, hundredths under 1 ms (in-process searches)
    one = lambda v: f"{v:.1f}" if v >= 1 else f"{v:.2f}"
    return f"{one(s['p50_ms'])} / {one(s['p95_ms'])} / {one(s['max_ms'])}"


def p50(s):
    return s["p50_ms"] if s and "p50_ms" in s else None


def markdown(result, feats):
    out = []
    m = result["machine"]
    out.append(f"Machine: {m['cpu']}, {m['cores']} cores, {m['ram']} RAM, Linux {m['kernel']} "
               f"({m['os']}); load average {m['load_average_at_start']:.1f} at start. "
               f"policy-search {m['policy_search']} ({m['build']}), Xapian {m['xapian']}, "
               f"ICU {m['icu']}, {m['ripgrep']}, SQLite {m['sqlite']}; load average "
               f"{m.get('load_average_at_end', 0):.1f} at the end. "
               f"Run {result['date']}{' (--quick)' if result['quick'] else ''}.")
    out.append("")
    out.append("Indexing (MB of source text; every tool is single-threaded, so speed is given per "
               "CPU second (user + system) as well as per wall second, and the ratio against "
               "policy-index uses CPU time, which other load on the machine disturbs least):")
    out.append("")
    out.append("| scale | text MB | tool | wall s | MB/s wall | CPU s | MB/CPU-s | "
               "speed ÷ policy-index | peak RSS MB | index MB | index ÷ text |")
    out.append("|---|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for s in result["scales"]:
        base = s["indexing"]["policy-index"]["mb_per_cpu_s"]
        for tool, r in s["indexing"].items():
            per = "–" if r["index_per_text"] is None else f"{r['index_per_text']:.1f}"
            size = "–" if r["index_per_text"] is None else f"{r['index_mb']:.1f}"
            out.append(f"| {s['scale']}× | {s['bytes'] / MB:.2f} | {tool} | {r['seconds']:.2f} "
                       f"| {r['mb_per_s']:.2f} | {r['cpu_seconds']:.2f} "
                       f"| {r['mb_per_cpu_s']:.2f} | {ratio(r['mb_per_cpu_s'], base)} "
                       f"| {r['peak_rss_mb']:.0f} | {size} | {per} |")
    out.append("")
    out.append("Search, warm, p50 / p95 / max ms. policy-query, rg and SQLite are timed as "
               "whole commands (process start included; policy-query also opens the index "
               "and loads the plan list every time); policy-query in-process is the same "
               "search inside one process that opened the index once (search, first page "
               "written as text, results freed), what a server answering many queries "
               "would see. Ratios are the other tool's p50 ÷ policy-query's p50, whole "
               "command or in-process (above 1: policy-query is faster):")
    out.append("")
    out.append("| scale | query | policy-query | rg -F -c | rg ÷ pq | policy-query in-process "
               "| rg ÷ pq in-process | SQLite FTS5 trigram | FTS5 ÷ pq |")
    out.append("|---|---|---:|---:|---:|---:|---:|---:|---:|")
    for s in result["scales"]:
        for q, row in s["search"].items():
            pq, rg, ft = row["policy-query"], row["rg"], row["fts5"]
            ip = row.get("policy-query in-process")
            pqs = fmt_ms(pq) if pq else "n/a (not implemented yet)"
            if ip:
                ips = fmt_ms(ip)
            elif "policy-query in-process" in row and not pq:
                ips = pqs  # a search this build does not have yet
            else:
                ips = "–"  # freq and kwic, or a result from before the column
            fts = fmt_ms(ft) if ft else ("cannot (< 3 chars)" if q in (
                "1 char", "2 chars", "2 chars, common", "2 terms AND", "paragraph pair",
                "city filter")
                else "–")
            out.append(f"| {s['scale']}× | {q} | {pqs} | {fmt_ms(rg)} "
                       f"| {ratio(p50(rg), p50(pq)) or '–'} | {ips} "
                       f"| {ratio(p50(rg), p50(ip)) or '–'} | {fts} "
                       f"| {ratio(p50(ft), p50(pq)) or '–'} |")
    out.append("")
    floors = [(s["scale"], s["search"].get("one-hit command", {})) for s in result["scales"]]
    if any(f.get("floor") for _, f in floors):
        out.append("")
        out.append("One-hit command against the library floor (bench/floor.c: a program linked "
                   "with policy-query's libraries that exits at once), whole commands, p50 ms:")
        out.append("")
        out.append("| scale | policy-query | floor | policy-query ÷ floor |")
        out.append("|---|---:|---:|---:|")
        for scale, f in floors:
            if f.get("floor") and f.get("policy-query"):
                out.append(f"| {scale}× | {p50(f['policy-query']):.2f} "
                           f"| {p50(f['floor']):.2f} "
                           f"| {p50(f['policy-query']) / p50(f['floor']):.2f} |")
    if len(result["scales"]) > 1:
        out.append("")
        out.append("How each cost grows with the corpus (p50 ms unless named):")
        out.append("")
        scales = result["scales"]
        out.append("| measure | " + " | ".join(f"{s['scale']}×" for s in scales) + " |")
        out.append("|---|" + "---:|" * len(scales))
        def cell(v, fmt="{:.2f}"):
            return fmt.format(v) if v is not None else "–"
        rows = [("text MB", [s["bytes"] / MB for s in scales])]
        ix = [s["indexing"].get("policy-index", {}) for s in scales]
        rows += [("indexing MB/CPU-s", [r.get("mb_per_cpu_s") for r in ix]),
                 ("indexing peak RSS MB", [r.get("peak_rss_mb") for r in ix]),
                 ("index ÷ text", [r.get("index_per_text") for r in ix])]
        names = list(scales[-1]["search"].keys())
        for q in names:
            for col, label in (("policy-query in-process", "in-process"),
                               ("policy-query", "whole command")):
                vals = [p50(s["search"].get(q, {}).get(col)) for s in scales]
                if any(v is not None for v in vals):
                    rows.append((f"{q}, {label}", vals))
        rows.append(("library floor", [p50(s["search"].get("one-hit command", {}).get("floor"))
                                       for s in scales]))
        for label, vals in rows:
            out.append(f"| {label} | " + " | ".join(cell(v) for v in vals) + " |")
    out.append("")
    out.append("The rg column of `freq 1000 terms` is rg counting one term (双减): the target "
               "compares the two. rg's multi-term rows pipe one rg per term over the first "
               "term's lines; FTS5 counts lines with a MATCH, policy-query counts clauses. "
               "rg ÷ pq in-process sets rg's whole command against policy-query without its "
               "process start and index opening; freq and kwic have no in-process figure.")
    wrapped = [line if line.startswith("|") or not line else textwrap.fill(line, 100)
               for line in out]
    return "\n".join(wrapped) + "\n"


def main():
    ap = argparse.ArgumentParser(prog="bench/run", description=__doc__)
    ap.add_argument("--scales", default="1,100,1000",
                    help="comma-separated multiples of the bundled corpus (default 1,100,1000)")
    ap.add_argument("--quick", action="store_true",
                    help="3 runs per query and a 5 s budget: a smoke test, not a measurement")
    ap.add_argument("--runs", type=int, default=None, help="measured runs per query (10)")
    ap.add_argument("--budget", type=float, default=None,
                    help="seconds per query and tool after which runs stop (default 30)")
    ap.add_argument("--build", default=os.path.join(ROOT, "build"), help="the build dir")
    ap.add_argument("--work", default=os.path.join(HERE, "work"),
                    help="corpora and indexes (default bench/work)")
    ap.add_argument("--out", default=None, help="results dir (default WORK/results)")
    ap.add_argument("--keep", action="store_true", help="keep the indexes after measuring")
    ap.add_argument("--render", metavar="JSON",
                    help="print the markdown table of an earlier (or partial) result file")
    ap.add_argument("--fts5-build", nargs=2, metavar=("CORPUS", "DB"), help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.fts5_build:
        fts5_build(*args.fts5_build)
        return 0
    if args.render:
        with open(args.render, encoding="utf-8") as f:
            old = json.load(f)
        print(markdown(old, old.get("features")), end="")
        return 0
    args.runs = args.runs or (3 if args.quick else 10)
    args.budget = args.budget or (5.0 if args.quick else 30.0)
    scales = [int(s) for s in args.scales.split(",") if s.strip()]
    if not scales or min(scales) < 1:
        ap.error("--scales takes positive integers, e.g. 1,100,1000")
    os.makedirs(args.work, exist_ok=True)
    # Corpus + policy index (~25x) + FTS5 (~4x) + Xapian n-gram (~10x) at the largest scale.
    need = max(scales) * 0.24e6 * 45 + 1e9
    free = shutil.disk_usage(args.work).free
    if free < need:
        print(f"bench/run: the {max(scales)}x run needs about {need / 1e9:.0f} GB free in "
              f"{args.work}, and there are {free / 1e9:.1f} GB. Free some space, or pick "
              f"smaller --scales (or another --work).", file=sys.stderr)
        return 1
    build = os.path.abspath(args.build)
    pq = os.path.join(build, "cli", "policy-query")
    feats = features(pq)
    result = {"date": datetime.datetime.now().isoformat(timespec="seconds"),
              "quick": args.quick, "runs": args.runs, "budget_s": args.budget,
              "machine": machine(buildtype(build)),
              "features": feats, "scales": []}
    out = args.out or os.path.join(args.work, "results")
    os.makedirs(out, exist_ok=True)

    def save(partial):
        with open(os.path.join(out, "bench.partial.json"), "w", encoding="utf-8") as f:
            json.dump(dict(result, scales=result["scales"] + [partial]), f,
                      ensure_ascii=False, indent=1)
    for scale in scales:
        result["scales"].append(bench_scale(args, build, scale, feats, save))
    result["machine"]["load_average_at_end"] = os.getloadavg()[0]
    md = markdown(result, feats)
    with open(os.path.join(out, "bench.json"), "w", encoding="utf-8") as f:
        json.dump(result, f, ensure_ascii=False, indent=1)
    with open(os.path.join(out, "bench.md"), "w", encoding="utf-8") as f:
        f.write(md)
    with open(os.path.join(out, "bench.json"), encoding="utf-8") as f:
        json.load(f)  # the smoke test's check: what we wrote parses
    print(md)
    log(f"wrote {out}/bench.md and {out}/bench.json")
    failed = [f"{s['scale']}x {q} {tool}: {r['error']}" for s in result["scales"]
              for q, row in s["search"].items() for tool, r in row.items()
              if r and "error" in r]
    for f in failed:
        log(f"FAILED {f}")
    return 1 if failed else 0


def buildtype(build):
    r = subprocess.run(["meson", "introspect", "--buildoptions", build], capture_output=True,
                       text=True, check=False)
    try:
        for o in json.loads(r.stdout):
            if o["name"] == "buildtype":
                return f"meson buildtype {o['value']}"
    except (ValueError, KeyError):
        pass
    return "n/a"


if __name__ == "__main__":
    sys.exit(main())
