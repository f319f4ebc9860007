"""The evaluation harness: seeds' gold files, the synthetic corruption
generator (bench/corrupt.py) and the scorer's matching rules (bench/evaluate.py).
Runs on the committed clean sample, so it needs no corpus."""

import json
import sys
from pathlib import Path

import pytest

from auditor.categories import CATEGORIES

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))

import corrupt  # noqa: E402
import evaluate  # noqa: E402

SAMPLE = ROOT / "tests" / "data" / "clean_sample.jsonl"
GOLD_FILES = sorted((ROOT / "seeds").glob("*.gold.json"))


@pytest.fixture(scope="module")
def docs():
    return corrupt.load_docs(SAMPLE)


# -- seeds' gold -------------------------------------------------------------

def test_every_seed_has_gold():
    seeds = sorted((ROOT / "seeds").glob("*.txt"))
    assert seeds and {p.stem for p in seeds} == {p.name[: -len(".gold.json")] for p in GOLD_FILES}


@pytest.mark.parametrize("path", GOLD_FILES, ids=[p.name for p in GOLD_FILES])
def test_seed_gold_spans_match_the_text(path):
    gold = json.loads(path.read_text("utf-8"))
    text = (ROOT / "seeds" / gold["file"]).read_bytes().decode("utf-8")
    assert gold["spans"]
    for g in gold["spans"]:
        assert g["category"] in CATEGORIES
        assert g["level"] in ("error", "warning", "info")
        assert 0 <= g["start"] < g["end"] <= len(text)
        assert text[g["start"]:g["end"]] == g["text"], g
        assert g["note"]
    for g in gold["document"]:
        assert g["category"] in CATEGORIES and g["start"] is None and g["end"] is None
        for ev in g["evidence"]:
            assert text[ev["start"]:ev["end"]] == ev["text"]


def test_seed_gold_has_the_known_artifacts():
    g0 = json.loads((ROOT / "seeds" / "000_ad98f480298dccfc.gold.json").read_text("utf-8"))
    texts = {(g["category"], g["text"]) for g in g0["spans"]}
    assert ("cyrillic", "Источник") in texts
    assert ("boilerplate", "The material is being updated.") in texts
    assert ("calque", "said the interlocutor of the agency") in texts
    assert sum(1 for c, t in texts if c == "entity") == 1  # both "& mdash;" (same text, two spans)
    assert sum(1 for g in g0["spans"] if g["category"] == "entity") == 2
    assert [d["category"] for d in g0["document"]] == ["order"]
    g1 = json.loads((ROOT / "seeds" / "001_326390cf8e72ab50.gold.json").read_text("utf-8"))
    assert [d["category"] for d in g1["document"]] == ["contradiction"]


# -- the corruption generator ------------------------------------------------

def test_generation_is_reproducible(docs):
    a = corrupt.generate(docs, 30, seed=7)
    b = corrupt.generate(docs, 30, seed=7)
    c = corrupt.generate(docs, 30, seed=8)
    assert a == b
    assert a != c


def test_gold_spans_point_at_the_injected_text(docs):
    rows = corrupt.generate(docs, 40, seed=3)
    for row in rows:
        for g in row["gold"]:
            assert g["category"] in corrupt.CATEGORIES
            assert 0 <= g["start"] < g["end"] <= len(row["text"])
            assert row["text"][g["start"]:g["end"]] == g["text"]


def test_every_category_is_injected(docs):
    rows = corrupt.generate(docs, 40, seed=3)
    seen = {g["category"] for r in rows for g in r["gold"]}
    assert seen == set(corrupt.CATEGORIES)


def test_gold_spans_of_different_artifacts_do_not_overlap(docs):
    for row in corrupt.generate(docs, 40, seed=5):
        spans = sorted((g["start"], g["end"], g["category"], g.get("group")) for g in row["gold"])
        for (a1, b1, c1, _), (a2, b2, c2, _) in zip(spans, spans[1:]):
            if a2 < b1:  # only a Cyrillic boilerplate line is gold for two categories at once
                assert {c1, c2} == {"boilerplate", "cyrillic"}, row["id"]


def test_headline_is_never_corrupted(docs):
    for row, doc in zip(corrupt.generate(docs, 40, seed=9), [docs[i] for i in corrupt.split_ids(docs, 9)[:40]]):
        assert row["id"] == doc["id"]
        assert row["text"].split("\n", 1)[0] == doc["title"].strip()


