"""ranking.py: the ranking benchmark. Runs the judged set (bench/judged/) against policy-query
--any and three peers, all ranking the same units, and reports nDCG@10, the share of directly
relevant passages in the top 20 and the distinct paragraphs in the top 10.

    python3 bench/ranking/ranking.py [--build DIR] [--work DIR] [--systems a,b,...]

bench/ranking/run is the one command: it installs what is missing, builds, then runs this.

The units are the engine's own (bench/ranking/units.py): every paragraph and every heading,
as `policy-query --scope paragraph` names them, so the qrels apply to every system alike.

Systems:
  policy-query      policy-query --any as it is: distinct paragraphs and headings (its
                    default scope), ranked by query units with the bundled thesaurus
  policy-query-nothes  the same with --no-thesaurus: what the ranking gives without the
                    concept groups
  xapian-ngram      Xapian TermGenerator FLAG_CJK_NGRAM (CJK unigrams and bigrams) per unit,
                    the query's own n-grams OR-ed, Xapian's BM25Weight with its defaults
  fts5-trigram      SQLite FTS5, tokenize='trigram', one row per unit, the query's trigrams
                    OR-ed, ranked by bm25(); a query with no run of 3 characters cannot be
                    expressed in trigrams and falls back to LIKE (counted and reported)
  jieba-bm25        jieba.lcut_for_search words per unit, Okapi BM25 (k1 1.2, b 0.75) written
                    here, the query's distinct words
  xapian-ngram-thesaurus  xapian-ngram plus the concept
                    groups of data/thesaurus.txt: every group with a term in the query adds
                    its other terms, each as an AND of its n-grams, at weight 0.5; a term
                    of a narrower group does not reach the broader one (data/README.md)

The peers see each unit's text as printed, NFKC-folded and lower-cased, with line breaks and
the white space next to a CJK character removed (so a sentence broken across lines reads as
one, as the engine's normal form reads it); nothing else (no traditional-to-simplified).

Writes WORK/results.md (the tables), WORK/results.json (every figure, per query too) and
WORK/runs.json (each system's top 20 per query, for looking at what went wrong). Exit status
0 on success, 1 when a system fails, 2 for bad usage.
"""
import argparse
import collections
import datetime
import json
import math
import os
import platform
import re
import sqlite3
import subprocess
import sys
import unicodedata

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, HERE)
import units as U  # noqa: E402

CJK = "\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef"
FETCH = 60           # hits asked of policy-query --any (distinct units: 20 are enough)
DEPTH = 20           # ranks kept per system
ALL_SYSTEMS = ["policy-query", "policy-query-nothes", "xapian-ngram", "fts5-trigram",
               "jieba-bm25", "xapian-ngram-thesaurus"]
DEFAULT_SYSTEMS = ALL_SYSTEMS
THESAURUS_WEIGHT = 0.5   # a round number, not tuned (0.2, 0.35 and 0.5 score within 0.002)


def log(msg):
    print(f"ranking: {msg}", file=sys.stderr, flush=True)


def normalize(text):
    """NFKC, lower case, line breaks and white space beside a CJK character removed."""
    t = unicodedata.normalize("NFKC", text).lower()
    t = re.sub(r"\s+(?=[" + CJK + "])", "", t)
    t = re.sub(r"(?<=[" + CJK + r"])\s+", "", t)
    return re.sub(r"\s+", " ", t).strip()


def read_tsv(path):
    with open(path, encoding="utf-8") as f:
        lines = [line.rstrip("\n") for line in f if line.strip() and not line.startswith("#")]
    head = lines[0].split("\t")
    return [dict(zip(head, line.split("\t"))) for line in lines[1:]]


def load_judged(judged):
    queries = read_tsv(os.path.join(judged, "queries.tsv"))
    qrels = collections.defaultdict(dict)
    for r in read_tsv(os.path.join(judged, "qrels.tsv")):
        qrels[r["query_id"]][r["passage_id"]] = int(r["grade"])
    return queries, qrels


# ---------------------------------------------------------------- systems

