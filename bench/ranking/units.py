"""units.py: the passages every system in bench/ranking ranks, as the engine identifies them.

A unit is what `policy-query --scope paragraph` lists: a paragraph (`<plan>/<section>/p<k>`)
or a heading on its own (`<plan>/<section>/0`, unit "heading"). The list is read from the
engine itself: `policy-index --outline` names every section, and `policy-query cite
--format json` is asked for each section's heading and its paragraphs p1, p2, ... (an id
that does not exist is simply not found). Every non-blank body line of the corpus lies in
some unit; check_coverage() verifies that.

    python3 bench/ranking/units.py [--build DIR] [--db DIR] [--corpus DIR] > units.jsonl

writes one JSON object per unit: id, kind ("heading" or "paragraph"), plan, line, end_line,
text (the printed bytes), clauses (first and last clause id of a paragraph; the heading's
own clause id for a heading).
"""
import json
import os
import re
import subprocess
import sys

MAX_PARAGRAPHS = 200  # per section; the five plans have at most 34


def outline_sections(build, corpus):
    """Returns {plan: [section path, ...]} in plan order, the preamble ("0") first."""
    out = subprocess.run([os.path.join(build, "indexer", "policy-index"), "--outline",
                          "--corpus", corpus], capture_output=True, text=True, check=True).stdout
    plans = {}
    cur = None
    for line in out.splitlines():
        m = re.match(r"^(\S+) \((\S+)\)$", line)
        if m:
            cur = m.group(1)
            plans[cur] = ["0"]
            continue
        m = re.search(r"\[([0-9a-z.]+), line (\d+)\]$", line)
        if m and cur:
            plans[cur].append(m.group(1))
    return plans


def load_units(build="build", db="index", corpus="corpus"):
    """Returns the list of units (dicts as described above), in plan and text order."""
    plans = outline_sections(build, corpus)
    ids = []
    for plan, sections in plans.items():
        for s in sections:
            if s != "0":
                ids.append(f"{plan}/{s}/0")
            ids.extend(f"{plan}/{s}/p{k}" for k in range(1, MAX_PARAGRAPHS + 1))
    r = subprocess.run([os.path.join(build, "cli", "policy-query"), "cite", "--db", db,
                        "--corpus", corpus, "--format", "json", "-"],
                       input="\n".join(ids) + "\n", capture_output=True, text=True)
    data = json.loads(r.stdout)
    units = []
    for c in data["citations"]:
        if not c.get("found"):
            continue
        heading = c["kind"] == "clause"
        units.append({
            "id": c["id"],
            "kind": "heading" if heading else "paragraph",
            "plan": c["id"].split("/")[0],
            "line": c["line"],
            "end_line": c["end_line"],
            "text": c["text"],
            "clauses": [c["id"], c["id"]] if heading else c["clauses"],
        })
    for u in units:
        if not u["id"].endswith("/0") and u["kind"] == "heading":
            raise RuntimeError(f"{u['id']}: a clause that is not a heading")
    return units


def clause_to_unit(units):
    """Returns a function mapping a clause id (`plan/section/N`) to its unit id, or None."""
    ranges = {}
    for u in units:
        plan, section, _ = u["id"].split("/")
        first = int(u["clauses"][0].rsplit("/", 1)[1])
        last = int(u["clauses"][1].rsplit("/", 1)[1])
        ranges.setdefault((plan, section), []).append((first, last, u["id"]))

    def find(clause_id):
        plan, section, n = clause_id.split("/")
        n = int(n)
        for first, last, uid in ranges.get((plan, section), []):
            if first <= n <= last:
                return uid
        return None
    return find


def check_coverage(units, corpus="corpus"):
    """Returns a list of (file, line) body lines that hold text but lie in no unit."""
    manifest = json.load(open(os.path.join(corpus, "manifest.json"), encoding="utf-8"))
    missing = []
    for p in manifest["plans"]:
        lines = open(os.path.join(corpus, p["file"]), encoding="utf-8").read().split("\n")
        covered = set()
        for u in units:
            if u["plan"] == p["city_id"]:
                covered.update(range(u["line"], u["end_line"] + 1))
        first, last = p["body_lines"]
        missing += [(p["file"], i) for i in range(first, last + 1)
                    if lines[i - 1].strip() and i not in covered]
    return missing


def main():
    import argparse
    ap = argparse.ArgumentParser(description="List the engine's units (paragraphs and headings).")
    ap.add_argument("--build", default="build")
    ap.add_argument("--db", default="index")
    ap.add_argument("--corpus", default="corpus")
    a = ap.parse_args()
    units = load_units(a.build, a.db, a.corpus)
    for u in units:
        print(json.dumps(u, ensure_ascii=False))
    missing = check_coverage(units, a.corpus)
    print(f"{len(units)} units; {len(missing)} body lines in none", file=sys.stderr)
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main())
