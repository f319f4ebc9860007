"""Golden reports: the seeds' rules-only JSON reports, committed.

A change in what mtaudit finds on the real articles shows up here as a diff.
After checking that a change is intended, regenerate with:

    MTAUDIT_UPDATE_GOLDEN=1 python -m pytest tests/test_golden.py
"""

import json
import os

import pytest

from auditor.pipeline import audit_text
from tests.conftest import ROOT, SEEDS

GOLDEN = os.path.join(ROOT, "tests", "golden")
SEED_FILES = sorted(f for f in os.listdir(SEEDS) if f.endswith(".txt"))


def _report(name: str) -> dict:
    with open(os.path.join(SEEDS, name), encoding="utf-8") as fh:
        text = fh.read()
    d = audit_text(text, source=f"seeds/{name}").to_dict()
    d.pop("tool", None)  # the version is not behaviour
    return d


@pytest.mark.parametrize("name", SEED_FILES)
def test_seed_report_matches_golden(name):
    path = os.path.join(GOLDEN, name.replace(".txt", ".json"))
    got = _report(name)
    if os.environ.get("MTAUDIT_UPDATE_GOLDEN"):
        with open(path, "w", encoding="utf-8") as fh:
            json.dump(got, fh, ensure_ascii=False, indent=1)
            fh.write("\n")
    with open(path, encoding="utf-8") as fh:
        want = json.load(fh)
    assert got["verdict"] == want["verdict"]
    assert got["summary"] == want["summary"]
    for g, w in zip(got["sentences"], want["sentences"]):
        assert (g["index"], g["start"], g["end"]) == (w["index"], w["start"], w["end"])
        assert g["findings"] == w["findings"], f"sentence {g['index']}: {g['text'][:60]}"
        assert g["cleaned"] == w["cleaned"]
    assert got == want


def test_seed_gold_artifacts_are_reported():
    """Every rule-detectable artifact an editor annotated in the seeds is found."""
    rule_categories = {"entity", "quote", "cyrillic", "boilerplate", "calque", "typography",
                       "transliteration", "duplicate", "encoding", "official", "contradiction"}
    for name in SEED_FILES:
        gold_path = os.path.join(SEEDS, name.replace(".txt", ".gold.json"))
        with open(gold_path, encoding="utf-8") as fh:
            gold = json.load(fh)
        spans = gold["spans"] if isinstance(gold, dict) else gold
        report = _report(name)
        found = [f for s in report["sentences"] for f in s["findings"]] + report["document_findings"]
        for g in spans:
            if g["category"] not in rule_categories:
                continue
            hit = any(f["category"] == g["category"] and f["start"] is not None
                      and f["start"] < g["end"] and g["start"] < f["end"] for f in found)
            assert hit, f"{name}: missed {g['category']} at {g['start']}:{g['end']} {g.get('text')!r}"
