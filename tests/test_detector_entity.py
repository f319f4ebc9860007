"""entity rules (ENT001-ENT003): HTML entities left in, broken or double-escaped."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from auditor.article import build_article
from auditor.config import Config
from auditor.detectors.registry import get_rule
from auditor.fixes import apply_fixes
from tests.props import assert_fixes_settle, assert_offsets_valid

CODES = ("ENT001", "ENT002", "ENT003")


def run(text, codes=CODES):
    art = build_article(text)
    return [f for c in codes for f in get_rule(c).run(art, Config())]


def one(text):
    found = run(text)
    assert len(found) == 1, found
    f = found[0]
    return f.code, text[f.start : f.end], f.suggestion


@pytest.mark.parametrize(
    "text, code, span, fix",
    [
        ("in the USA &mdash; 300 Russian", "ENT001", "&mdash;", "—"),
        ("Moscow&nbsp;time", "ENT001", "&nbsp;", " "),
        ("the &laquo;Kommersant daily", "ENT001", "&laquo;", "«"),
        ("in 2020 &#8212; a year", "ENT001", "&#8212;", "—"),
        ("in 2020 &#x2014; a year", "ENT001", "&#x2014;", "—"),
        ("direction, & mdash; said the source", "ENT002", "& mdash;", "—"),
        ("the & laquo;Izvestia", "ENT002", "& laquo;", "«"),
        ("in 2020 & #8212; a year", "ENT002", "& #8212;", "—"),
        ("in 2020 &mdash a year", "ENT002", "&mdash", "—"),
        ("have been &laquoa lot smarter", "ENT002", "&laquo", "«"),
        ("in 2020 &mdash ; a year", "ENT002", "&mdash ;", "—"),
        ("in 2020 &MDASH; a year", "ENT001", "&MDASH;", "—"),
        ("called it &amp;quot;a mistake", "ENT003", "&amp;quot;", '"'),
        ("Russia &amp; mdash; the US", "ENT003", "&amp; mdash;", "—"),
        ("a &amp;amp; b", "ENT003", "&amp;amp;", "&"),
        ("AT&amp;T shares", "ENT001", "&amp;", "&"),
    ],
)
def test_entities_found_and_fixed(text, code, span, fix):
    assert one(text) == (code, span, fix)


def test_nbsp_next_to_a_space_is_removed_not_doubled():
    text = "Moscow &nbsp;time"
    (f,) = run(text)
    assert f.suggestion == ""
    assert apply_fixes(text, [f]) == "Moscow time"


def test_invisible_entities_are_removed():
    assert one("co&shy;operation") == ("ENT001", "&shy;", "")


@pytest.mark.parametrize(
    "text",
    [
        "AT&T and S&P 500 rose; Q&A session with R&D staff at P&G.",
        "Marks & Spencer and Johnson & Johnson; Tom & Jerry; rock & roll.",
        "Procter & Gamble; Food & Drink; B&Q; H&M; M&A deals",
        "The & sign alone, &c. and '&' in quotes, & #hashtag",
        "Legit text with an ampersand at the end &",
    ],
)
def test_plain_ampersands_are_not_flagged(text):
    assert run(text) == []


def test_rule_metadata():
    r = get_rule("ENT002")
    assert (r.category, r.severity, r.fix) == ("entity", "error", "safe")
    assert r.doc and "Example" in r.doc


PIECES = st.sampled_from(["&", "& ", "amp;", "mdash", ";", "#", "x2014", "8212", "nbsp", " ", "a", "T", "&amp;", "\n"])
TEXTS = st.lists(st.one_of(PIECES, st.text(max_size=4)), max_size=30).map("".join)
SETTINGS = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(TEXTS)
def test_offsets_valid_and_fixes_converge(text):
    found = run(text)
    assert_offsets_valid(found, text)
    for f in found:
        assert text[f.start] == "&"
    assert_fixes_settle(lambda t: run(t), text, found, passes=3)


@SETTINGS
@given(st.text(max_size=200))
def test_no_crash_on_arbitrary_unicode(text):
    assert_offsets_valid(run(text), text)
