"""tune.py: how --any's parameters were chosen. Runs policy-query --any on the judged set
(bench/judged/) once per setting of POLICY_SEARCH_RANK (query/rank.h) and prints nDCG@10 and
the directly relevant share in the top 20 for each, best first, with the figures per kind.

    /usr/bin/python3 bench/ranking/tune.py 'b=0.2' 'b=0.3' 'b=0.5 k1=1.5' ...

Needs the index bench/ranking/run leaves in bench/work/ranking/ (run that first). A setting
is a space-separated list of name=value (k1, b, cover, figure, figshare, phrase, word,
bigram, cross, char, variant, lone, heading, parent, child, up, context, lead); '' is the
defaults. Use --folds to see a setting's figures (nDCG@10 and the direct share in the top 20) on the odd and the
even queries apart: a setting that only wins on one half is fitted to the judgements, not
to the kind of query. --judged bench/judged/heldout scores the held-out questions instead.
--digits 4 prints the figures to four decimals (the keep rule compares them so), and
--per-query lists the queries whose nDCG@10 or top-20 count differs between the settings.
"""
import argparse
import json
import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import ranking as R  # noqa: E402
import units as U  # noqa: E402


def run_setting(exe, db, to_unit, ids, queries, setting):
    env = dict(os.environ, POLICY_SEARCH_RANK=setting)

    def one(q):
        r = subprocess.run([exe, "--db", db, "--any", "--format", "json", "--limit", "40",
                            q["query"]], capture_output=True, text=True, env=env)
        if r.returncode != 0:
            raise RuntimeError(r.stderr)
        out = []
        for h in json.loads(r.stdout)["hits"]:
            uid = h["id"] if h["id"] in ids else to_unit(h["id"])
            if uid not in out:
                out.append(uid)
        return q["query_id"], out[:R.DEPTH]
    with ThreadPoolExecutor(2) as ex:
        return dict(ex.map(one, queries))


def score(run, queries, qrels):
    nd, dr = [], []
    for q in queries:
        g = qrels[q["query_id"]]
        nd.append(R.ndcg(run[q["query_id"]], g))
        found, wanted = R.direct_found(run[q["query_id"]], g)
        if wanted:
            dr.append(found / wanted)
    mean = lambda xs: sum(xs) / len(xs) if xs else float("nan")  # noqa: E731
    return mean(nd), mean(dr)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("settings", nargs="*", default=[""])
    ap.add_argument("--build", default=os.path.join(R.ROOT, "build"))
    ap.add_argument("--work", default=os.path.join(R.ROOT, "bench", "work", "ranking"))
    ap.add_argument("--folds", action="store_true")
    ap.add_argument("--judged", default=os.path.join(R.ROOT, "bench", "judged"),
                    help="the judged set (bench/judged/heldout for the held-out check)")
    ap.add_argument("--digits", type=int, default=3,
                    help="decimals printed (4 to compare halves as the keep rule does)")
    ap.add_argument("--per-query", action="store_true",
                    help="also each query's nDCG@10 and direct found/wanted per setting, "
                         "for the queries where a setting differs from the first")
    a = ap.parse_args()
    fmt = lambda x: f"{x:.{a.digits}f}" if isinstance(x, float) else repr(x)  # noqa: E731
    db = os.path.join(a.work, "index")
    units = [json.loads(line) for line in open(os.path.join(a.work, "units.jsonl"),
                                                 encoding="utf-8")]
    queries, qrels = R.load_judged(a.judged)
    exe = os.path.join(a.build, "cli", "policy-query")
    to_unit, ids = U.clause_to_unit(units), {u["id"] for u in units}
    rows, per = [], []
    for s in a.settings:
        run = run_setting(exe, db, to_unit, ids, queries, s)
        per.append({q["query_id"]: (R.ndcg(run[q["query_id"]], qrels[q["query_id"]]),
                                    *R.direct_found(run[q["query_id"]], qrels[q["query_id"]]))
                    for q in queries})
        row = [s, *score(run, queries, qrels)]
        for kind in ("keyword", "question", "numeric"):
            row.append(score(run, [q for q in queries if q["kind"] == kind], qrels)[0])
        if a.folds:
            row.extend(score(run, queries[0::2], qrels))
            row.extend(score(run, queries[1::2], qrels))
        rows.append(row)
        print("  ".join(fmt(x) for x in row), file=sys.stderr)
    print("setting | nDCG@10 | direct@20 | keyword | question | numeric" +
          (" | odd | odd direct@20 | even | even direct@20" if a.folds else ""))
    for row in sorted(rows, key=lambda r: -r[1]):
        print(" | ".join(fmt(x) for x in row))
    if a.per_query and len(per) > 1:
        print("query | " + " | ".join(repr(s) for s in a.settings))
        for q in queries:
            qid = q["query_id"]
            cells = [f"{fmt(p[qid][0])} {p[qid][1]}/{p[qid][2]}" for p in per]
            if len(set(cells)) > 1:
                print(f"{qid} {q['query']} | " + " | ".join(cells))


if __name__ == "__main__":
    main()