class PolicyQuery:
    name = "policy-query"

    def __init__(self, build, db, units, extra=()):
        self.exe = os.path.join(build, "cli", "policy-query")
        self.db = db
        self.extra = list(extra)
        self.to_unit = U.clause_to_unit(units)
        self.unit_ids = {u["id"] for u in units}

    def search(self, query):
        r = subprocess.run([self.exe, "--db", self.db, "--any", *self.extra, "--format", "json",
                            "--limit", str(FETCH), query], capture_output=True, text=True)
        if r.returncode != 0:
            raise RuntimeError(f"policy-query --any {query!r}: exit {r.returncode}: {r.stderr}")
        out = []
        for h in json.loads(r.stdout)["hits"]:
            # --any returns paragraphs and headings (the units themselves) by default;
            # with --scope clause, clauses mapped to their unit
            uid = h["id"] if h["id"] in self.unit_ids else self.to_unit(h["id"])
            if uid is None:
                raise RuntimeError(f"{h['id']}: a clause in no unit")
            out.append(uid)
        return out


class XapianNgram:
    name = "xapian-ngram"

    def __init__(self, units):
        import xapian
        self.x = xapian
        self.db = xapian.WritableDatabase("", xapian.DB_BACKEND_INMEMORY)
        self.tg = xapian.TermGenerator()
        self.tg.set_flags(xapian.TermGenerator.FLAG_CJK_NGRAM)
        for u in units:
            doc = xapian.Document()
            self.tg.set_document(doc)
            self.tg.index_text(normalize(u["text"]))
            doc.set_data(u["id"])
            self.db.add_document(doc)
        self.db.commit()

    def search(self, query):
        x = self.x
        doc = x.Document()
        self.tg.set_document(doc)
        self.tg.index_text(normalize(query))
        terms = [x.Query(t.term, t.wdf) for t in doc.termlist()]
        if not terms:
            return []
        enq = x.Enquire(self.db)
        enq.set_query(x.Query(x.Query.OP_OR, terms))
        enq.set_weighting_scheme(x.BM25Weight())
        return [m.document.get_data().decode() for m in enq.get_mset(0, DEPTH)]


class XapianThesaurus(XapianNgram):
    name = "xapian-ngram-thesaurus"

    def __init__(self, units, thesaurus):
        super().__init__(units)
        sys.path.insert(0, os.path.dirname(thesaurus))
        import check_thesaurus
        groups, problems = check_thesaurus.parse(thesaurus)
        if problems:
            raise RuntimeError("; ".join(problems))
        self.groups = [[h] + vs for _, h, vs in groups]

    def reaches(self, g, t):
        """Whether term t of group g reaches g as data/README.md says: always as its head;
        as a variant, unless t is a term of a narrower group, one whose head g lists
        without being listed back (a search for 校车 stays with 校车安全)."""
        if t == g[0]:
            return True
        return not any(n is not g and t in n and n[0] in g[1:] and g[0] not in n[1:]
                       for n in self.groups)

    def terms(self, text):
        doc = self.x.Document()
        self.tg.set_document(doc)
        self.tg.index_text(normalize(text))
        return [(t.term, t.wdf) for t in doc.termlist()]

    def search(self, query):
        x = self.x
        qn = normalize(query)
        typed = [x.Query(t, f) for t, f in self.terms(query)]
        if not typed:
            return []
        extra = set()
        for g in self.groups:
            if any(len(t) >= 2 and normalize(t) in qn and self.reaches(g, t) for t in g):
                extra.update(t for t in g if normalize(t) not in qn)
        parts = [x.Query(x.Query.OP_OR, typed)]
        for t in sorted(extra):
            grams = [g for g, _ in self.terms(t) if len(g) > 1] or [g for g, _ in self.terms(t)]
            if grams:
                parts.append(x.Query(x.Query.OP_SCALE_WEIGHT,
                                     x.Query(x.Query.OP_AND, [x.Query(g) for g in grams]),
                                     THESAURUS_WEIGHT))
        enq = x.Enquire(self.db)
        enq.set_query(x.Query(x.Query.OP_OR, parts))
        enq.set_weighting_scheme(x.BM25Weight())
        return [m.document.get_data().decode() for m in enq.get_mset(0, DEPTH)]


