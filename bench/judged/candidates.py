"""candidates.py: an aid for judging, not a judge. Lists the units that match any pattern.

    python3 bench/judged/candidates.py [--units FILE] [--full] [--qrels QID] PATTERN...

Each PATTERN is a Python regular expression, matched against each unit's text with line
breaks and the white space next to Chinese characters removed (as the engine's normal form
does, so 课后服务机⏎制 matches 课后服务机制). Prints, per matching unit, its id, line and
the text around every match (or the whole text with --full), in plan and text order. With
--qrels QID, the grades already in bench/judged/qrels.tsv for that query are shown beside
each unit, and judged units that match no pattern are listed too, so a judgement is
checked against what the patterns find and the other way round.

The patterns only gather units to read; every grade in qrels.tsv was given by reading the
unit (and, for the many units no pattern reaches, by having read the whole plan).
"""
import argparse
import json
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
CJK = r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]"


def squash(text):
    """The text with line breaks, and white space beside a CJK character, removed."""
    text = re.sub(r"\s+(?=" + CJK + ")", "", text)
    return re.sub(r"(?<=" + CJK + r")\s+", "", text)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--units", default="bench/work/ranking/units.jsonl")
    ap.add_argument("--full", action="store_true")
    ap.add_argument("--width", type=int, default=40)
    ap.add_argument("--qrels")
    ap.add_argument("patterns", nargs="+")
    a = ap.parse_args()
    units = [json.loads(line) for line in open(a.units, encoding="utf-8")]
    grades = {}
    if a.qrels:
        for line in open(os.path.join(HERE, "qrels.tsv"), encoding="utf-8"):
            f = line.rstrip("\n").split("\t")
            if f[0] == a.qrels:
                grades[f[1]] = f[2]
    rx = re.compile("|".join(f"(?:{p})" for p in a.patterns))
    shown = set()
    for u in units:
        t = squash(u["text"])
        ms = list(rx.finditer(t))
        if not ms:
            continue
        shown.add(u["id"])
        g = grades.get(u["id"], "-") if a.qrels else ""
        head = f"{g:>2} {u['id']} L{u['line']} [{u['kind'][0]}]" if a.qrels else \
            f"{u['id']} L{u['line']} [{u['kind'][0]}]"
        if a.full:
            print(head, t)
            continue
        parts = []
        last = -1
        for m in ms:
            s, e = max(0, m.start() - a.width), min(len(t), m.end() + a.width)
            if s <= last:
                parts[-1] = parts[-1] + t[last:e]
            else:
                parts.append(("…" if s > 0 else "") + t[s:e])
            last = e
        print(head, " | ".join(parts))
    for uid, g in grades.items():
        if uid not in shown:
            print(f"{g:>2} {uid} (judged, matches no pattern)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
