"""No error-severity finding on clean news: the false-alarm check on a small
committed sample (tests/data/clean_sample.jsonl: 40 articles drawn with a
fixed seed from the clean corpus — BBC, Reuters and WMT references)."""

import json
from pathlib import Path

import pytest

from auditor.pipeline import audit_text

SAMPLE = Path(__file__).parent / "data" / "clean_sample.jsonl"
ARTICLES = [json.loads(line) for line in SAMPLE.read_text("utf-8").splitlines() if line.strip()]


def article_text(doc: dict) -> str:
    """The article as mtaudit reads it: headline, blank line, paragraphs."""
    return doc["title"] + "\n\n" + "\n\n".join(p for p in doc["text"].split("\n") if p.strip())


def test_sample_is_the_committed_one():
    assert len(ARTICLES) == 40
    assert len({d["id"] for d in ARTICLES}) == 40


@pytest.mark.parametrize("doc", ARTICLES, ids=[d["id"] for d in ARTICLES])
def test_no_error_on_clean_article(doc):
    text = article_text(doc)
    report = audit_text(text, source=doc["id"])
    errors = [f for f in report.all_findings() if f.severity == "error"]
    detail = "; ".join(
        f"{f.code} {text[f.start:f.end]!r} ({f.message})" if f.start is not None else f"{f.code} ({f.message})"
        for f in errors
    )
    assert not errors, detail
