"""The `contradiction` detector: headline vs body (CON001), body vs body (CON002)."""

import os

import pytest

from auditor.article import build_article
from auditor.config import Config
from auditor.detectors.registry import get_rule
from tests.conftest import SEEDS


def run(text):
    art = build_article(text)
    return [f for code in ("CON001", "CON002") for f in get_rule(code).run(art, Config())]


def test_seed_headline_contradicts_lead():
    text = open(os.path.join(SEEDS, "001_326390cf8e72ab50.txt"), encoding="utf-8").read()
    fs = run(text)
    doc = [f for f in fs if f.start is None]
    spans = [text[f.start:f.end] for f in fs if f.start is not None]
    assert len(doc) == 1 and doc[0].code == "CON001" and doc[0].category == "contradiction"
    assert all(f.severity == "warning" for f in fs)
    assert "have not been able to make progress" in spans
    assert "announced progress" in spans  # the headline side
    headline_end = text.index("\n")
    assert any(f.start is not None and f.end <= headline_end for f in fs)
    assert {e["sentence"] for e in doc[0].data["evidence"]} >= {0, 1}


def test_seed_000_has_no_contradiction():
    text = open(os.path.join(SEEDS, "000_ad98f480298dccfc.txt"), encoding="utf-8").read()
    assert run(text) == []


@pytest.mark.parametrize("text", [
    "Russia agrees to extend grain deal with Ukraine\n\nRussia refused to extend the grain deal with Ukraine, the Kremlin said.",
    "Moscow confirms talks with Washington on visas\n\nMoscow denied holding talks with Washington on diplomatic visas.",
    "Parliament vote\n\nThe parliament did not pass the budget bill on Friday. The parliament passed the budget bill on Friday after a long debate.",
    "Visa talks\n\nThe two countries have made progress in talks on diplomatic visas. Officials said the two countries have not made progress in talks on diplomatic visas.",
])
def test_opposite_claims_are_found(text):
    fs = run(text)
    assert any(f.start is None for f in fs), text
    assert len({f.start for f in fs if f.start is not None}) == 2


@pytest.mark.parametrize("text", [
    # different named speakers may disagree
    "Talks stall\n\nPeskov said the sides did not make progress on the visa talks. Blinken said the sides made progress on the visa talks.",
    # a question is not a claim
    "Visa talks\n\nHave the two countries made progress in talks on diplomatic visas? The two countries have not made progress in talks on diplomatic visas.",
    # a negation on both sides is not judged
    "Visa talks\n\nThe two countries have not made progress in talks on visas, and there is no deal. The two countries made progress in talks on visas but not on staff.",
    # conditional
    "Visa talks\n\nIf the two countries do not make progress in talks on visas, staff will leave. The two countries make progress in talks on visas every week.",
    # "not only"
    "Visa talks\n\nThe two countries made not only progress in talks on visas. The two countries made progress in talks on visas.",
    # future vs past
    "Black holes\n\nOur sun will not collapse into a black hole like the old stars. Old stars collapsed into a black hole like our sun.",
    # unrelated sentences sharing a word
    "Weather\n\nIt did not rain in Moscow on Monday. Heavy rain is expected in Siberia next week, forecasters say.",
])
def test_no_false_contradictions(text):
    assert run(text) == [], text