class Fts5Trigram:
    name = "fts5-trigram"

    def __init__(self, units):
        self.con = sqlite3.connect(":memory:")
        self.con.execute("CREATE VIRTUAL TABLE u USING fts5(id UNINDEXED, text, "
                         "tokenize='trigram')")
        self.con.executemany("INSERT INTO u(id, text) VALUES (?, ?)",
                             [(x["id"], normalize(x["text"])) for x in units])
        self.fallbacks = []

    def search(self, query):
        segs = [s for s in re.split(r"[^0-9a-z" + CJK + r"+]+", normalize(query)) if s]
        grams = sorted({s[i:i + 3] for s in segs for i in range(len(s) - 2)})
        if grams:
            match = " OR ".join('"' + g.replace('"', '""') + '"' for g in grams)
            rows = self.con.execute("SELECT id FROM u WHERE u MATCH ? ORDER BY bm25(u), rowid "
                                    "LIMIT ?", (match, DEPTH)).fetchall()
            return [r[0] for r in rows]
        # No trigram: what a user of the trigram table has left is LIKE, which has no rank;
        # order by how many of the short segments a unit holds, then by text order.
        self.fallbacks.append(query)
        rows = self.con.execute("SELECT rowid, id, text FROM u").fetchall()
        scored = [(-sum(t.count(s) for s in segs), rowid, uid) for rowid, uid, t in rows
                  if any(s in t for s in segs)]
        return [uid for _, _, uid in sorted(scored)[:DEPTH]]


class JiebaBM25:
    name = "jieba-bm25"
    K1, B = 1.2, 0.75

    def __init__(self, units):
        import logging
        import jieba
        jieba.setLogLevel(logging.WARNING)
        self.jieba = jieba
        self.ids = [u["id"] for u in units]
        self.tf = [collections.Counter(self.tokens(u["text"])) for u in units]
        self.len = [sum(c.values()) for c in self.tf]
        self.avg = sum(self.len) / len(self.len)
        df = collections.Counter(t for c in self.tf for t in c)
        n = len(units)
        self.idf = {t: math.log(1 + (n - d + 0.5) / (d + 0.5)) for t, d in df.items()}

    def tokens(self, text):
        return [w for w in self.jieba.lcut_for_search(normalize(text))
                if re.search(r"[0-9a-z" + CJK + "]", w) and not re.fullmatch(r"[\u3000-\u303f\uff00-\uff0f\uff1a-\uff20]+", w)]

    def search(self, query):
        q = set(self.tokens(query))
        scores = []
        for i, tf in enumerate(self.tf):
            s = 0.0
            for t in q:
                f = tf.get(t)
                if f:
                    s += self.idf[t] * f * (self.K1 + 1) / (
                        f + self.K1 * (1 - self.B + self.B * self.len[i] / self.avg))
            if s > 0:
                scores.append((-s, i))
        scores.sort()
        return [self.ids[i] for _, i in scores[:DEPTH]]


# ---------------------------------------------------------------- metrics

def ndcg(ranking, grades, k=10):
    """nDCG@k, linear gain (the grade), log2 discount; a unit repeated earns nothing again."""
    seen, dcg = set(), 0.0
    for i, u in enumerate(ranking[:k]):
        if u not in seen:
            dcg += grades.get(u, 0) / math.log2(i + 2)
            seen.add(u)
    ideal = sorted(grades.values(), reverse=True)[:k]
    idcg = sum(g / math.log2(i + 2) for i, g in enumerate(ideal))
    return dcg / idcg if idcg else 0.0


def direct_found(ranking, grades, k=20):
    """(directly relevant units among the first k ranks, min(directly relevant, k))."""
    rel = {u for u, g in grades.items() if g >= 2}
    return len(rel & set(ranking[:k])), min(len(rel), k)


def evaluate(runs, queries, qrels):
    res = {}
    for name, per_q in runs.items():
        rows = {}
        for q in queries:
            qid = q["query_id"]
            r = per_q[qid]
            found, want = direct_found(r, qrels[qid])
            rows[qid] = {"ndcg10": ndcg(r, qrels[qid]), "direct_found20": found,
                         "direct_wanted20": want, "distinct10": len(set(r[:10])),
                         "hits10": len(r[:10])}
        agg = {}
        for kind in ["all", "keyword", "question", "numeric"]:
            ids = [q["query_id"] for q in queries if kind == "all" or q["kind"] == kind]
            sel = [rows[i] for i in ids]
            agg[kind] = {
                "queries": len(ids),
                "ndcg10": sum(x["ndcg10"] for x in sel) / len(sel),
                "direct_top20_mean": sum(x["direct_found20"] / x["direct_wanted20"]
                                         for x in sel if x["direct_wanted20"]) /
                max(1, sum(1 for x in sel if x["direct_wanted20"])),
                "direct_top20_pooled": sum(x["direct_found20"] for x in sel) /
                max(1, sum(x["direct_wanted20"] for x in sel)),
                "distinct_top10": sum(x["distinct10"] for x in sel) / len(sel),
            }
        res[name] = {"aggregate": agg, "per_query": rows}
    return res


