"""Check a draft gold JSONL file: schema, sources exist, key facts match a gold source.
Usage: .venv/bin/python eval/drafts/check.py eval/drafts/part-a.jsonl"""
import json, re, sys
sys.path.insert(0, ".")
from app.evaluate import GoldItem
from tests.test_evaluate import source_texts

CATS = {"definition", "example", "argument", "comparison", "licence_clause", "history_policy",
        "model_family", "follow_up", "unanswerable", "false_premise", "injection"}
texts = source_texts()
bad = 0
for n, line in enumerate(open(sys.argv[1]), 1):
    if not line.strip():
        continue
    try:
        g = GoldItem.model_validate_json(line)
    except Exception as e:
        print(f"line {n}: invalid: {e}"); bad += 1; continue
    p = []
    if g.category not in CATS: p.append(f"unknown category {g.category}")
    if g.category == "follow_up" and not g.history: p.append("follow_up needs history")
    if g.answerable and (not g.gold_sources or not g.key_facts): p.append("answerable needs gold_sources and key_facts")
    for s in g.gold_sources:
        if s not in texts: p.append(f"unknown source {s}")
    if g.answerable:
        for f in g.key_facts:
            try: re.compile(f)
            except re.error as e: p.append(f"bad regex {f!r}: {e}"); continue
            if not any(re.search(f, texts.get(s, "")) for s in g.gold_sources):
                p.append(f"key fact {f!r} in none of {g.gold_sources}")
    for f in g.forbidden:
        try: re.compile(f)
        except re.error as e: p.append(f"bad forbidden regex {f!r}: {e}")
    for x in p: print(f"{g.id}: {x}")
    bad += bool(p)
print(f"{n} lines, {bad} with problems")
sys.exit(1 if bad else 0)
