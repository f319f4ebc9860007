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


# --- ENT004: leftover markup -------------------------------------------------

MARKUP = ("ENT001", "ENT004")


def fixed(text, passes=5):
    for _ in range(passes):
        new = apply_fixes(text, run(text, MARKUP))
        if new == text:
            return text
        text = new
    return text


@pytest.mark.parametrize(
    "text, span, fix",
    [
        ("Head\n\nThe minister said.</p><p>The ministry added more.", "</p><p>", "\n"),
        ("Head\n\nHe left. <br /> Then he came back.", " <br /> ", "\n"),
        ("Head\n\nHe left.&lt;br&gt;He came back.", "&lt;br&gt;", "\n"),
        ("Head\n\nHe left.&amp;lt;p&amp;gt;He came back.", "&amp;lt;p&amp;gt;", "\n"),
        ("Head\n\nThe <b>minister</b> spoke.", "<b>", ""),
        ("Head\n\nSee <a href=\"https://ria.ru/x?a=1\" target=_blank>the report</a> here.",
         "<a href=\"https://ria.ru/x?a=1\" target=_blank>", ""),
        ("Head\n\nSee &lt;a href=&quot;https://ria.ru&quot;&gt;the report.", "&lt;a href=&quot;https://ria.ru&quot;&gt;", ""),
        ("Head\n\n<p>The minister spoke.", "<p>", ""),
        ("Head\n\nThe minister spoke. </p>", " </p>", ""),
        ("Head\n\nThe minister < p > spoke.", " < p > ", "\n"),
        ("Head\n\nThe minister spoke <!-- banner 300x250 --> today.", "<!-- banner 300x250 --> ", ""),
        ("Head\n\nPhoto <img src=\"a.jpg\" alt=\"Putin\"/> of him.", "<img src=\"a.jpg\" alt=\"Putin\"/> ", ""),
        ("Head\n\nText.\n<script async src=\"//x.js\">window.a = '<p>';</script>\nMore.",
         "<script async src=\"//x.js\">window.a = '<p>';</script>", ""),
        ("Head <BR> line\n\nBody.", " <BR> ", " "),
    ],
)
def test_markup_found_and_fixed(text, span, fix):
    f = run(text, ("ENT004",))[0]
    assert (f.code, text[f.start : f.end], f.suggestion, f.fix) == ("ENT004", span, fix, "safe")


@pytest.mark.parametrize(
    "text",
    [
        "Write to <john@example.com> or <press@kremlin.ru>.",
        "If x < y and y > z, the price <= 5 and growth >= 2%.",
        "The <<Operation Z>> campaign; arrows -> and <- and <3.",
        "The index <brent> and <pretty> words, <bold> claims, <paragraph>.",
        "A <b and c> range; a lone < b; <a few> and <p value>",
        "Sanctions &lt; 5% of trade",
    ],
)
def test_angle_brackets_in_prose_are_not_markup(text):
    assert run(text, ("ENT004",)) == []


def test_digits_glued_to_a_tag_are_still_markup():
    (f,) = run("Head\n\n5<p>6 rose", ("ENT004",))
    assert f.suggestion == "\n"


def test_fixes_keep_the_words_and_paragraphs():
    text = ("Minister <b>speaks</b>\n\n<p>He said &laquo;no&raquo;.</p><p>Then left.</p>\n"
            "<div class=\"ad\"><script>var x = 1;</script></div>\nThird &lt;br&gt; line.")
    assert fixed(text) == "Minister speaks\n\nHe said «no».\nThen left.\n\nThird\nline."


def test_escaped_tags_are_not_also_reported_as_entities():
    found = run("Head\n\nHe left &lt;br /&gt; and &lt; 5 remained.", MARKUP)
    assert sorted((f.start, f.code, f.suggestion) for f in found)[0][1:] == ("ENT004", "\n")
    assert [(f.code, f.suggestion) for f in found if f.code == "ENT001"] == [("ENT001", "<")]


def test_unclosed_script_removes_only_its_tag():
    found = run("Head\n\nText <script> and more words.", ("ENT004",))
    assert [f.end - f.start for f in found] == [len("<script> ")]


MARKUP_PIECES = st.sampled_from(["<", ">", "/", "p", "br", "a", " ", "href=", '"', "&lt;", "&gt;", "<!--", "-->",
                                 "script", "\n", "x", "&quot;"])
MARKUP_TEXTS = st.lists(st.one_of(MARKUP_PIECES, st.text(max_size=3)), max_size=30).map("".join)


@SETTINGS
@given(MARKUP_TEXTS)
def test_markup_offsets_valid_and_fixes_converge(text):
    found = run(text, MARKUP)
    assert_offsets_valid(found, text)
    assert_fixes_settle(lambda t: run(t, MARKUP), text, found, passes=4)


def test_real_page_attributes():
    text = ('Head\n\n<p style="text-align: justify;"><span style="font-weight: 400;">Moscow said</span> '
            "<a href=https://ria.ru/a?b=1&c=2 rel='nofollow' data-id=\"5\">more</a>.</p>")
    assert fixed(text) == "Head\n\nMoscow said more."


def test_self_closed_script_takes_only_its_tag():
    text = 'Head\n\nText <script src="a.js" /> and the story goes on. <script>x()</script> End.'
    spans = [text[f.start : f.end] for f in run(text, ("ENT004",))]
    assert spans == ['<script src="a.js" /> ', "<script>x()</script> "]