# ---------------------------------------------------------------- report

LABEL = {
    "policy-query": "(a) `policy-query --any` (distinct paragraphs, bundled thesaurus)",
    "policy-query-nothes": "(a′) `policy-query --any --no-thesaurus`",
    "xapian-ngram": "(b) Xapian CJK n-grams, OR, BM25",
    "fts5-trigram": "(c) SQLite FTS5 trigram, OR, bm25()",
    "jieba-bm25": "(d) jieba words + BM25",
    "xapian-ngram-thesaurus": "(b+) Xapian n-grams + data/thesaurus.txt variants at 0.5",
}


def table(res, systems):
    out = ["| system | nDCG@10 | directly relevant in top 20 (mean per query) | (pooled) "
           "| distinct paragraphs in top 10 |",
           "|---|---:|---:|---:|---:|"]
    for s in systems:
        a = res[s]["aggregate"]["all"]
        out.append(f"| {LABEL[s]} | {a['ndcg10']:.3f} | {100 * a['direct_top20_mean']:.1f}% "
                   f"| {100 * a['direct_top20_pooled']:.1f}% | {a['distinct_top10']:.2f} |")
    out += ["", "nDCG@10 by kind of query:", "",
            "| system | keyword | question | numeric |", "|---|---:|---:|---:|"]
    for s in systems:
        a = res[s]["aggregate"]
        out.append(f"| {LABEL[s]} | " + " | ".join(
            f"{a[k]['ndcg10']:.3f} ({a[k]['queries']})" for k in ["keyword", "question", "numeric"])
            + " |")
    return "\n".join(out)