def test_mojibake_is_utf8_read_as_cp1252():
    assert corrupt.mojibake("’", "cp1252") == "â€™"
    assert corrupt.mojibake("Москва", "cp1251") == "РњРѕСЃРєРІР°"


def test_clean_split_is_disjoint_from_corrupted(docs):
    rows = corrupt.generate(docs, 25, seed=2)
    clean = corrupt.clean_split(docs, 0, seed=2, exclude=25)
    assert len(clean) == len(docs) - 25
    assert not {r["id"] for r in rows} & {c["id"] for c in clean}
    assert all(c["gold"] == [] for c in clean)


# -- the scorer's matching ---------------------------------------------------

def F(cat, start, end, severity="error", code="X001"):
    return {"category": cat, "start": start, "end": end, "severity": severity, "code": code, "message": "m"}


def test_overlap_rules():
    assert evaluate.overlaps(F("entity", 5, 8), 7, 10)
    assert not evaluate.overlaps(F("entity", 5, 7), 7, 10)
    assert evaluate.overlaps(F("entity", 10, 10), 7, 10)  # insertion point at the edge


def test_tally_precision_recall_groups_and_accept():
    text = "x" * 100
    gold = [
        {"start": 10, "end": 20, "category": "entity", "kind": "entity/named"},
        {"start": 30, "end": 40, "category": "duplicate", "kind": "duplicate/s", "group": 1},
        {"start": 50, "end": 60, "category": "duplicate", "kind": "duplicate/s", "group": 1, "original": True},
        {"start": 70, "end": 80, "category": "encoding", "kind": "encoding/cp1251", "accept": ["cyrillic"]},
    ]
    findings = [F("entity", 12, 14), F("entity", 90, 95), F("duplicate", 55, 58), F("cyrillic", 71, 72)]
    t = evaluate.Tally(examples=2)
    t.add(text, gold, findings)
    assert (t.gold["entity"], t.recalled["entity"], t.found["entity"], t.correct["entity"]) == (1, 1, 2, 1)
    assert (t.gold["duplicate"], t.recalled["duplicate"]) == (1, 1)  # either copy recalls the group
    assert (t.gold["encoding"], t.recalled["encoding"]) == (1, 0)
    assert (t.found["cyrillic"], t.correct["cyrillic"]) == (1, 1)  # accepted, not a false alarm
    assert t.p("entity") == 0.5 and t.r("entity") == 1.0
    assert t.missed["encoding/cp1251"]


def test_tally_leaves_the_sources_own_findings_out_of_precision():
    text = "Title.\n\nOne on the territory of here. " + "x" * 40
    gold = [{"start": 40, "end": 50, "category": "calque", "kind": "calque/x"}]
    stale = dict(F("calque", 15, 35), code="CAL003")  # overlaps no gold: false, unless the source had it
    hit = dict(F("calque", 41, 45), code="CAL003")
    t = evaluate.Tally(examples=1)
    t.add(text, gold, [stale, hit])
    assert (t.found["calque"], t.correct["calque"], t.pre["calque"]) == (2, 1, 0)
    t = evaluate.Tally(examples=1)
    t.add(text, gold, [stale, hit], before=[("CAL003", text[15:35])])
    assert (t.found["calque"], t.correct["calque"], t.pre["calque"]) == (1, 1, 1) and t.p("calque") == 1.0
    t = evaluate.Tally(examples=1)  # the same text under another rule is no excuse
    t.add(text, gold, [stale, hit], before=[("CAL002", text[15:35])])
    assert (t.found["calque"], t.pre["calque"]) == (2, 0)


def test_corrupted_rows_carry_their_original(docs):
    import random

    row = corrupt.corrupt_article(docs[0], random.Random(3), ["entity", "encoding"])
    assert row["original"] in (corrupt.article_text(docs[0], "\n\n"), corrupt.article_text(docs[0], "\n"))
    assert row["text"] != row["original"]


def test_tally_document_level():
    t = evaluate.Tally(examples=1)
    doc_gold = [{"category": "order", "note": "shuffled"}]
    t.add("abc", [], [F("order", None, None, "warning")], doc_gold)
    assert t.recalled["order"] == 1 and t.correct["order"] == 1
    t2 = evaluate.Tally(examples=1)
    t2.add("abc", [], [F("contradiction", None, None)], doc_gold)
    assert t2.recalled["order"] == 0 and t2.correct["contradiction"] == 0
