"""check_thesaurus.py: checks a thesaurus file's format and shows which terms the corpus uses.

    python3 data/check_thesaurus.py [--corpus DIR] [--groups] [--absent] [FILE...]

FILE defaults to data/thesaurus.txt. Checks every line as data/README.md defines the format
(a group is `HEAD = VARIANT | VARIANT ...`; a head once per file; no empty term; no term
twice in a group) and prints one line per problem, `FILE:LINE: message`. Then it reads the
corpus (manifest.json and its plans; each plan's body lines, line breaks and the white space
beside Chinese removed, NFKC and lower case, traditional folded to simplified with `opencc
-c t2s.json` when that command exists) and reports how many terms occur and in how many
plans, and which groups are broader than others (a group that lists another group's head
without being listed back: a search for the narrower one does not reach it). --groups prints
each group with the plans that use each of its terms; --absent lists the terms no plan uses
(national vocabulary, or wording a user may type).

Exit status 0 when every file is well formed, 1 when one is not, 2 for bad usage.
"""
import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import unicodedata

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CJK = "\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef"


def normalize(text):
    t = unicodedata.normalize("NFKC", text).lower()
    t = re.sub(r"\s+(?=[" + CJK + "])", "", t)
    t = re.sub(r"(?<=[" + CJK + r"])\s+", "", t)
    return re.sub(r"\s+", " ", t)


def t2s(text):
    if not shutil.which("opencc"):
        return text
    r = subprocess.run(["opencc", "-c", "t2s.json"], input=text, capture_output=True, text=True)
    return r.stdout if r.returncode == 0 else text


def parse(path):
    """Returns (groups, problems): groups as [(line, head, [variants])], problems as strings."""
    groups, problems, heads = [], [], {}
    with open(path, encoding="utf-8-sig") as f:
        for n, raw in enumerate(f, 1):
            line = raw.strip()
            if not line or line.startswith("#"):
                continue
            if " = " not in line:
                problems.append(f"{path}:{n}: not a group: no ' = ' between a head and its variants")
                continue
            head, rest = line.split(" = ", 1)
            head = head.strip()
            variants = [v.strip() for v in rest.split("|")]
            if not head:
                problems.append(f"{path}:{n}: the group has no head")
            if "=" in head:
                problems.append(f"{path}:{n}: the head {head!r} holds '='")
            if any(not v for v in variants):
                problems.append(f"{path}:{n}: an empty variant (two '|' in a row, or one at an end)")
            variants = [v for v in variants if v]
            if not variants:
                problems.append(f"{path}:{n}: the group {head!r} has no variant")
            seen = {head}
            for v in variants:
                if v in seen:
                    problems.append(f"{path}:{n}: {v!r} is twice in the group {head!r}")
                seen.add(v)
            if head in heads:
                problems.append(f"{path}:{n}: the head {head!r} is already the head of line {heads[head]}")
            heads.setdefault(head, n)
            groups.append((n, head, variants))
    return groups, problems


def load_corpus(corpus):
    manifest = json.load(open(os.path.join(corpus, "manifest.json"), encoding="utf-8"))
    plans = {}
    for p in manifest["plans"]:
        enc = p.get("encoding", "utf-8").replace("gbk", "gb18030").replace("gb2312", "gb18030")
        lines = open(os.path.join(corpus, p["file"]), encoding=enc).read().split("\n")
        first, last = p["body_lines"]
        plans[p["city_id"]] = normalize(t2s("".join(lines[first - 1:last])))
    return plans


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--corpus", default=os.path.join(ROOT, "corpus"))
    ap.add_argument("--groups", action="store_true")
    ap.add_argument("--absent", action="store_true")
    ap.add_argument("files", nargs="*", default=[os.path.join(ROOT, "data", "thesaurus.txt")])
    a = ap.parse_args()

    bad = False
    all_groups = []
    for path in a.files:
        groups, problems = parse(path)
        for p in problems:
            print(p)
        bad = bad or bool(problems)
        all_groups += groups
    plans = load_corpus(a.corpus)

    terms = sorted({t for _, h, vs in all_groups for t in [h] + vs})
    where = {t: [c for c, text in plans.items() if normalize(t) in text] for t in terms}
    used = [t for t in terms if where[t]]
    multi = [(h, vs) for _, h, vs in all_groups
             if len({t for t in [h] + vs if where[t]}) >= 2]
    print(f"{len(all_groups)} groups, {sum(1 + len(vs) for _, _, vs in all_groups)} terms "
          f"({len(terms)} distinct); {len(used)} distinct terms occur in the corpus, "
          f"{len(terms) - len(used)} do not")
    print(f"{sum(1 for _, h, vs in all_groups if any(where[t] for t in [h] + vs))} groups have "
          f"a term in the corpus; {len(multi)} have two or more different terms there")
    heads = {h: vs for _, h, vs in all_groups}
    broader = [(h, [n for n in vs if n in heads and h not in heads[n]])
               for _, h, vs in all_groups]
    broader = [(h, ns) for h, ns in broader if ns]
    print(f"{len(broader)} groups name narrower ones: " +
          "; ".join(f"{h} > {', '.join(ns)}" for h, ns in broader))
    if a.groups:
        for _, h, vs in all_groups:
            cells = [f"{t}[{','.join(where[t])}]" if where[t] else f"{t}[-]" for t in [h] + vs]
            print(" | ".join(cells))
    if a.absent:
        print("absent: " + " | ".join(t for t in terms if not where[t]))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
