"""The fixpoint passes re-run only the rules that can yield a safe fix
(auditor.pipeline.may_fix_safely): the cleaned text must be the one a re-run
of every rule gives, and the skipped rules must never yield a safe fix."""

import json
from pathlib import Path

import pytest

from auditor.article import build_article
from auditor.config import Config
from auditor.detectors.registry import all_rules
from auditor.fixes import fix_to_fixpoint
from auditor.pipeline import audit_text, may_fix_safely, run_rules

ROOT = Path(__file__).resolve().parents[1]

# Overlapping and chained safe fixes beside findings that have none (KB
# officials, a contradiction, calques, Cyrillic, quotes with their own fix level).
TRICKY = [
    "Talks made progress\n\nThe two sides have not been able to make progress in the talks , the  ministry said.",
    "Moscow, 1 Dec.\n\nThe head of the Russian Foreign Ministry, Yevgeny Ivanov, said  ``the talks are over'' .\n"
    "Foreign Minister Sergei Lavrov told  the newspaper « Kommersant »  that 3,5 per cent was № 1 .",
    "Headline.\n\nHe said ''we agreed'' and -- as noted -- &amp;amp; the „deal“ was “done\" .\n"
    "Русский текст here, and the Kremlin spokesman Dmitry Peskov declined to comment.\n"
    "Subscribe to our Telegram channel!\nSubscribe to our Telegram channel!",
    "Ã¢â‚¬Å“Mojibake  quotesÃ¢â‚¬Â  and  double  spaces  ,  everywhere .\n\n- Yes, - he said. - We refused.",
    "Title\n\n“ Space inside quotes ” and “reversed“ marks. Zakharowa, in turn, said nothing.",
]


def _inputs():
    out = list(TRICKY)
    out += [p.read_text("utf-8") for p in sorted((ROOT / "seeds").glob("*.txt"))]
    with open(ROOT / "tests" / "data" / "clean_sample.jsonl", encoding="utf-8") as fh:
        for line in list(fh)[:15]:
            d = json.loads(line)
            out.append(d["title"] + "\n\n" + d["text"])
    return out


def _fix_with_all_rules(text, config):
    def find(t):
        return run_rules(build_article(t), config)

    return fix_to_fixpoint(text, find(text), find)


@pytest.mark.parametrize("text", _inputs())
def test_cleaned_text_same_as_rerunning_every_rule(text):
    config = Config()
    assert audit_text(text, config=config).cleaned_text == _fix_with_all_rules(text, config)


def test_straight_quote_style_too():
    config = Config(quote_style="straight")
    for text in TRICKY:
        assert audit_text(text, config=config).cleaned_text == _fix_with_all_rules(text, config)


def test_skipped_rules_never_yield_a_safe_fix():
    skipped = [r for r in all_rules() if not may_fix_safely(r)]
    assert {"OFF001", "TRL101", "TRL102", "CON001", "CON002"} <= {r.code for r in skipped}
    config = Config()
    for text in _inputs():
        article = build_article(text)
        for r in skipped:
            assert not [f for f in r.run(article, config) if f.is_safe_fix], r.code


def test_rules_declared_safe_are_rerun():
    assert all(may_fix_safely(r) for r in all_rules() if r.fix == "safe")


def test_a_safe_fix_from_a_rule_not_declared_to_yield_one_is_refused():
    from auditor.detectors.registry import REGISTRY, Hit, rule

    @rule(code="ZZZ901", name="test-unsafe", category="typography", severity="warning", fix="unsafe")
    def unsafe(article, config):
        yield Hit(0, 1, "x", suggestion="y", fix="safe")

    @rule(code="ZZZ902", name="test-safe-hits", category="typography", severity="warning", fix="unsafe",
          safe_hits=True)
    def own_level(article, config):
        yield Hit(0, 1, "x", suggestion="y", fix="safe")

    try:
        art = build_article("Title\n\nBody text here.")
        with pytest.raises(ValueError, match="ZZZ901.*safe_hits"):
            REGISTRY["ZZZ901"].run(art, Config())
        assert REGISTRY["ZZZ902"].run(art, Config())[0].fix == "safe"
        assert may_fix_safely(REGISTRY["ZZZ902"]) and not may_fix_safely(REGISTRY["ZZZ901"])
    finally:
        REGISTRY.pop("ZZZ901", None)
        REGISTRY.pop("ZZZ902", None)