def git_commit():
    try:
        head = subprocess.run(["git", "-C", ROOT, "rev-parse", "--short=12", "HEAD"],
                              capture_output=True, text=True, check=True).stdout.strip()
        dirty = subprocess.run(["git", "-C", ROOT, "status", "--porcelain", "--untracked-files=no"],
                               capture_output=True, text=True).stdout.strip()
        return head + (" (with uncommitted changes)" if dirty else "")
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def versions():
    v = {"python": platform.python_version(), "sqlite": sqlite3.sqlite_version}
    try:
        import xapian
        v["xapian"] = xapian.version_string()
    except ImportError:
        pass
    try:
        import jieba
        v["jieba"] = jieba.__version__
    except ImportError:
        pass
    return v


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--build", default=os.path.join(ROOT, "build"))
    ap.add_argument("--corpus", default=os.path.join(ROOT, "corpus"))
    ap.add_argument("--judged", default=os.path.join(ROOT, "bench", "judged"))
    ap.add_argument("--work", default=os.path.join(ROOT, "bench", "work", "ranking"))
    ap.add_argument("--thesaurus", default=os.path.join(ROOT, "data", "thesaurus.txt"))
    ap.add_argument("--systems", default=",".join(DEFAULT_SYSTEMS),
                    help="comma-separated subset of " + ", ".join(ALL_SYSTEMS) +
                    "; default: all")
    a = ap.parse_args()
    systems = [s for s in a.systems.split(",") if s]
    unknown = [s for s in systems if s not in ALL_SYSTEMS]
    if unknown:
        ap.error("unknown system " + ", ".join(unknown))

    os.makedirs(a.work, exist_ok=True)
    db = os.path.join(a.work, "index")
    log(f"indexing {a.corpus} into {db}")
    subprocess.run([os.path.join(a.build, "indexer", "policy-index"), "--corpus", a.corpus,
                    "--db", db, "--quiet"], check=True)
    units = U.load_units(a.build, db, a.corpus)
    missing = U.check_coverage(units, a.corpus)
    if missing:
        log(f"{len(missing)} body lines lie in no unit, e.g. {missing[:3]}")
        return 1
    with open(os.path.join(a.work, "units.jsonl"), "w", encoding="utf-8") as f:
        for u in units:
            f.write(json.dumps(u, ensure_ascii=False) + "\n")
    log(f"{len(units)} units ({sum(u['kind'] == 'heading' for u in units)} headings)")

    queries, qrels = load_judged(a.judged)
    ids = {u["id"] for u in units}
    stray = [(q, p) for q, g in qrels.items() for p in g if p not in ids]
    if stray:
        log(f"qrels name units the engine does not have: {stray[:5]}")
        return 1
    log(f"{len(queries)} queries, {sum(len(g) for g in qrels.values())} judgements")

    engines = {}
    if "policy-query" in systems:
        engines["policy-query"] = PolicyQuery(a.build, db, units)
    if "policy-query-nothes" in systems:
        engines["policy-query-nothes"] = PolicyQuery(a.build, db, units, ["--no-thesaurus"])
    if "xapian-ngram" in systems:
        engines["xapian-ngram"] = XapianNgram(units)
    if "xapian-ngram-thesaurus" in systems:
        engines["xapian-ngram-thesaurus"] = XapianThesaurus(units, a.thesaurus)
    if "fts5-trigram" in systems:
        engines["fts5-trigram"] = Fts5Trigram(units)
    if "jieba-bm25" in systems:
        engines["jieba-bm25"] = JiebaBM25(units)

    runs = {s: {} for s in systems}
    raw_pq = {}
    for q in queries:
        for name, eng in engines.items():
            r = eng.search(q["query"])
            if name == "policy-query":
                raw_pq[q["query_id"]] = r
            runs[name][q["query_id"]] = r[:DEPTH]
    log("searched every query on every system")

    # Literal search (the default mode) at paragraph scope, for the zero-hit count.
    zero = []
    if "policy-query" in engines:
        for q in queries:
            r = subprocess.run([engines["policy-query"].exe, "--db", db, "--scope", "paragraph",
                                "--format", "json", "--limit", "1", q["query"]],
                               capture_output=True, text=True)
            if r.returncode == 0 and json.loads(r.stdout)["total"] == 0:
                zero.append(q["query_id"])

    res = evaluate(runs, queries, qrels)
    fts = engines.get("fts5-trigram")
    meta = {
        "date": datetime.datetime.now().astimezone().isoformat(timespec="seconds"),
        "commit": git_commit(),
        "machine": f"{platform.system()} {platform.release()} {platform.machine()}, "
                   f"{os.cpu_count()} CPUs",
        "versions": versions(),
        "units": len(units),
        "queries": len(queries),
        "judgements": sum(len(g) for g in qrels.values()),
        "fts5_like_fallback": fts.fallbacks if fts else [],
        "literal_paragraph_zero_hits": zero,
    }
    md = [f"Measured {meta['date']} on {meta['machine']}, at commit {meta['commit']}; "
          f"{meta['queries']} queries, {meta['judgements']} judgements, {meta['units']} units "
          f"(paragraphs and headings). Versions: " +
          ", ".join(f"{k} {v}" for k, v in meta["versions"].items()) + ".", "",
          table(res, systems), ""]
    md.append("Distinct paragraphs in the top 10 count the units among a system's first 10 "
              "hits; a system that returns fewer than 10 units for a query counts only those.")
    if fts:
        md.append(f"FTS5: {len(fts.fallbacks)} of {len(queries)} queries have no 3-character run and fell back "
                  f"to LIKE ({', '.join(fts.fallbacks) or 'none'}).")
    if "policy-query" in engines:
        md.append(f"Literal search (`policy-query --scope paragraph QUERY`) finds nothing for "
                  f"{len(zero)} of {len(queries)} queries.")
    text = "\n".join(md) + "\n"
    print(text)
    with open(os.path.join(a.work, "results.md"), "w", encoding="utf-8") as f:
        f.write(text)
    with open(os.path.join(a.work, "results.json"), "w", encoding="utf-8") as f:
        json.dump({"meta": meta, "systems": res}, f, ensure_ascii=False, indent=1)
    with open(os.path.join(a.work, "runs.json"), "w", encoding="utf-8") as f:
        json.dump({"queries": {q["query_id"]: q["query"] for q in queries}, "runs": runs,
                   "policy-query-raw": {k: v[:60] for k, v in raw_pq.items()}},
                  f, ensure_ascii=False, indent=1)
    log(f"wrote {a.work}/results.md, results.json and runs.json")
    return 0


if __name__ == "__main__":
    sys.exit(main())
