"""quote rules (QUO001-QUO007): broken, unpaired and leftover quotation marks."""

import os

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from auditor.article import build_article
from auditor.config import Config
from auditor.detectors.registry import get_rule
from auditor.fixes import apply_fixes
from tests.props import assert_fixes_settle, assert_offsets_valid

CODES = ("QUO001", "QUO002", "QUO003", "QUO004", "QUO005", "QUO006", "QUO007")
SEEDS = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "seeds")


def run(text, config=None, codes=CODES):
    art = build_article(text)
    return [f for c in codes for f in get_rule(c).run(art, config or Config())]


def spans(text, code, config=None):
    return [(text[f.start : f.end], f.suggestion, f.fix) for f in run(text, config, (code,))]


def test_double_apostrophe_closing_a_curly_quote():
    text = "“These are current issues, '' said the agency."
    assert spans(text, "QUO001") == [(" ''", "”", "unsafe")]


def test_double_apostrophe_opening():
    assert spans("in Russia. '' The deputy head said", "QUO001") == [("'' ", "“", "unsafe")]


def test_latex_style_pair_is_fixed_safely():
    text = "He called it ``a mistake'' on Monday."
    assert spans(text, "QUO001") == [("``", "“", "safe"), ("''", "”", "safe")]
    fixed = apply_fixes(text, run(text))
    assert fixed == "He called it “a mistake” on Monday."


def test_inch_marks_are_not_quotes():
    assert run("a 12'' screen and a 5\" tablet") == []


def test_unclosed_opening_quote():
    text = "He said that a functioning embassy “ is of decisive importance.\n\nNext paragraph here."
    found = spans(text, "QUO002")
    assert found == [("“", None, None)]
    assert spans(text, "QUO004") == [(" ", "", "safe")]


def test_second_opening_before_close_reports_the_first():
    text = "It could lead to “ staff shortages. He said “it is important” today."
    assert [f.start for f in run(text, codes=("QUO002",))] == [text.index("“")]


def test_quote_spanning_paragraphs_is_not_unclosed():
    text = (
        "Headline\n\n“I want to appeal to all political commentators.\n"
        "“Don't demonize the people.\n“Hard-working people live here,” he said."
    )
    assert run(text) == []


def test_quote_running_over_lines_without_reopening_pairs_up():
    text = "Title\n\n“When the fire departments arrived, it was burning.\nThere were no casualties”, the statement said."
    assert run(text) == []


def test_unopened_closing_quote():
    text = "Title\n\nHe said the talks were useful.” The ministry agreed."
    assert spans(text, "QUO003") == [("”", None, None)]


def test_space_before_closing_quote():
    text = "He called it “a mistake ” yesterday."
    assert spans(text, "QUO004") == [(" ", "", "safe")]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("the newspaper «Kommersant» said", "the newspaper “Kommersant” said"),
        ("the newspaper « Kommersant » said", "the newspaper “Kommersant” said"),
        ("the party „United Russia“ won", "the party “United Russia” won"),
    ],
)
def test_foreign_quote_marks_fixed_to_house_style(text, expected):
    found = run(text)
    assert {f.code for f in found} == {"QUO005"}
    assert apply_fixes(text, found) == expected


def test_straight_house_style():
    text = "the newspaper «Kommersant» said"
    assert apply_fixes(text, run(text, Config(quote_style="straight"))) == 'the newspaper "Kommersant" said'


def test_mixed_curly_and_straight():
    text = '“We need communication channels," he said.'
    assert spans(text, "QUO006") == [('"', "”", "safe")]
    text = '"We need communication channels,” he said.'
    assert spans(text, "QUO006") == [('"', "“", "safe")]


def test_reversed_closing_quote():
    text = "“It is over“ he said."
    assert spans(text, "QUO007") == [("“", "”", "safe")]


@pytest.mark.parametrize(
    "text",
    [
        "Responding to a journalist’s request about “cautious positive progress” in visa talks, Price said.",
        "“We need channels. That’s why,” Price stressed, “But not all issues can be resolved.”",
        "He said 'no' and the O'Briens' dog barked; it's the 1990s' style.",
        '"I want to appeal," he said. "Hard-working people live here."',
        "A \"quoted\" word and a stray \" straight quote",
    ],
)
def test_correct_quotes_are_not_flagged(text):
    assert run(text) == []


def test_seed_001_has_no_quote_findings():
    path = os.path.join(SEEDS, "001_326390cf8e72ab50.txt")
    with open(path, encoding="utf-8") as fh:
        assert run(fh.read()) == []


def test_seed_000_quote_damage_found():
    path = os.path.join(SEEDS, "000_ad98f480298dccfc.txt")
    with open(path, encoding="utf-8") as fh:
        text = fh.read()
    found = run(text)
    starts = {f.start for f in found}
    # every "“ " with a space after it, and the '' marks
    for i in (502, 931, 1123, 1360, 1778):
        assert text[i] == "“" and (i in starts or i + 1 in starts)
    for i in (372, 1193, 1742, 1952):
        assert text[i : i + 2] == "''" and any(f.start <= i < f.end for f in found)
    assert all(f.severity == "error" for f in found)


PIECES = st.sampled_from(["“", "”", '"', "''", "``", "«", "»", "„", " ", "\n", "\n\n", "a", "5", ",", ".", "’", "'"])
TEXTS = st.lists(st.one_of(PIECES, st.text(max_size=3)), max_size=40).map("".join)
SETTINGS = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(TEXTS, st.sampled_from(["curly", "straight"]))
def test_offsets_valid_and_fixes_converge(text, style):
    cfg = Config(quote_style=style)
    found = run(text, cfg)
    assert_offsets_valid(found, text)
    # a run of marks may settle one mark per pass (e.g. “““““ in straight style)
    assert_fixes_settle(lambda t: run(t, cfg), text, found, passes=len(text) + 1)


@SETTINGS
@given(st.text(max_size=200))
def test_no_crash_on_arbitrary_unicode(text):
    assert_offsets_valid(run(text), text)
