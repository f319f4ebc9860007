"""The audit function and the mtaudit.report/1 JSON contract."""

import json
import os

from auditor.categories import CATEGORIES
from auditor.config import Config
from auditor.pipeline import audit_text, fix_text
from tests.conftest import SEEDS

SEED_FILES = sorted(f for f in os.listdir(SEEDS) if f.endswith(".txt"))
FINDING_KEYS = {"code", "category", "severity", "start", "end", "message", "suggestion"}


def _seed(name):
    with open(os.path.join(SEEDS, name), encoding="utf-8") as fh:
        return fh.read()


def check_schema(d, text):
    assert d["schema"] == "mtaudit.report/1"
    assert {"source", "title", "date", "verdict", "summary", "sentences", "document_findings", "cleaned_text"} <= d.keys()
    assert d["verdict"] in ("pass", "review", "fail")
    assert d["summary"]["sentences"] == len(d["sentences"])
    assert d["summary"]["flagged_sentences"] == sum(1 for s in d["sentences"] if s["findings"])
    assert set(d["summary"]["findings"]) <= set(CATEGORIES)
    total = sum(len(s["findings"]) for s in d["sentences"]) + len(d["document_findings"])
    assert sum(d["summary"]["findings"].values()) == total
    for i, s in enumerate(d["sentences"]):
        assert s["index"] == i
        assert text[s["start"] : s["end"]] == s["text"]
        assert s["fluency"] is None or {"score", "percentile"} <= s["fluency"].keys()
        for f in s["findings"]:
            assert FINDING_KEYS <= f.keys()
            # inside the sentence, or reaching only into the whitespace around it
            assert 0 <= f["start"] <= f["end"] <= len(text)
            assert not text[f["start"] : s["start"]].strip() and not text[s["end"] : f["end"]].strip()
    for f in d["document_findings"]:
        assert FINDING_KEYS <= f.keys()
        assert f["start"] is None or 0 <= f["start"] <= f["end"] <= len(text)
    json.dumps(d)  # serialisable


def test_seed_reports_follow_schema():
    for name in SEED_FILES:
        text = _seed(name)
        d = audit_text(text, source=name).to_dict()
        check_schema(d, text)
        assert d["sentences"][0]["headline"] is True


def test_seed_000_fails_and_cleaning_is_idempotent():
    text = _seed("000_ad98f480298dccfc.txt")
    r = audit_text(text)
    assert r.verdict == "fail"
    assert r.exit_code("error") == 1
    cleaned = r.cleaned_text
    assert cleaned == fix_text(text)
    assert fix_text(cleaned) == cleaned


def test_disabled_category_and_severity_override():
    text = _seed("000_ad98f480298dccfc.txt")
    base = audit_text(text)
    cats = {f.category for f in base.all_findings()}
    assert "entity" in cats
    off = audit_text(text, config=Config(disable={"entity"}))
    assert "entity" not in {f.category for f in off.all_findings()}
    soft = audit_text(text, config=Config(severity={"entity": "info"}))
    assert {f.severity for f in soft.all_findings() if f.category == "entity"} == {"info"}


def test_allow_phrases_suppress_findings():
    text = _seed("000_ad98f480298dccfc.txt")
    phrase = "The material is being updated."
    assert any(text[f.start : f.end].strip() == phrase for f in audit_text(text).all_findings() if f.start is not None)
    r = audit_text(text, config=Config(allow_phrases=[phrase]))
    for f in r.all_findings():
        if f.start is not None:
            assert not (text.index(phrase) <= f.start and f.end <= text.index(phrase) + len(phrase))
