# gencorpus.py: a deterministic synthetic corpus N times the size of corpus/ (for bench/run).
"""Synthetic plans made by recombining the bundled plans' headings and paragraphs.

Plan k of a scaled corpus takes the heading skeleton of one of the five plans (its heading
lines and blank lines, in order, so the structure parser sees a real plan's shape) and fills
every body paragraph with a paragraph drawn from the pool of all five plans' paragraphs.
Term statistics therefore stay those of real plans. Every choice comes from a random
generator seeded with (SEED, k), so plan k is the same at every scale and on every machine:
the 1x corpus is the first plans of the 100x one.
"""

import json
import os
import random
import re
import subprocess

SEED = 20261123
VERSION = "2"  # bump when the output changes, so cached corpora are rebuilt
PROVINCES = ["辽宁省", "吉林省", "黑龙江省", "河北省", "山东省", "江苏省", "四川省", "广东省"]
OUTLINE_LINE = re.compile(r"\[[^\]]*, line (\d+)\]$")


def heading_lines(policy_index, corpus_dir):
    """{city_id: set of 1-based heading line numbers}, from policy-index --outline."""
    out = subprocess.run([policy_index, "--outline", "--corpus", corpus_dir], check=True,
                         capture_output=True, text=True).stdout
    result, current = {}, None
    for line in out.splitlines():
        if not line.startswith(" "):
            current = line.split(" ", 1)[0]
            result[current] = set()
            continue
        m = OUTLINE_LINE.search(line)
        if m and current is not None:
            result[current].add(int(m.group(1)))
    return result


def load_templates(policy_index, corpus_dir):
    """The five plans as skeletons: lists of ("h", text) / ("b", "") / ("p", None)."""
    with open(os.path.join(corpus_dir, "manifest.json"), encoding="utf-8") as f:
        plans = json.load(f)["plans"]
    headings = heading_lines(policy_index, corpus_dir)
    templates, pool = [], []
    for p in plans:
        with open(os.path.join(corpus_dir, p["file"]), encoding="utf-8-sig") as f:
            lines = f.read().split("\n")
        first, last = p["body_lines"]
        skeleton = []
        for n in range(first, last + 1):
            text = lines[n - 1].rstrip("\r")
            if n in headings.get(p["city_id"], ()):
                skeleton.append(("h", text))
            elif text.strip() == "":
                skeleton.append(("b", ""))
            else:
                skeleton.append(("p", None))
                pool.append(text)
        templates.append(skeleton)
    return templates, pool


def generate(policy_index, corpus_dir, out_dir, scale):
    """Write plans into out_dir until they hold `scale` times the bundled plans' bytes,
    and their manifest; returns (plans, bytes)."""
    templates, pool = load_templates(policy_index, corpus_dir)
    target = scale * sum(os.path.getsize(os.path.join(corpus_dir, f))
                         for f in os.listdir(corpus_dir) if f.endswith(".txt"))
    os.makedirs(out_dir, exist_ok=True)
    entries, total, k = [], 0, 0
    while total < target:
        rng = random.Random(f"{SEED}:{k}")
        skeleton = templates[rng.randrange(len(templates))]
        city_id = f"s{k:05d}"
        title = f"样本{k:05d}市教育事业发展“十四五”规划"
        body = [text if kind != "p" else rng.choice(pool) for kind, text in skeleton]
        data = ("\n".join([title, ""] + body) + "\n").encode("utf-8")
        with open(os.path.join(out_dir, city_id + ".txt"), "wb") as f:
            f.write(data)
        total += len(data)
        entries.append({
            "city_id": city_id, "file": city_id + ".txt", "city": f"样本{k:05d}市",
            "province": PROVINCES[k % len(PROVINCES)], "title": title,
            "title_supplied": False, "date": "2023年1月",
            "body_lines": [3, 2 + len(body)],
        })
        k += 1
    manifest = {"about": f"synthetic corpus, bench/gencorpus.py seed {SEED}, scale {scale}",
                "plans": entries}
    with open(os.path.join(out_dir, "manifest.json"), "w", encoding="utf-8") as f:
        json.dump(manifest, f, ensure_ascii=False, indent=1)
    return len(entries), total
